"""The README's production set-up ("Running on PostgreSQL with gunicorn") works as written."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.db import connection

from tests.backups.helpers import REPO, database_url, postgres_database

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-up is PostgreSQL's"),
]

SECTION = "## Running on PostgreSQL with gunicorn"
ADMIN = {"username": "root", "email": "root@example.org", "password": "a long passphrase 2026"}


def readme_commands() -> list[str]:
    """The command lines of the section's ```sh block, a line continued with \\ kept whole."""
    section = (REPO / "README.md").read_text().split(SECTION, 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, f"no ```sh block under {SECTION!r}"
    commands, current = [], ""
    for line in block.group(1).splitlines():
        current += line + "\n"
        if not line.rstrip().endswith("\\"):
            if current.strip():
                commands.append(current.rstrip("\n"))
            current = ""
    return commands


def placeholder_value(variable: str) -> str:
    """A test value for a `<...>` placeholder: a count for the proxies, a secret otherwise."""
    return "1" if "PROXIES" in variable else secrets.token_hex(32)


def with_test_values(command: str, url: str) -> str:
    """The export line with its `<...>` placeholders filled in and DATABASE_URL pointed at the
    test's own database; the rest as written."""
    command = re.sub(
        r"(\w+)=(['\"]?)<[^>]*>\2",
        lambda found: f"{found[1]}={shlex.quote(placeholder_value(found[1]))}",
        command,
    )
    command, replaced = re.subn(r"DATABASE_URL=\S+", f"DATABASE_URL={shlex.quote(url)}", command)
    assert replaced == 1, "the export line sets no DATABASE_URL"
    return command


def exported(command: str, env: dict[str, str]) -> dict[str, str]:
    """The environment after running the export line, as written, in a shell."""
    done = subprocess.run(
        ["bash", "-c", f"{command}\nenv -0"], env=env, cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return dict(item.split("=", 1) for item in done.stdout.split("\0") if "=" in item)


def trusts_forwarded_proto(env: dict[str, str]) -> bool:
    ask = "from config import settings; print(hasattr(settings, 'SECURE_PROXY_SSL_HEADER'))"
    done = subprocess.run(
        [sys.executable, "-c", ask], env=env, cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip() == "True"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rebound(words: list[str], port: int) -> list[str]:
    """The gunicorn command with its --bind address on `port`."""
    for i, word in enumerate(words):
        if word in {"--bind", "-b"}:
            words[i + 1] = f"{words[i + 1].rsplit(':', 1)[0]}:{port}"
            return words
        if word.startswith("--bind="):
            words[i] = f"{word.rsplit(':', 1)[0]}:{port}"
            return words
    return [*words, "--bind", f"127.0.0.1:{port}"]


class Browser:
    """Requests to gunicorn as the TLS proxy would pass them on, with the cookies kept by hand
    (they are Secure, which a cookie jar would not send over plain HTTP)."""

    def __init__(self, port: int, host: str, https: bool) -> None:
        self.port, self.host, self.https = port, host, https
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"{'https' if self.https else 'http'}://{self.host}"

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Host": self.host}
        if self.https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {"Content-Type": "application/x-www-form-urlencoded"}
            headers |= {"Origin": self.origin, "Referer": self.origin + path}
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies |= {k: morsel.value for k, morsel in SimpleCookie(header).items()}
        return response, text


def wait_for(browser: Browser, server: subprocess.Popen, log) -> tuple:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
        try:
            return browser.request("GET", "/healthz")
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer within a minute:\n{log.read_text()}")


def test_the_readme_production_set_up_runs_as_written(tmp_path):
    """Runs each command of the README's ```sh block under "Running on PostgreSQL with
    gunicorn", in order, in a shell from the repository's root, as written, except:

    - `createdb waymark`: a database of the test's own name is created (and dropped after), and
      the export line's DATABASE_URL points at it; every `<...>` placeholder on the export line
      gets a test value (a random secret; a proxy count of 1).
    - `createsuperuser` is interactive and needs a terminal: it runs with `--noinput` and
      DJANGO_SUPERUSER_USERNAME, _EMAIL and _PASSWORD in the environment.
    - gunicorn binds a free port instead of 8000, in the background, and is stopped at the end.
    - `collectstatic` gathers into the test's own folder (WAYMARK_STATIC_ROOT), not the
      checkout's `staticfiles/`, which the other test process's pages read meanwhile.

    The requests then carry the Host the README allows (DJANGO_ALLOWED_HOSTS as written). If the
    settings trust the proxy's X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER, set when the README
    declares WAYMARK_TRUSTED_PROXIES), they carry `X-Forwarded-Proto: https` as a TLS proxy's
    would; if not, gunicorn gets DJANGO_SECURE_SSL_REDIRECT=0, since a client over plain HTTP
    cannot pass for HTTPS then. GET /healthz must answer 200 with the database ok, and the
    superuser must sign in at /accounts/login/.
    """
    # Only what the README gives: none of the suite's own settings.
    ours = ("DJANGO_", "DATABASE_", "WAYMARK_", "PG")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env["WAYMARK_STATIC_ROOT"] = str(tmp_path / "staticfiles")
    commands = readme_commands()
    assert commands[-1].split()[0].endswith("gunicorn"), "gunicorn is not the last command"
    server = None
    log = tmp_path / "gunicorn.log"
    with postgres_database("waymark_readme") as name:
        try:
            for command in commands:
                words = shlex.split(command, comments=True)
                if words[0] == "createdb":
                    continue  # made above, under the test's own name
                if words[0] == "export":
                    env = exported(with_test_values(command, database_url(name)), env)
                elif "createsuperuser" in words:
                    admin = {f"DJANGO_SUPERUSER_{k.upper()}": v for k, v in ADMIN.items()}
                    line = shlex.join([*words, "--noinput"])
                    done = subprocess.run(
                        ["bash", "-c", line], env=env | admin, cwd=REPO, capture_output=True
                    )
                    assert done.returncode == 0, done.stderr.decode()
                elif words[0].endswith("gunicorn"):
                    https = trusts_forwarded_proto(env)
                    server_env = env if https else env | {"DJANGO_SECURE_SSL_REDIRECT": "0"}
                    port = free_port()
                    line = "exec " + shlex.join(rebound(words, port))
                    with log.open("w") as out:
                        server = subprocess.Popen(
                            ["bash", "-c", line], env=server_env, cwd=REPO, stdout=out, stderr=out
                        )
                else:
                    done = subprocess.run(
                        ["bash", "-c", command], env=env, cwd=REPO, capture_output=True, text=True
                    )
                    assert done.returncode == 0, f"{command!r} failed:\n{done.stderr}"
            host = env["DJANGO_ALLOWED_HOSTS"].split(",")[0].strip()
            browser = Browser(port, host, https)

            health, text = wait_for(browser, server, log)
            assert health.status == 200, text
            assert json.loads(text)["database"] == "ok"
            if https:  # the redirect to HTTPS is on, as written, for what no proxy passed on
                plain, _ = Browser(port, host, https=False).request("GET", "/healthz")
                assert plain.status == 301 and plain.headers["Location"].startswith("https://")

            page, text = browser.request("GET", "/accounts/login/")
            assert page.status == 200, text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)[1]
            form = {"username": ADMIN["username"], "password": ADMIN["password"]}
            signed_in, text = browser.request(
                "POST", "/accounts/login/", form | {"csrfmiddlewaretoken": token}
            )
            assert signed_in.status == 302, text
            assert "sessionid" in browser.cookies
            admin_page, text = browser.request("GET", "/admin/")
            assert admin_page.status == 200 and ADMIN["username"] in text
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
