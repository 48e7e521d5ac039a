"""A throwaway PostgreSQL cluster for the load test (bench/load.py), and the helpers that create a
database on an existing server instead.

cluster() runs initdb into a temporary folder, starts the server on a free port of 127.0.0.1
(its Unix socket in that folder too, trust authentication, user postgres), yields it, and on
leaving, however it is left (an error, Ctrl+C, SIGTERM turned into SystemExit by the caller),
stops it and removes the folder. initdb and postgres refuse to run as root: as root they run as
the `postgres` system user (runuser), which owns the folder; as anyone else, as that user.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

BIN = Path(os.environ.get("LOAD_POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A server of its own: its folder, port and address; restart() measures how long it is down."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.data, self.log = folder, folder / "data", folder / "postgres.log"
        self.port = 0
        self.run_as: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(folder, owner.pw_uid, owner.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/waymark_load"

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        # -l always, so that no server output goes to our pipes (run() would wait on them).
        command = [*self.run_as, str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log)]
        return subprocess.run(
            [*command, *args], capture_output=True, text=True, check=check, timeout=120,
            start_new_session=True,  # Ctrl+C at the terminal is ours to handle, not the server's
        )  # fmt: skip

    def init(self) -> None:
        result = subprocess.run(
            [*self.run_as, str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
             "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{result.stdout}{result.stderr}")

    def start(self) -> None:
        """Start on a free port; a port taken between choosing and binding it means another try."""
        for _ in range(5):
            self.port = free_port()
            with open(self.data / "postgresql.auto.conf", "a") as conf:
                conf.write(
                    f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self.folder}'\nmax_connections = 50\n"
                )
            if self.pg_ctl("-w", "-t", "60", "start", check=False).returncode == 0:
                return
        raise RuntimeError(f"PostgreSQL did not start:\n{self.tail()}")

    def restart(self) -> float:
        """`pg_ctl restart -m fast -w`: seconds from asking it to stop to its accepting
        connections again, the time it was down."""
        started = time.perf_counter()
        result = self.pg_ctl("-m", "fast", "-w", "-t", "60", "restart", check=False)
        down = time.perf_counter() - started
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl restart failed:\n{result.stderr}\n{self.tail()}")
        return down

    def stop(self) -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        if self.pg_ctl("-m", "fast", "-w", "-t", "30", "stop", check=False).returncode == 0:
            return
        with contextlib.suppress(OSError, ValueError):  # pg_ctl failed: stop it by its pid
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGQUIT)
            for _ in range(100):
                os.kill(pid, 0)  # raises once it has gone
                time.sleep(0.1)

    def tail(self, lines: int = 20) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    folder = Path(tempfile.mkdtemp(prefix="waymark-load-pg-"))
    try:
        server = Cluster(folder)
        try:
            server.init()
            server.start()
            subprocess.run(
                [str(BIN / "createdb"), "-h", "127.0.0.1", "-p", str(server.port), "-U",
                 "postgres", "waymark_load"], capture_output=True, check=True, timeout=60,
            )  # fmt: skip
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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
