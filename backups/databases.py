"""Copying the database out and back in, for each vendor.

PostgreSQL: `pg_dump --format=custom` in a snapshot exported by a transaction of our own, which
then counts the rows in that same snapshot, so the manifest describes exactly what was dumped
however busy the app is; `pg_restore` in one transaction. SQLite: Python's sqlite3 online
backup API, consistent while the app writes; the rows are counted in the copy. Connection
settings go to the PostgreSQL tools as PG* environment variables, never on the command line.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db.utils import load_backend

from .manifest import read_facts

Facts = tuple[list[list[str]], dict[str, int]]

# Connection settings and the libpq environment variables that carry them.
PG_SETTINGS = {"NAME": "PGDATABASE", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
PG_SETTINGS |= {"HOST": "PGHOST", "PORT": "PGPORT"}
PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
}


class BackupError(Exception):
    """Something outside Waymark (a tool, the database, the disk) stopped the work: the message
    says what and what to do."""


# PostgreSQL.


def pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for setting, variable in PG_SETTINGS.items():
        if settings_dict.get(setting):
            env[variable] = str(settings_dict[setting])
    for option, value in (settings_dict.get("OPTIONS") or {}).items():
        if option in PG_OPTIONS and value not in (None, ""):
            env[PG_OPTIONS[option]] = str(value)
    return env


def pg_tool(name: str) -> tuple[str, int, str]:
    """The path, major version and version line of a PostgreSQL client tool."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed (or not on PATH): install the PostgreSQL client tools "
            f"of the server's version or newer (Debian: apt-get install postgresql-client)."
        )
    try:
        line = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=60, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as error:
        raise BackupError(f"{path} --version did not answer: {error}") from None
    found = re.search(r"(\d+)(?:\.\d+)*", line)
    if found is None:
        raise BackupError(f"{path} --version said {line!r}, which names no version.")
    return path, int(found.group(1)), line


def run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except OSError as error:
        raise BackupError(f"{command[0]} could not be started: {error}") from None
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip()[-2000:] or "nothing"
        name = Path(command[0]).name
        raise BackupError(f"{name} failed (exit status {result.returncode}); it said: {said}")


@contextmanager
def separate_connection(connection):
    """A connection of its own to the database `connection` is configured for, closed after."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    other = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "backups")
    try:
        other.ensure_connection()
        yield other
    finally:
        other.close()


def dump_postgresql(connection, target: Path) -> tuple[dict[str, Any], Facts]:
    with separate_connection(connection) as other, other.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0].split()[0]
        server_major = other.pg_version // 10000
        path, major, line = pg_tool("pg_dump")
        if major < server_major:
            raise BackupError(
                f"pg_dump is version {major} and the server {server_major}: pg_dump cannot dump "
                f"a newer server. Install postgresql-client-{server_major} (or newer) and put "
                f"its pg_dump first on PATH."
            )
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            command = [path, "--format=custom", f"--snapshot={snapshot}", "--no-password"]
            run([*command, f"--file={target}"], pg_environment(other.settings_dict))
            facts = read_facts(cursor, set(other.introspection.table_names(cursor)))
        finally:
            cursor.execute("ROLLBACK")
    return {"server_version": server_version, "dumped_with": line, "tool_major": major}, facts


def restore_postgresql(connection, dump: Path, database: dict[str, Any]) -> None:
    name = connection.settings_dict.get("NAME")
    if not name:
        raise BackupError("The configured database has no name (DATABASE_URL): give one.")
    path, major, _ = pg_tool("pg_restore")
    dumped_with = database.get("tool_major")
    if isinstance(dumped_with, int) and major < dumped_with:
        raise BackupError(
            f"pg_restore is version {major} and the backup was made by pg_dump {dumped_with}, "
            f"whose files it cannot read: install postgresql-client-{dumped_with} (or newer)."
        )
    command = [path, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    command += ["--no-password", f"--dbname={name}", str(dump)]
    connection.close()
    run(command, pg_environment(connection.settings_dict))


# SQLite.


def sqlite_file(connection) -> Path:
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError("The configured SQLite database is in memory: there is no file.")
    return Path(name)


def sqlite_tables(cursor) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in cursor.fetchall()}


def _copy_sqlite(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    try:
        # All pages in one step: the copy is of one moment, however busy the source is.
        source.backup(target)
    finally:
        target.close()
        source.close()


def dump_sqlite(connection, target: Path) -> tuple[dict[str, Any], Facts]:
    source = sqlite_file(connection)
    if not source.is_file():
        raise BackupError(f"There is no SQLite database at {source}: nothing to back up.")
    try:
        _copy_sqlite(sqlite3.connect(source, timeout=20), sqlite3.connect(target))
        copied = sqlite3.connect(target)
        try:
            cursor = copied.cursor()
            (check,) = cursor.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise BackupError(f"The copy of {source} fails SQLite's check: {check}")
            facts = read_facts(cursor, sqlite_tables(cursor))
        finally:
            copied.close()
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy {source}: {error}") from None
    return {"server_version": sqlite3.sqlite_version, "dumped_with": "sqlite3 backup API"}, facts


def restore_sqlite(connection, copy_file: Path) -> None:
    target = sqlite_file(connection)
    connection.close()
    try:
        # Read-only, so that the backup's file stays as its hash says.
        source = sqlite3.connect(copy_file.resolve().as_uri() + "?mode=ro", uri=True)
        _copy_sqlite(source, sqlite3.connect(target, timeout=20))
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not write {target}: {error}") from None


# Either.


def dump(connection, target_folder: Path, file_name: str) -> tuple[dict[str, Any], Facts]:
    if connection.vendor == "postgresql":
        return dump_postgresql(connection, target_folder / file_name)
    if connection.vendor == "sqlite":
        return dump_sqlite(connection, target_folder / file_name)
    raise BackupError(f"Backups are made of PostgreSQL and SQLite, not {connection.vendor}.")


def restore(connection, source: Path, database: dict[str, Any]) -> None:
    if connection.vendor == "postgresql":
        restore_postgresql(connection, source, database)
    else:
        restore_sqlite(connection, source)


def tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def facts(connection) -> Facts:
    with connection.cursor() as cursor:
        return read_facts(cursor, set(connection.introspection.table_names(cursor)))


def how_to_create(connection, exists: bool = True) -> str:
    """How to make an empty database to restore into, in the terms of the settings."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return (
            "Point DATABASE_URL at a new file (for example "
            "sqlite:////srv/waymark/restored.sqlite3) or move the present one away, and run "
            "restore again."
        )
    name = settings_dict.get("NAME") or "waymark"
    where = ""
    if settings_dict.get("HOST"):
        where += f" -h {settings_dict['HOST']}"
    if settings_dict.get("PORT"):
        where += f" -p {settings_dict['PORT']}"
    owner = f" --owner={settings_dict['USER']}" if settings_dict.get("USER") else ""
    if not exists:
        return f"If the database does not exist yet, create it: createdb{where}{owner} {name}"
    return (
        f"Create a fresh database (createdb{where}{owner} {name}_restored), point DATABASE_URL "
        f"at it, and run restore again; or, if “{name}” may go, dropdb{where} {name} and "
        f"createdb{where}{owner} {name} first."
    )
