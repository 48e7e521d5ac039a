"""The benchmark scripts run: `make bench`'s page benchmark at two small sizes and its response
benchmark with a few responses (every one stored, on a server of its own, leaving no temporary
folder behind), and (on PostgreSQL, as it needs) the load test for a few seconds, with nothing
lost, on the database it is given."""

from __future__ import annotations

import concurrent.futures
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from bench import load, responses

ROOT = Path(__file__).resolve().parent.parent


def _env() -> dict:
    # The scripts build their own databases; the test's settings must not leak into them.
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}
    return {k: v for k, v in os.environ.items() if k in keep}


def test_page_benchmark_measures_every_page_at_both_sizes(tmp_path):
    out = tmp_path / "pages.json"
    result = subprocess.run(
        [sys.executable, "bench/pages.py", "--sizes", "2", "4", "--runs", "1", "--json", str(out)],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    rows = json.loads(out.read_text())["rows"]
    pages = {row["page"] for row in rows}
    assert {"floor", "dashboard", "timeline", "history", "calendar feed"} <= pages
    assert {"calendar feed (everything)", "public consultation page"} <= pages
    for page in pages:
        counts = {row["size"]: row["queries"] for row in rows if row["page"] == page}
        assert set(counts) == {2, 4} and len(set(counts.values())) == 1, (page, counts)
    # Every request is a first view: nothing keeps a rendered page, so the dashboard runs its
    # queries each time (the session, the user and the page's own).
    dashboard = next(row for row in rows if row["page"] == "dashboard")
    assert dashboard["queries"] > 10 and dashboard["median_ms"] > 0
    assert dashboard["admin_median_ms"] > 0 and dashboard["vs_admin"] > 0
    assert "page" in result.stdout and "x floor" in result.stdout
    assert "first view ms" in result.stdout and "Growth with the data" in result.stdout


def test_page_benchmark_at_national_size_needs_postgresql(tmp_path):
    """--national (5,000 strategies) is refused on SQLite before anything is built."""
    result = subprocess.run(
        [sys.executable, "bench/pages.py", "--national", "--json", str(tmp_path / "x.json")],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and "--national runs on PostgreSQL" in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_consultation_benchmark_measures_one_consultation_at_two_sizes(tmp_path):
    """bench/consultations.py, at a few responses: the responses page's query count is the
    same at both sizes, and the downloads, the import and the suggestions are timed."""
    out = tmp_path / "consultations.json"
    result = subprocess.run(
        [sys.executable, "bench/consultations.py", "--sizes", "10", "60", "--runs", "1",
         "--json", str(out)],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(out.read_text())
    pages = found["pages"]
    assert [row["responses"] for row in pages] == [10, 60]
    assert pages[0]["queries"] == pages[1]["queries"]
    assert all(row["admin_ms"] > 0 and row["first_view_ms"] > 0 for row in pages)
    assert set(found["at_scale_ms"]) == {
        "responses CSV",
        "JSON export",
        "import: read and check 60 rows",
        "import: add 60 rows",
        "theme suggestions, 60 comments",
    }


def test_page_benchmark_compares_with_an_earlier_run(tmp_path):
    """--compare sets each page against an earlier run's JSON, for comparing commits."""
    earlier = tmp_path / "earlier.json"
    rows = [
        {"page": "floor", "size": 2, "queries": 3, "median_ms": 1.0},
        {
            "page": "dashboard",
            "size": 2,
            "queries": 99,
            "median_ms": 1000.0,
            "cold_median_ms": 2000.0,
        },
    ]
    earlier.write_text(json.dumps({"database": "sqlite", "machine": "then", "rows": rows}))
    result = subprocess.run(
        [sys.executable, "bench/pages.py", "--sizes", "2", "--runs", "1",
         "--json", str(tmp_path / "now.json"), "--compare", str(earlier)],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.split(f"Against {earlier}")[1].splitlines()
    dashboard = next(line for line in lines if line.startswith("dashboard"))
    assert "99 →" in dashboard and "%" in dashboard
    assert "2000.0 →" in dashboard  # a run from the page cache's time: its first view
    floor = next(line for line in lines if line.startswith("floor"))
    assert "1.0 →" in floor  # an earlier run without first views compares its median
    assert any(line.startswith("timeline") and "not in the earlier run" in line for line in lines)


def test_page_benchmark_refuses_a_missing_earlier_run_before_measuring(tmp_path):
    result = subprocess.run(
        [sys.executable, "bench/pages.py", "--compare", str(tmp_path / "none.json")],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and "--compare: no file" in result.stderr
    assert "page" not in result.stdout  # nothing was measured


def _postgres(*command: str, database: str) -> subprocess.CompletedProcess:
    """createdb, dropdb or psql on the test database's server, for another database."""
    settings = connection.settings_dict
    where = ["-h", settings["HOST"], "-p", str(settings["PORT"] or 5432), "-U", settings["USER"]]
    return subprocess.run([*command, *where, database], capture_output=True, text=True)


def _exists(database: str) -> bool:
    found = _postgres("psql", "-Atc", "SELECT 1", database=database)
    return found.returncode == 0 and found.stdout.strip() == "1"


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the load test needs PostgreSQL")
def test_load_test_runs_and_loses_nothing():
    """On a database of its own that is not there yet: the load test creates the database it is
    given (it used to create waymark_load whatever it was given, then fail to connect)."""
    settings = connection.settings_dict
    server = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
    _postgres("dropdb", "--if-exists", database="waymark_test_load")
    assert not _exists("waymark_test_load")
    try:
        url = f"{server}/waymark_test_load"
        result = subprocess.run(
            [sys.executable, "bench/load.py", "--seconds", "3"],
            cwd=ROOT, env={**_env(), "LOAD_DATABASE_URL": url}, capture_output=True, text=True,
            timeout=600,
        )  # fmt: skip
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
        assert "No 5xx, nothing lost." in result.stdout
    finally:
        _postgres("dropdb", "--if-exists", database="waymark_test_load")


def test_load_test_creates_the_database_it_is_given(monkeypatch):
    """The database it is given, on its server, as its user; waymark_load only when none is."""
    monkeypatch.delenv("LOAD_DATABASE_URL", raising=False)
    assert load.database_url() == "postgres://postgres@127.0.0.1:5432/waymark_load"
    assert load.createdb_command(load.database_url()) == [
        "createdb", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "waymark_load",
    ]  # fmt: skip
    monkeypatch.setenv("LOAD_DATABASE_URL", "postgresql://alice:secret@db.example:6543/elsewhere")
    assert load.database_url() == "postgresql://alice:secret@db.example:6543/elsewhere"
    assert load.createdb_command(load.database_url()) == [
        "createdb", "-h", "db.example", "-p", "6543", "-U", "alice", "elsewhere",
    ]  # fmt: skip
    monkeypatch.setenv("LOAD_DATABASE_URL", "")  # set but empty: as if not given
    assert load.database_url().endswith("/waymark_load")


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_load_test_creates_a_missing_database_and_keeps_one_that_is_there():
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/waymark_test_create"
    _postgres("dropdb", "--if-exists", database="waymark_test_create")
    try:
        load.create_database(url)
        assert _exists("waymark_test_create")
        load.create_database(url)  # there already: harmless
        assert _exists("waymark_test_create")
    finally:
        _postgres("dropdb", "--if-exists", database="waymark_test_create")


def _responses(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "bench/responses.py", "--responses", "12", "--concurrency", "3"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def _left_behind(tmp: Path) -> list[str]:
    """The benchmark's temporary folders still in `tmp` (its TMPDIR)."""
    return [path.name for path in tmp.iterdir() if path.name.startswith("waymark-bench-")]


def test_response_benchmark_removes_its_temporary_folder_when_it_fails(tmp_path):
    """A server that cannot start (gunicorn refuses -1 workers) fails the run, at once and
    saying so, after the database was built in the temporary folder: the folder still goes."""
    result = subprocess.run(
        [sys.executable, "bench/responses.py", "--responses", "3", "--workers", "-1"],
        cwd=ROOT, env={**_env(), "TMPDIR": str(tmp_path)}, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    assert result.returncode != 0
    assert "the server stopped" in result.stderr, result.stderr[-3000:]
    assert _left_behind(tmp_path) == []


def test_response_benchmark_stores_every_response_it_sends_even_beside_another_run(tmp_path):
    """Every response sent is stored, and the temporary folder, SQLite file and all, is gone
    afterwards. Two runs at once: with one fixed port, the second run's server could not have
    it and the run posted to the first run's server instead (the responses went to the other
    database and both runs failed); each now reaches its own."""
    env = {**_env(), "TMPDIR": str(tmp_path)}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(_responses, [env, env]))
    for result in results:
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
        assert "| public consultation responses | SQLite | 2 | 3 | 12 | 12 |" in result.stdout
    assert _left_behind(tmp_path) == []


class _AnyServer(http.server.BaseHTTPRequestHandler):
    """Another server: answers every request with a page."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"not Waymark")

    def log_message(self, *args) -> None:
        pass


def test_an_answer_is_taken_only_while_the_server_started_runs():
    """Something answers at the address; that is the server's answer only while it runs. A
    server that stopped (as gunicorn did when another server held its fixed port) fails the
    wait instead of the benchmark posting to the other server."""
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AnyServer)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{other.server_port}/"
    stopped = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    stopped.wait()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with pytest.raises(RuntimeError, match=r"stopped \(exit status 3\)"):
            responses.wait_until_serving(url, stopped, timeout=5)
        responses.wait_until_serving(url, running, timeout=5)  # the control: it answers
    finally:
        running.kill()
        running.wait()
        other.shutdown()
        other.server_close()


def _bind(port: int) -> None:
    with socket.socket() as attempt:
        attempt.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        attempt.bind(("127.0.0.1", port))


def test_the_server_has_a_free_port_and_no_other_can_take_it_while_it_runs(tmp_path):
    env = {
        **_env(),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    with responses.gunicorn(env, workers=1, ready="/healthz") as address:
        port = urllib.parse.urlsplit(address).port
        with pytest.raises(OSError):
            _bind(port)  # held all along: nothing else can listen there and answer instead
        with urllib.request.urlopen(f"{address}/healthz", timeout=10) as answer:
            assert json.load(answer)["status"] == "ok"  # Waymark answers
    with pytest.raises(OSError):  # and stopped on leaving: nothing answers there
        urllib.request.urlopen(f"{address}/healthz", timeout=10)


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_response_benchmark_empties_a_postgresql_database_before_it_starts():
    """Run twice on one database: the second run finds the first one's data and must start from
    empty (its set-up would otherwise clash with the first's and the count be 24)."""
    settings = connection.settings_dict
    server = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
    subprocess.run(
        ["createdb", "-h", settings["HOST"], "-U", settings["USER"], "waymark_responses"],
        capture_output=True,
    )  # fails harmlessly if it is there already
    env = {**_env(), "BENCH_DATABASE_URL": f"{server}/waymark_responses"}
    for _ in range(2):
        result = _responses(env)
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
        assert "| public consultation responses | PostgreSQL | 2 | 3 | 12 | 12 |" in result.stdout
