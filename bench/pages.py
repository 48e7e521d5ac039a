"""Benchmark: server time and query count of the main pages at two data sizes.

Builds a fresh database (a temporary SQLite file, or the PostgreSQL database named by
BENCH_DATABASE_URL, which it empties), fills it with bench/data.py to the smaller size,
measures every page, grows it to the larger size and measures again. Each page is requested
in-process through Django's test client (the whole request: middleware, view, queries and
template; no network), warmed up, then timed `--runs` times; the median is reported, twice: as
served again (from the page cache, strategies/page_cache.py, while nothing has changed) and as
a first view (the page cache emptied before each request, so the page is rendered afresh).

Two references are measured in the same run, each page timed in turn with them, round by round:
the floor, a minimal view rendering the site's base template (what any page costs), and the
Django admin change list of the same model where one exists. Prints a table and writes it as
JSON (bench/pages.json by default) for comparison between commits.

    python bench/pages.py [--sizes 10 500] [--runs 20] [--json bench/pages.json]
                          [--compare earlier.json]

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
]
USERS = {"my meetings": "secretary"}  # every other page as the manager


def configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    warnings.filterwarnings("ignore", message="No directory at")  # static files not collected


def measure(targets: list[tuple[object, str, bool]], runs: int) -> list[tuple[int, float]]:
    """Each (client, url, cold) warmed up and its queries counted, then timed `runs` times in
    turn, round by round: a page, the floor and the admin page it is set against are timed side
    by side, so that whatever else the machine is doing weighs on them alike. A cold target is
    requested with the page cache emptied first (outside the timing): the first view after a
    change. Returns (queries, median ms) for each."""
    from django.core.cache import caches
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    pages = caches["pages"]
    counts = []
    for client, url, cold in targets:
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        if cold:
            pages.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))  # read now: the list is a view of the connection's log
    times: list[list[float]] = [[] for _ in targets]
    for _ in range(runs):
        for (client, url, cold), spent in zip(targets, times, strict=True):
            reset_queries()
            if cold:
                pages.clear()
            started = time.perf_counter()
            client.get(url)
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
        counts = data.grow_to(size)
        if connection.vendor == "postgresql":  # as autovacuum would, after the bulk load
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
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
            "indicator": strategy.indicators.first().pk,
        }
        clients = {}
        for role in ["manager", "secretary", "administrator"]:
            clients[role] = Client()
            clients[role].force_login(users[role])
        floor = (clients["manager"], "/bench/floor/", False)
        for name, path, admin_path in PAGES:
            page = (clients[USERS.get(name, "manager")], path.format(**values))
            targets = [(*page, False)]
            if name != "floor":
                targets += [(*page, True), floor]
            if admin_path:
                targets.append((clients["administrator"], admin_path.format(**values), False))
            found = measure(targets, runs)
            queries, ms = found[0]
            cold_queries, cold_ms = found[1] if name != "floor" else found[0]
            floor_ms = found[2][1] if name != "floor" else ms
            admin = found[3] if admin_path else None
            rows.append(
                {
                    "page": name,
                    "size": size,
                    "queries": queries,
                    "median_ms": round(ms, 2),
                    "cold_queries": cold_queries,
                    "cold_median_ms": round(cold_ms, 2),
                    "floor_median_ms": round(floor_ms, 2),
                    "vs_floor": round(ms / floor_ms, 2),
                    "cold_vs_floor": round(cold_ms / floor_ms, 2),
                    "admin_page": admin_path,
                    "admin_queries": admin[0] if admin else None,
                    "admin_median_ms": round(admin[1], 2) if admin else None,
                    "vs_admin": round(ms / admin[1], 2) if admin else None,
                    "cold_vs_admin": round(cold_ms / admin[1], 2) if admin else None,
                    "data": counts,
                }
            )
            print_row(rows[-1])
    return rows


def print_header() -> None:
    print(
        f"{'page':<22} {'size':>5} {'queries':>9} {'median ms':>10} {'x floor':>8} "
        f"{'x admin':>8}   {'first view ms':>13} {'x floor':>8} {'x admin':>8} {'admin ms':>9}"
    )


def print_row(row: dict) -> None:
    def ratio(value):
        return f"{value:.2f}" if value else "—"

    admin_ms = f"{row['admin_median_ms']:.1f}" if row["admin_median_ms"] else "—"
    queries = f"{row['queries']} / {row['cold_queries']}"
    print(
        f"{row['page']:<22} {row['size']:>5} {queries:>9} {row['median_ms']:>10.1f} "
        f"{row['vs_floor']:>8.2f} {ratio(row['vs_admin']):>8}   {row['cold_median_ms']:>13.1f} "
        f"{row['cold_vs_floor']:>8.2f} {ratio(row['cold_vs_admin']):>8} {admin_ms:>9}",
        flush=True,
    )


def check(rows: list[dict], sizes: list[int], prefix: str = "") -> list[str]:
    """The targets: the same query count at every size; within 3 times the floor at the
    largest size; no slower than the admin change list of the same data. With prefix="cold_",
    the same for first views (the page cache empty)."""
    problems = []
    by_page: dict[str, dict[int, dict]] = {}
    for row in rows:
        by_page.setdefault(row["page"], {})[row["size"]] = row
    for page, by_size in by_page.items():
        if len({r[f"{prefix}queries"] for r in by_size.values()}) > 1:
            problems.append(f"{page}: query count changes with size")
        largest = by_size[max(sizes)]
        if largest[f"{prefix}vs_floor"] > 3:
            problems.append(f"{page}: {largest[f'{prefix}vs_floor']}x the floor at {max(sizes)}")
        if largest[f"{prefix}vs_admin"] and largest[f"{prefix}vs_admin"] > 1:
            problems.append(f"{page}: slower than its admin change list at {max(sizes)}")
    return problems


def compare(rows: list[dict], earlier_path: str) -> None:
    """Each page and size against an earlier run's JSON (written by this script)."""
    earlier = json.loads(Path(earlier_path).read_text())
    before = {(r["page"], r["size"]): r for r in earlier["rows"]}
    print(f"\nAgainst {earlier_path} ({earlier['database']}, {earlier['machine']}):")
    print(f"{'page':<22} {'size':>5} {'queries':>11} {'median ms':>17} {'change':>8}")
    for row in rows:
        old = before.get((row["page"], row["size"]))
        if old is None:
            print(f"{row['page']:<22} {row['size']:>5}  (not in the earlier run)")
            continue
        change = (row["median_ms"] - old["median_ms"]) / old["median_ms"] * 100
        line = (
            f"{row['page']:<22} {row['size']:>5} {old['queries']:>5} → {row['queries']:<3} "
            f"{old['median_ms']:>7.1f} → {row['median_ms']:<7.1f} {change:>+7.0f}%"
        )
        if "cold_median_ms" in old:  # runs before the page cache timed first views only
            cold = (row["cold_median_ms"] - old["cold_median_ms"]) / old["cold_median_ms"] * 100
            line += f"   first view {old['cold_median_ms']:.1f} → {row['cold_median_ms']:.1f}"
            line += f" {cold:+.0f}%"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 500])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", default=str(ROOT / "bench" / "pages.json"))
    parser.add_argument("--compare", help="an earlier run's JSON to set these figures against")
    args = parser.parse_args()
    if args.compare and not Path(args.compare).is_file():  # found out now, not after the run
        parser.error(f"--compare: no file {args.compare}")
    database_url = os.environ.get("BENCH_DATABASE_URL")
    workdir = tempfile.TemporaryDirectory()
    if database_url is None:
        database_url = f"sqlite:///{workdir.name}/bench.sqlite3"
    configure(database_url)
    if database_url.startswith("postgres"):
        from django.db import connection

        with connection.cursor() as cursor:  # start from empty
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    from django.db import connection

    machine = f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"Waymark page benchmark on {connection.vendor}, {machine}")
    print_header()
    rows = run(sorted(args.sizes), args.runs)
    problems = check(rows, args.sizes)
    Path(args.json).write_text(
        json.dumps({"database": connection.vendor, "machine": machine, "rows": rows}, indent=2)
        + "\n"
    )
    print(f"\nWritten to {args.json}.")
    if args.compare:
        compare(rows, args.compare)
    if problems:
        print("Targets missed:\n  " + "\n  ".join(problems))
    else:
        print("Targets met: fixed query counts, within 3x the floor, no slower than the admin.")
    first = check(rows, args.sizes, prefix="cold_")
    if first:
        print("First views (page cache empty), against the same targets:\n  " + "\n  ".join(first))


if __name__ == "__main__":
    main()
