"""Every main page, as the people who use it see it, is valid HTML by the W3C Nu HTML Checker
(vnu), the checker behind validator.w3.org/nu. axe-core (the browser tests) finds what a
person using assistive technology meets; vnu finds what the HTML standard forbids, which
browsers forgive in different ways: a duplicate id, an element where it may not be, an
attribute value no browser is obliged to read.

The checker is the npm package vnu-jar, a Java program. .ci/run fetches it into .cache/vnu/
(ignored by git, never vendored); elsewhere set WAYMARK_VNU_JAR to a vnu.jar of your own.
Without Java or the jar the test skips, but with WAYMARK_REQUIRE_BROWSER=1 (set by .ci/run)
it fails, so CI can never pass on a skipped check. The pages are rendered with Django's test
client from the demo's data, written to a folder and checked by one run of the checker (one
Java start: it takes a few seconds for them all)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template import loader

from tests.conftest import client_for
from tests.main_pages import load_demo, main_pages, person

pytestmark = pytest.mark.django_db

VNU_JAR = Path(__file__).resolve().parents[1] / ".cache/vnu/package/build/dist/vnu.jar"


@pytest.fixture
def vnu() -> list[str]:
    """The command that runs the checker, or a skip (a failure when CI requires it), before
    any data is made."""
    jar = Path(os.environ.get("WAYMARK_VNU_JAR") or VNU_JAR)
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("java is not installed (apt-get install -y default-jre-headless)")
    if not jar.is_file():
        missing.append(f"there is no {jar} (see .ci/run, or set WAYMARK_VNU_JAR)")
    if missing:
        message = "the W3C Nu HTML Checker cannot run: " + "; ".join(missing)
        if os.environ.get("WAYMARK_REQUIRE_BROWSER") == "1":
            pytest.fail(message + ", and WAYMARK_REQUIRE_BROWSER=1 forbids skipping")
        pytest.skip(message)
    return [java, "-jar", str(jar)]


@pytest.fixture
def demo(settings) -> None:
    load_demo(settings)
    settings.AXES_ENABLED = False


def write_pages(folder: Path) -> list[Path]:
    files = []
    for name, (url, username, status) in main_pages().items():
        response = client_for(username and person(username)).get(url)
        assert response.status_code == status, f"{name}: {url} answered {response.status_code}"
        files.append(folder / f"{name}.html")
        files[-1].write_bytes(response.content)
    # The pages served without a request context (portal.views.server_error): a 500 from
    # Django's handler, a 503 while the database is away.
    for name in ["500", "503"]:
        files.append(folder / f"{name}.html")
        files[-1].write_text(loader.get_template(f"{name}.html").render())
    return files


def test_every_main_page_is_valid_html(vnu, demo, tmp_path):
    files = write_pages(tmp_path)
    run = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.stdout, f"the checker gave no report: {run.stderr}"
    messages = json.loads(run.stdout)["messages"]
    # Nothing is filtered: every message vnu gives with --errors-only is an error (or a file it
    # could not read, "non-document-error"), and none is expected.
    problems = [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['type']}: {m['message']}"
        + (f"\n    {m['extract'].strip()}" if m.get("extract") else "")
        for m in messages
    ]
    assert not problems, f"{len(problems)} problems in {len(files)} pages:\n" + "\n".join(problems)
    assert run.returncode == 0, run.stderr
