"""The layout holds: each app imports only the apps below it (docs/decisions/0014), only the
portal imports all three domain apps, the apps' start-up is short, and no module grows past what
a reader can hold."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Each app and the apps of ours it may import, in their direction of dependency.
MAY_IMPORT = {
    "accounts": set(),
    "strategies": {"accounts"},
    "governance": {"accounts", "strategies"},
    "consultation": {"accounts", "strategies", "governance"},
    "delivery": {"accounts", "strategies", "governance"},
    # Documents attach to consultation windows by their model (a foreign key named as a string),
    # and import no app above governance.
    "documents": {"accounts", "strategies", "governance"},
    "portal": {"accounts", "strategies", "governance", "consultation", "delivery", "documents"},
    "audit": set(),
    "backups": set(),
}
OURS = set(MAY_IMPORT) | {"config"}
LONGEST_MODULE = 450  # lines; "about 400" with room for a docstring


def sources(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported_apps(path: Path) -> set[str]:
    """The apps of ours a module imports, wherever in the module (functions included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & OURS
    return found


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_each_app_imports_only_the_apps_below_it(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) - MAY_IMPORT[app] - {app})
        for path in sources(app)
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_only_the_portal_imports_all_three_domain_apps():
    domain = {"strategies", "governance", "consultation"}
    every = {
        app
        for app in MAY_IMPORT
        if domain <= set().union(*map(imported_apps, sources(app))) - {app}
    }
    assert every == {"portal"}


def test_the_registries_are_gone():
    assert not (ROOT / "strategies" / "extensions.py").exists()
    assert not (ROOT / "governance" / "extensions.py").exists()


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_no_app_start_up_is_longer_than_thirty_lines(app):
    ready = apps.get_app_config(app).ready.__func__
    if ready.__qualname__.startswith("AppConfig."):
        return  # Django's own, which does nothing
    source, _ = __import__("inspect").getsourcelines(ready)
    assert len(source) <= 30


@pytest.mark.parametrize("app", sorted(OURS))
def test_no_module_is_longer_than_a_reader_can_hold(app):
    long = {
        str(path.relative_to(ROOT)): n
        for path in sources(app)
        if (n := len(path.read_text().splitlines())) > LONGEST_MODULE
    }
    assert long == {}
