"""The WSGI module gunicorn loads: it brings WeasyPrint in as a worker starts, so that the first
committee report's PDF does not wait for the import; tests and management commands, which never
import it, do not pay for it. Each check runs in a fresh interpreter, where nothing else has
imported WeasyPrint already."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def printed_after(code: str, show: str) -> str:
    """What `show` prints once `code` has run, in a fresh interpreter with the site's
    settings."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\n{show}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def loaded_after(code: str) -> set[str]:
    """Which of WeasyPrint and the PDF module are imported once `code` has run."""
    show = (
        "import sys\n"
        "print(' '.join(m for m in ('weasyprint', 'portal.reports.files') if m in sys.modules))"
    )
    return set(printed_after(code, show).split())


def test_importing_the_wsgi_module_loads_weasyprint():
    pytest.importorskip("weasyprint")
    assert loaded_after("import config.wsgi") == {"weasyprint", "portal.reports.files"}


def test_setting_django_up_without_the_wsgi_module_leaves_weasyprint_out():
    code = "import django\ndjango.setup()\nfrom django.urls import resolve\nresolve('/')"
    assert "weasyprint" not in loaded_after(code)


def test_servers_collect_garbage_less_often_than_python_does():
    """config/garbage.py: the WSGI and ASGI modules raise the youngest generation's threshold;
    plain Django (tests, commands) keeps Python's default."""
    from config.garbage import YOUNGEST_THRESHOLD

    def threshold_after(code: str) -> int:
        return int(printed_after(code, "import gc\nprint(gc.get_threshold()[0])").split()[-1])

    assert threshold_after("import config.wsgi") == YOUNGEST_THRESHOLD
    assert threshold_after("import config.asgi") == YOUNGEST_THRESHOLD
    default = threshold_after("pass")  # this Python's own (700 in 3.11)
    assert default != YOUNGEST_THRESHOLD
    assert threshold_after("import django\ndjango.setup()") == default
