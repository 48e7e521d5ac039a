"""The benchmark scripts run: `make bench`'s page benchmark at two small sizes and its response
benchmark with a few responses (every one stored), and (on PostgreSQL, as it needs) the load
test for a few seconds, with nothing lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

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
    for page in pages:
        for counted in ["queries", "cold_queries"]:
            counts = {row["size"]: row[counted] for row in rows if row["page"] == page}
            assert set(counts) == {2, 4} and len(set(counts.values())) == 1, (page, counts)
    # Served again, a page comes from the page cache; its first view renders it afresh.
    dashboard = next(row for row in rows if row["page"] == "dashboard")
    assert dashboard["queries"] < dashboard["cold_queries"]
    assert dashboard["median_ms"] > 0 and dashboard["cold_median_ms"] > 0
    assert "page" in result.stdout and "x floor" in result.stdout
    assert "first view ms" in result.stdout


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
    assert "99 →" in dashboard and "1000.0 →" in dashboard and "%" in dashboard
    assert "first view 2000.0 →" in dashboard  # and its first view, where the earlier run had one
    floor = next(line for line in lines if line.startswith("floor"))
    assert "first view" not in floor  # an earlier run without first views compares the median
    assert any(line.startswith("timeline") and "not in the earlier run" in line for line in lines)


def test_page_benchmark_refuses_a_missing_earlier_run_before_measuring(tmp_path):
    result = subprocess.run(
        [sys.executable, "bench/pages.py", "--compare", str(tmp_path / "none.json")],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and "--compare: no file" in result.stderr
    assert "page" not in result.stdout  # nothing was measured


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the load test needs PostgreSQL")
def test_load_test_runs_and_loses_nothing():
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/waymark_load"
    result = subprocess.run(
        [sys.executable, "bench/load.py", "--seconds", "3"],
        cwd=ROOT, env={**_env(), "LOAD_DATABASE_URL": url}, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "No 5xx, nothing lost." in result.stdout


def _responses(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "bench/responses.py", "--responses", "12", "--concurrency", "3"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_response_benchmark_stores_every_response_it_sends():
    result = _responses(_env())
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "| public consultation responses | SQLite | 2 | 3 | 12 | 12 |" in result.stdout


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
