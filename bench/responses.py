"""Benchmark: public consultation responses per second against a real server.

Starts gunicorn on 127.0.0.1:8765 with a fresh database (a temporary SQLite file, or the
PostgreSQL database named by BENCH_DATABASE_URL, which it empties first), opens a consultation,
posts responses from several threads as browsers would (page, CSRF token, form), then checks that
every one was stored and prints the rate. Run with `make bench`.

    python bench/responses.py [--responses 300] [--concurrency 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
SETUP = """
import datetime
from django.utils import timezone
from consultation import workflow
from consultation.models import ConsultationWindow
from strategies import editing
from strategies.models import Organisation, Priority, Strategy, User
org = Organisation.objects.create(name="Bench Council", slug="bench", kind="council")
officer = User.objects.create(username="bench", organisation=org, role="officer")
strategy = editing.create_strategy(Strategy(title="Bench", start_year=2025, end_year=2030), org)
for title in ("Improve wellbeing", "Reduce early deaths", "Reduce inequalities"):
    editing.add_item(Priority(strategy=strategy, title=title))
today = timezone.localdate()
window = ConsultationWindow.objects.create(strategy=strategy, title="Bench", slug="bench",
    opens_on=today, closes_on=today + datetime.timedelta(days=90), minimum_days=84)
workflow.open_window(window, officer)
"""
COUNT = "from consultation.models import Response; print(Response.objects.count())"
EMPTY = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
"""


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def respond(url: str, n: int) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {
        "csrfmiddlewaretoken": token,
        "respondent_type": "individual",
        "consent": "on",
        "general_comments": f"Benchmark response {n}",
    }
    for field in re.findall(r'name="(agree_\d+)"', page):
        data[field] = str(1 + n % 5)
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data).encode(), headers={"Referer": url}
    )
    with opener.open(request, timeout=30) as answer:
        if "thanks" not in answer.geturl():
            raise RuntimeError(f"response {n} was not accepted: {answer.geturl()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="waymark-bench-")
    database = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_DEBUG": "0",
        "WAYMARK_CONSULTATION_RATE_LIMIT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    if database.startswith("postgres"):
        manage(env, "shell", "-c", EMPTY)  # start from empty, as bench/pages.py does
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", SETUP)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{PORT}/consult/bench/"
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        numbers = iter(range(args.responses))
        lock, failures = threading.Lock(), []

        def worker() -> None:
            while True:
                with lock:
                    n = next(numbers, None)
                if n is None:
                    return
                try:
                    respond(url, n)
                except Exception as error:  # report, do not stop the others
                    failures.append(f"{n}: {error}")

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)

    stored = int(manage(env, "shell", "-c", COUNT).strip().splitlines()[-1])
    engine = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    print(
        "| benchmark | database | workers | clients | responses | stored | seconds | responses/s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| public consultation responses | {engine} | {args.workers} | {args.concurrency} | "
        f"{args.responses} | {stored} | {elapsed:.1f} | {args.responses / elapsed:.1f} |"
    )
    if failures or stored != args.responses:
        print(
            f"{len(failures)} failed, {args.responses - stored} not stored:",
            *failures[:5],
            sep="\n",
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
