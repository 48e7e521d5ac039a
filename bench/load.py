"""Load test: staff, secretaries, officers and the public at once, against gunicorn on PostgreSQL.

Builds a fresh PostgreSQL database (LOAD_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/waymark_load, which it creates if it is not there and
empties), starts gunicorn with 2 workers on a free port of loopback, and for a bounded time runs,
all at once:
- staff browsing: the dashboard, a strategy page, the timeline and a history page (as a manager);
- secretaries recording decisions on gates that wait on a held meeting;
- the public sending consultation responses;
- two officers in two sessions editing the same strategy's vision at the same time.
Then it reports requests per second, median and 95th percentile latency per page, and errors,
and checks the database: every accepted response and decision is stored, every decided gate has
its history row, and every edit the server accepted is in the strategy's history (no lost
update: the two app processes never overwrite each other). Exit status 1 on any 5xx or loss.

    python bench/load.py [--seconds 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import itertools
import os
import queue
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/waymark_load"
PASSWORD = "load-password-2026"


class Browser:
    """One person's session: cookies, the CSRF token of the last form, timings per page."""

    def __init__(self, stats, base: str) -> None:
        self.base = base  # the server's address, http://127.0.0.1:port
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.stats = stats

    def request(self, label: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        url = self.base + path
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as answer:
                status, text = answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        except OSError as error:
            status, text = 599, str(error)
        self.stats.add(label, (time.perf_counter() - started) * 1000, status)
        return status, text

    def form(self, label: str, path: str) -> dict:
        status, page = self.request(label, path)
        if status != 200:
            return {}
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        return fields

    def sign_in(self, username: str) -> None:
        token = self.form("sign-in page", "/accounts/login/")["csrfmiddlewaretoken"]
        status, _ = self.request(
            "sign in",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        )
        assert status == 302, f"{username} could not sign in ({status})"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer we measure


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    def add(self, label: str, ms: float, status: int) -> None:
        with self.lock:
            self.times[label].append(ms)
            if status >= 500:
                self.errors[label] += 1


def setup() -> dict:
    """The data: bench strategies to browse, gates waiting for decisions, an open consultation,
    a strategy two officers edit, and the people."""
    import datetime

    from django.utils import timezone

    from bench import data
    from consultation import workflow as consultation
    from consultation.models import ConsultationWindow
    from governance.models import Gate, Meeting, Purpose
    from strategies import editing
    from strategies.models import Priority, Strategy, User

    data.grow_to(50)
    people = data.setup_people()
    org, bodies = people["org"], people["bodies"]
    for username, role in [
        ("load-manager", "manager"),
        ("load-officer-a", "officer"),
        ("load-officer-b", "officer"),
    ]:
        user = User.objects.create(username=username, organisation=org, role=role)
        user.set_password(PASSWORD)
        user.save()
    secretary = people["users"]["secretary"]
    secretary.set_password(PASSWORD)
    secretary.save()
    held = Meeting.objects.create(
        body=bodies["hwb"], starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    waiting = Strategy.objects.bulk_create(
        Strategy(title=f"Load {i}", slug=f"load-{i}", start_year=2026, end_year=2030,
                 lead_organisation=org, stage="in_governance")
        for i in range(400)
    )  # fmt: skip
    waiting = Strategy.objects.filter(slug__startswith="load-")
    Gate.objects.bulk_create(
        Gate(strategy=s, position=1, body=bodies["hwb"], purpose=Purpose.ENDORSE,
             meeting=held, state=Gate.State.SCHEDULED)
        for s in waiting
    )  # fmt: skip
    officer = User.objects.get(username="load-officer-a")
    edited = editing.create_strategy(
        Strategy(title="Edited together", start_year=2026, end_year=2030), org
    )
    public = editing.create_strategy(
        Strategy(title="Consulted", start_year=2026, end_year=2030), org
    )
    for title in ("Improve wellbeing", "Reduce inequalities"):
        editing.add_item(Priority(strategy=public, title=title))
    today = timezone.localdate()
    window = ConsultationWindow.objects.create(
        strategy=public, title="Load", slug="load", opens_on=today,
        closes_on=today + datetime.timedelta(days=90), minimum_days=84,
    )  # fmt: skip
    consultation.open_window(window, officer)
    gates = list(Gate.objects.filter(meeting=held).values_list("pk", flat=True))
    return {"gates": gates, "edited": edited.slug, "edited_pk": edited.pk}


def staff(stats, stop, base: str) -> None:
    me = Browser(stats, base)
    me.sign_in("load-manager")
    pages = itertools.cycle(["dashboard", "strategy page", "timeline", "history"])
    while not stop.is_set():
        page = next(pages)
        slug = f"bench-{random.randrange(50)}"
        path = {
            "dashboard": "/",
            "strategy page": f"/strategies/{slug}/",
            "timeline": "/timeline/",
            "history": f"/strategies/{slug}/history/",
        }[page]
        me.request(page, path)


def secretary(stats, stop, base: str, gates: queue.Queue, decided: list) -> None:
    me = Browser(stats, base)
    me.sign_in("bench-secretary")
    while not stop.is_set():
        try:
            gate = gates.get_nowait()
        except queue.Empty:
            return
        fields = me.form("decision form", f"/gates/{gate}/decide/")
        if not fields:
            continue
        status, _ = me.request(
            "record decision",
            f"/gates/{gate}/decide/",
            {
                **fields,
                "outcome": "endorsed",
                "decided_on": time.strftime("%Y-%m-%d", time.localtime(time.time() - 2 * 86400)),
                "resolution": f"Endorsed under load ({gate}).",
            },
        )
        if status == 302:
            decided.append(gate)


def public(stats, stop, base: str, accepted: list) -> None:
    me = Browser(stats, base)
    n = 0
    while not stop.is_set():
        status, page = me.request("consultation page", "/consult/load/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            continue
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "respondent_type": "individual",
            "consent": "on",
            "general_comments": f"Load response {threading.get_ident()}-{n}",
        }
        for name in re.findall(r'name="(agree_\d+)"', page):
            data[name] = str(1 + n % 5)
        status, _ = me.request("send response", "/consult/load/", data)
        if status == 302:
            accepted.append(data["general_comments"])
        n += 1


def editor(stats, stop, base: str, username: str, slug: str, saved: list) -> None:
    me = Browser(stats, base)
    me.sign_in(username)
    n = 0
    while not stop.is_set():
        status, page = me.request("edit form", f"/strategies/{slug}/edit/")
        if status != 200:
            continue
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        vision = f"Vision by {username}, edit {n}"
        status, _ = me.request(
            "save edit",
            f"/strategies/{slug}/edit/",
            {**fields, "title": "Edited together", "start_year": "2026", "end_year": "2030",
             "top_level_term": "priority", "vision": vision},
        )  # fmt: skip
        if status == 302:
            saved.append(vision)
        n += 1


def report(stats: Stats, seconds: float) -> int:
    print("| page | requests | per second | median ms | p95 ms | 5xx |")
    print("|---|---|---|---|---|---|")
    errors = 0
    for label in sorted(stats.times):
        times = sorted(stats.times[label])
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        errors += stats.errors[label]
        print(
            f"| {label} | {len(times)} | {len(times) / seconds:.1f} | "
            f"{statistics.median(times):.0f} | {p95:.0f} | {stats.errors[label]} |"
        )
    total = sum(len(t) for t in stats.times.values())
    print(f"| **all** | {total} | {total / seconds:.1f} | | | {errors} |")
    return errors


def verify(decided: list, accepted: list, saved: list, edited_pk: int) -> list[str]:
    from consultation.models import Response
    from governance.models import Decision, Gate
    from strategies.models import Strategy

    problems = []
    stored = set(
        Response.objects.filter(window__slug="load").values_list("general_comments", flat=True)
    )
    lost = [c for c in accepted if c not in stored]
    if lost or len(stored) != len(accepted):
        problems.append(f"{len(lost)} accepted responses missing; {len(stored)} stored")
    if Decision.objects.filter(gate_id__in=decided).count() != len(decided):
        problems.append("an accepted decision is missing")
    passed_in_history = set(
        Gate.history.filter(id__in=decided, state="passed").values_list("id", flat=True)
    )
    if passed_in_history != set(decided):
        problems.append("a decided gate has no history row of its decision")
    visions = list(
        Strategy.history.filter(id=edited_pk).exclude(vision="").values_list("vision", flat=True)
    )
    if sorted(visions) != sorted(saved):
        problems.append(f"edits: {len(saved)} accepted, {len(visions)} in the history")
    strategy = Strategy.objects.get(pk=edited_pk)
    if saved and strategy.vision not in saved:
        problems.append("the strategy's vision is not one of the accepted edits")
    print(
        f"\nStored: {len(stored)} of {len(accepted)} accepted responses, "
        f"{len(decided)} decisions with their history, {len(saved)} accepted edits of one "
        f"strategy by two officers, all in its history (version {strategy.version})."
    )
    return problems


def database_url() -> str:
    """The database the load test runs on: LOAD_DATABASE_URL, or waymark_load on the local
    server when it is not given."""
    return os.environ.get("LOAD_DATABASE_URL") or DEFAULT_DATABASE_URL


def createdb_command(url: str) -> list[str]:
    """The createdb command that creates the database `url` names, on its server, as its user."""
    parts = urllib.parse.urlsplit(url)
    command = ["createdb", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        command += ["-U", urllib.parse.unquote(parts.username)]
    return [*command, urllib.parse.unquote(parts.path.lstrip("/"))]


def create_database(url: str) -> None:
    """Create the database `url` names unless it is there already (createdb then fails, which
    is harmless; any other failure shows when the load test connects to it)."""
    password = urllib.parse.urlsplit(url).password
    env = {**os.environ, "PGPASSWORD": urllib.parse.unquote(password)} if password else None
    subprocess.run(createdb_command(url), env=env, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    database = database_url()
    create_database(database)
    os.environ.update(
        DATABASE_URL=database,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        WAYMARK_CONSULTATION_RATE_LIMIT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_CONN_MAX_AGE="60",
        PYTHONWARNINGS="ignore:No directory at:UserWarning",
    )
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files not collected
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    data = setup()
    connection.close()
    from bench.responses import gunicorn

    stats, stop = Stats(), threading.Event()
    gates: queue.Queue = queue.Queue()
    for gate in data["gates"]:
        gates.put(gate)
    decided, accepted, saved = [], [], []
    # On a free port, answering from the server started here (see bench/responses.py).
    with gunicorn(os.environ.copy(), args.workers, ready="/healthz") as base:
        threads = (
            [threading.Thread(target=staff, args=(stats, stop, base)) for _ in range(4)]
            + [threading.Thread(target=secretary, args=(stats, stop, base, gates, decided))
               for _ in range(2)]
            + [threading.Thread(target=public, args=(stats, stop, base, accepted))
               for _ in range(3)]
            + [threading.Thread(target=editor,
                                args=(stats, stop, base, name, data["edited"], saved))
               for name in ("load-officer-a", "load-officer-b")]
        )  # fmt: skip
        started = time.perf_counter()
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        stop.set()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    print(
        f"Load test: {args.seconds:.0f} s, gunicorn with {args.workers} workers, PostgreSQL, "
        "11 clients (4 staff, 2 secretaries, 3 public, 2 officers on one strategy)\n"
    )
    errors = report(stats, elapsed)
    problems = verify(decided, accepted, saved, data["edited_pk"])
    if errors or problems:
        print("FAILED:", *(problems or [f"{errors} server errors"]), sep="\n  ")
        sys.exit(1)
    print("No 5xx, nothing lost.")


if __name__ == "__main__":
    main()
