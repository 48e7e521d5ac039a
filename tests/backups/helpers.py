"""For the backup tests: databases of their own, `manage.py` in another process, and the part
of a page that must be the same before a backup and after its restore."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

REPO = Path(settings.BASE_DIR)


def manage(*args: str, env: dict[str, str], timeout: int = 180) -> subprocess.CompletedProcess:
    """`manage.py <args>` in a process of its own, from the repository's root."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def database_url(name: str) -> str:
    """The suite's PostgreSQL server and credentials, with the database `name`."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{s['HOST'] or ''}{port}/{name}"


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database of the test's own (its name), dropped afterwards."""
    import psycopg2
    from psycopg2 import sql

    s = connection.settings_dict
    given = {"user": s["USER"], "password": s["PASSWORD"], "host": s["HOST"], "port": s["PORT"]}
    admin = psycopg2.connect(dbname="postgres", **{k: v for k, v in given.items() if v})
    admin.autocommit = True
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield name
    finally:
        with admin.cursor() as cursor:
            drop = "DROP DATABASE IF EXISTS {} WITH (FORCE)"
            cursor.execute(sql.SQL(drop).format(sql.Identifier(name)))
        admin.close()


def main_part(html: str) -> str:
    """The page's <main>, without what differs between two renderings (CSRF tokens)."""
    found = re.search(r"<main\b.*?</main>", html, re.S)
    assert found, "the page has no <main>"
    text = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*', r"\1", found.group(0))
    return re.sub(r'("X-CSRFToken":\s*")[^"]*', r"\1", text)
