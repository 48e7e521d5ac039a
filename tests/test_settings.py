"""Production settings pass Django's deployment checks; development is safe by default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_deploy_reports_nothing_in_production():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="x" * 30 + "-production-secret-for-the-check-only-" + "y" * 20,
        DJANGO_ALLOWED_HOSTS="waymark.example.org",
        WAYMARK_AUDIT_KEY="z" * 40,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="waymark.example.org")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    secrets = {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 30 + "-production-secret-for-the-check-only-" + "y" * 20,
        "DJANGO_ALLOWED_HOSTS": "waymark.example.org",
    }
    result = manage("check", **secrets)
    assert result.returncode != 0 and "WAYMARK_AUDIT_KEY" in result.stderr
    result = manage("check", **secrets, WAYMARK_AUDIT_KEY_FILE=str(tmp_path / "absent"))
    assert result.returncode != 0 and "WAYMARK_AUDIT_KEY_FILE cannot be read" in result.stderr
    (tmp_path / "key").write_text("k" * 40 + "\n")
    result = manage("check", **secrets, WAYMARK_AUDIT_KEY_FILE=str(tmp_path / "key"))
    assert result.returncode == 0, result.stderr


def test_debug_is_off_unless_asked():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_a_redis_cache_url_makes_the_cache_shared():
    show = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    local = manage("shell", "-c", show)
    assert local.stdout.strip().endswith("LocMemCache"), local.stderr
    shared = manage("shell", "-c", show, WAYMARK_CACHE_URL="redis://127.0.0.1:6379/1")
    assert shared.stdout.strip().endswith("redis.RedisCache"), shared.stderr


def test_a_cache_url_that_is_not_redis_is_refused():
    result = manage("check", WAYMARK_CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0 and "WAYMARK_CACHE_URL must be a Redis address" in result.stderr


def test_postgresql_sessions_plan_no_parallel_workers_unless_told():
    show = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    url = "postgres://someone@db.example.org:5432/waymark?sslmode=require"
    default = manage("shell", "-c", show, DATABASE_URL=url)
    assert "'options': '-c max_parallel_workers_per_gather=0'" in default.stdout, default.stderr
    assert "'sslmode': 'require'" in default.stdout  # the address's own options kept
    two = manage("shell", "-c", show, DATABASE_URL=url, WAYMARK_PG_PARALLEL_WORKERS="2")
    assert "max_parallel_workers_per_gather=2" in two.stdout, two.stderr
    server = manage("shell", "-c", show, DATABASE_URL=url, WAYMARK_PG_PARALLEL_WORKERS="server")
    assert "max_parallel" not in server.stdout, server.stderr
    wrong = manage("check", DATABASE_URL=url, WAYMARK_PG_PARALLEL_WORKERS="none")
    assert wrong.returncode != 0 and "WAYMARK_PG_PARALLEL_WORKERS" in wrong.stderr
