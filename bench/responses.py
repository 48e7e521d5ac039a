"""Benchmark: public consultation responses per second against a real server.

Starts gunicorn on a free port of 127.0.0.1 with a fresh database (a temporary SQLite file,
removed afterwards, or the PostgreSQL database named by BENCH_DATABASE_URL, which it empties
first), opens a consultation, posts responses from several threads as browsers would (page, CSRF
token, form), then checks that every one was stored and prints the rate. Run with `make bench`.

    python bench/responses.py [--responses 300] [--concurrency 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until `url` answers while `server` is still running. An answer that comes when the
    server has stopped is not its answer, so the server stopping first is an error, as is no
    answer within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while server.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=2).close()
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no answer from {url} in {timeout:.0f} s") from None
            time.sleep(0.2)
        else:
            if server.poll() is None:
                return  # answered while running, on the port it holds (see gunicorn())
    raise RuntimeError(f"the server stopped (exit status {server.returncode}) before answering")


@contextlib.contextmanager
def gunicorn(env: dict, workers: int, ready: str) -> Iterator[str]:
    """Gunicorn serving the site on a port nothing else holds; yields its address once the path
    `ready` answers, and stops the server on leaving.

    The socket is bound here to port 0 on loopback, so the system picks a free port, and is
    handed to gunicorn (--bind fd://N) instead of its port number: nothing can take the port
    between the two, and as this process keeps the socket open until the server has stopped,
    no other server can answer on it while the benchmark runs. Together with the server still
    running when it answers (wait_until_serving), the answers come from the server started
    here, never from another one."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(2048)  # gunicorn's own backlog
        address = f"http://127.0.0.1:{listener.getsockname()[1]}"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"fd://{listener.fileno()}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            pass_fds=[listener.fileno()],
        )
        try:
            wait_until_serving(address + ready, server)
            yield address
        finally:
            server.terminate()
            server.wait(timeout=20)
    finally:
        listener.close()


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

    with tempfile.TemporaryDirectory(prefix="waymark-bench-") as tmp:
        # Removed on leaving, whether the benchmark passed, failed or was interrupted.
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
        with gunicorn(env, args.workers, ready="/consult/bench/") as address:
            url = f"{address}/consult/bench/"
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
