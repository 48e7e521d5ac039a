"""Benchmark: server time and query count of the main pages at two or three data sizes.

Builds a fresh database (a temporary SQLite file, or the PostgreSQL database named by
BENCH_DATABASE_URL, which it empties), fills it with bench/data.py to the smallest size,
measures every page, grows it to the next size and measures again. Each page is requested
in-process through Django's test client (the whole request: middleware, view, queries and
template; no network), warmed up, then timed `--runs` times; the median is reported. Nothing
keeps a rendered page (there is no page cache), so every request is a first view: the page
rendered afresh from the database, as a person gets it after any change.

Two references are measured in the same run, each page timed in turn with them, round by round:
the floor, a minimal view rendering the site's base template (what any page costs), and the
Django admin change list of the same model where one exists. Prints a table and writes it as
JSON (bench/pages.json by default) for comparison between commits.

    python bench/pages.py [--sizes 10 500] [--national] [--runs 20] [--json bench/pages.json]
                          [--compare earlier.json]

--national adds 5,000 strategies (about 2 million history rows; every English council and its
NHS partners), on PostgreSQL only (BENCH_DATABASE_URL): building it takes several minutes.
With --compare, each row is also set against the same page and size in an earlier run's JSON
(queries then and now, and the change in median time), for comparing commits.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Which admin change list each page is compared with (None: no admin page lists the same data).
PAGES = [
    ("floor", "/bench/floor/", None),
    ("dashboard", "/", "/admin/governance/gate/"),
    ("timeline", "/timeline/", "/admin/governance/gate/"),
    ("strategy list", "/strategies/", "/admin/strategies/strategy/"),
    ("strategy page", "/strategies/{slug}/", "/admin/strategies/priority/"),
    ("route", "/strategies/{slug}/route/", "/admin/governance/gate/"),
    ("history", "/strategies/{slug}/history/", "/admin/strategies/strategy/{pk}/history/"),
    ("my meetings", "/meetings/", "/admin/governance/meeting/"),
    ("calendar feed", "/calendar.ics?key={key}", None),
    ("calendar feed (everything)", "/calendar.ics?key={key}&window=all", None),
    (
        "consultation analysis",
        "/consultations/{window}/responses/",
        "/admin/consultation/response/",
    ),
    ("delivery plan", "/strategies/{slug}/delivery/", "/admin/delivery/progressupdate/"),
    (
        "indicator (80 values)",
        "/strategies/{slug}/indicators/{indicator}/",
        "/admin/delivery/indicatorvalue/",
    ),
    ("public consultations", "/consult/", "/admin/consultation/consultationwindow/"),
    ("public consultation page", "/consult/{window_slug}/", None),
]
NATIONAL = 5000  # strategies, with --national
USERS = {"my meetings": "secretary"}  # every other page as the manager
PUBLIC = {"public consultations", "public consultation page"}  # as a member of the public


def configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()
    from django.conf import settings

    from config import garbage

    garbage.tune()  # as the server does (config/wsgi.py): the pages measured as it runs them
    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    warnings.filterwarnings("ignore", message="No directory at")  # static files not collected


def measure(targets: list[tuple[object, str]], runs: int) -> list[tuple[int, float]]:
    """Each (client, url) warmed up and its queries counted, then timed `runs` times in turn,
    round by round: a page, the floor and the admin page it is set against are timed side by
    side, so that whatever else the machine is doing weighs on them alike. Returns (queries,
    median ms) for each."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    counts = []
    for client, url in targets:
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))  # read now: the list is a view of the connection's log
    times: list[list[float]] = [[] for _ in targets]
    for _ in range(runs):
        for (client, url), spent in zip(targets, times, strict=True):
            reset_queries()
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:  # read to the end, as a browser would
                for _chunk in response.streaming_content:
                    pass
            spent.append((time.perf_counter() - started) * 1000)
    return [(count, statistics.median(spent)) for count, spent in zip(counts, times, strict=True)]


def run(sizes: list[int], runs: int) -> list[dict]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.feed_keys import reset_feed_key
    from bench import data
    from consultation.models import ConsultationWindow
    from strategies.models import Strategy

    call_command("migrate", verbosity=0)
    rows = []
    for size in sizes:
        started = time.perf_counter()
        counts = data.grow_to(size)
        size = counts["strategies"]  # more, with --reuse of a database that had more
        if connection.vendor == "postgresql":  # as autovacuum would, after the bulk load
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"({size} strategies built in {time.perf_counter() - started:.0f} s: {counts})")
        people = data.setup_people()
        users = people["users"]
        manager = users["manager"]
        if not manager.calendar_token:
            reset_feed_key(manager, "Benchmark")
        strategy = Strategy.objects.get(slug="bench-0")
        window = ConsultationWindow.objects.filter(strategy=strategy).first()
        values = {
            "slug": strategy.slug,
            "pk": strategy.pk,
            "key": manager.calendar_token,
            "window": window.pk,
            "window_slug": window.slug,
            "indicator": strategy.indicators.first().pk,
        }
        clients = {"public": Client()}
        for role in ["manager", "secretary", "administrator"]:
            clients[role] = Client()
            clients[role].force_login(users[role])
        floor = (clients["manager"], "/bench/floor/")
        for name, path, admin_path in PAGES:
            who = "public" if name in PUBLIC else USERS.get(name, "manager")
            targets = [(clients[who], path.format(**values))]
            if name != "floor":
                targets.append(floor)
            if admin_path:
                targets.append((clients["administrator"], admin_path.format(**values)))
            found = measure(targets, runs)
            queries, ms = found[0]
            floor_ms = found[1][1] if name != "floor" else ms
            admin = found[-1] if admin_path else None
            rows.append(
                {
                    "page": name,
                    "size": size,
                    "queries": queries,
                    "median_ms": round(ms, 2),
                    "floor_median_ms": round(floor_ms, 2),
                    "vs_floor": round(ms / floor_ms, 2),
                    "admin_page": admin_path,
                    "admin_queries": admin[0] if admin else None,
                    "admin_median_ms": round(admin[1], 2) if admin else None,
                    "vs_admin": round(ms / admin[1], 2) if admin else None,
                    "data": counts,
                }
            )
            print_row(rows[-1])
    return rows


def print_header() -> None:
    print(
        f"{'page':<27} {'size':>5} {'queries':>7} {'first view ms':>13} {'x floor':>8} "
        f"{'x admin':>8} {'admin ms':>9}"
    )


def print_row(row: dict) -> None:
    vs_admin = f"{row['vs_admin']:.2f}" if row["vs_admin"] else "—"
    admin_ms = f"{row['admin_median_ms']:.1f}" if row["admin_median_ms"] else "—"
    print(
        f"{row['page']:<27} {row['size']:>5} {row['queries']:>7} {row['median_ms']:>13.1f} "
        f"{row['vs_floor']:>8.2f} {vs_admin:>8} {admin_ms:>9}",
        flush=True,
    )


def check(rows: list[dict]) -> list[str]:
    """The targets: the same query count at every size, and every page no slower than the
    admin change list of the same data at every size."""
    problems = []
    by_page: dict[str, dict[int, dict]] = {}
    for row in rows:
        by_page.setdefault(row["page"], {})[row["size"]] = row
    for page, by_size in by_page.items():
        if len({r["queries"] for r in by_size.values()}) > 1:
            problems.append(f"{page}: query count changes with size")
        for size, row in sorted(by_size.items()):
            if row["vs_admin"] and row["vs_admin"] > 1:
                problems.append(f"{page}: {row['vs_admin']}x its admin change list at {size}")
    return problems


def growth(rows: list[dict]) -> list[str]:
    """Each page's time at the largest size against the smallest, for the README's reading of
    how time grows with the data."""
    by_page: dict[str, dict[int, dict]] = {}
    for row in rows:
        by_page.setdefault(row["page"], {})[row["size"]] = row
    lines = []
    for page, by_size in by_page.items():
        sizes = sorted(by_size)
        if len(sizes) > 1:
            first, last = by_size[sizes[0]], by_size[sizes[-1]]
            lines.append(
                f"{page}: {first['median_ms']:.1f} ms at {sizes[0]}, {last['median_ms']:.1f} ms "
                f"at {sizes[-1]} ({last['median_ms'] / first['median_ms']:.2f}x)"
            )
    return lines


def compare(rows: list[dict], earlier_path: str) -> None:
    """Each page and size against an earlier run's JSON (written by this script). Runs from the
    time of the page cache kept first views as cold_*: those are what is compared."""
    earlier = json.loads(Path(earlier_path).read_text())
    before = {(r["page"], r["size"]): r for r in earlier["rows"]}
    print(f"\nAgainst {earlier_path} ({earlier['database']}, {earlier['machine']}):")
    print(f"{'page':<27} {'size':>5} {'queries':>11} {'first view ms':>17} {'change':>8}")
    for row in rows:
        old = before.get((row["page"], row["size"]))
        if old is None:
            print(f"{row['page']:<27} {row['size']:>5}  (not in the earlier run)")
            continue
        old_queries = old.get("cold_queries", old["queries"])
        old_ms = old.get("cold_median_ms", old["median_ms"])
        change = (row["median_ms"] - old_ms) / old_ms * 100
        print(
            f"{row['page']:<27} {row['size']:>5} {old_queries:>5} → {row['queries']:<3} "
            f"{old_ms:>7.1f} → {row['median_ms']:<7.1f} {change:>+7.0f}%"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 500])
    parser.add_argument(
        "--national", action="store_true", help="also 5,000 strategies (PostgreSQL only)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the PostgreSQL database's bench data and grow it (5,000 strategies take "
        "about 15 minutes to build; a size below what is there is measured as it is)",
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", default=str(ROOT / "bench" / "pages.json"))
    parser.add_argument("--compare", help="an earlier run's JSON to set these figures against")
    args = parser.parse_args()
    if args.compare and not Path(args.compare).is_file():  # found out now, not after the run
        parser.error(f"--compare: no file {args.compare}")
    database_url = os.environ.get("BENCH_DATABASE_URL")
    if args.national and not (database_url or "").startswith("postgres"):
        parser.error("--national runs on PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
    sizes = sorted(set(args.sizes) | ({NATIONAL} if args.national else set()))
    workdir = tempfile.TemporaryDirectory()
    if database_url is None:
        database_url = f"sqlite:///{workdir.name}/bench.sqlite3"
    configure(database_url)
    if args.reuse and not (database_url or "").startswith("postgres"):
        parser.error("--reuse keeps a PostgreSQL database: set BENCH_DATABASE_URL=postgres://…")
    if database_url.startswith("postgres") and not args.reuse:
        from django.db import connection

        with connection.cursor() as cursor:  # start from empty
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    from django.db import connection

    machine = f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"Waymark page benchmark on {connection.vendor}, {machine}")
    print_header()
    rows = run(sizes, args.runs)
    Path(args.json).write_text(
        json.dumps({"database": connection.vendor, "machine": machine, "rows": rows}, indent=2)
        + "\n"
    )
    print(f"\nWritten to {args.json}.")
    if args.compare:
        compare(rows, args.compare)
    grown = growth(rows)
    if grown:
        print("\nGrowth with the data:\n  " + "\n  ".join(grown))
    else:  # one size (as with --reuse of one): nothing to set it against
        print("\nGrowth with the data: one size measured; give --sizes two or more to see it.")
    problems = check(rows)
    if problems:
        print("Targets missed:\n  " + "\n  ".join(problems))
    else:
        print("Targets met: fixed query counts, no page slower than its admin change list.")


if __name__ == "__main__":
    main()
