"""Real Chromium through Playwright, against pytest-django's live server.

Chromium is Debian's (`apt-get install chromium`), never a downloaded build. Without it these
tests skip on a developer's machine, but with WAYMARK_REQUIRE_BROWSER=1 (set by .ci/run) a
missing browser is a failure, so CI can never pass on skipped browser tests.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from governance.models import Body
from strategies.models import User
from tests.factories import PASSWORD, OrganisationFactory, StrategyFactory, UserFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set
# up data are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("WAYMARK_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, stopped before the test database is dropped (its thread
    holds a connection that would otherwise keep PostgreSQL from dropping the database)."""
    return live_server


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("WAYMARK_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and WAYMARK_REQUIRE_BROWSER=1 forbids skipping")
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do: a click no longer waits for the page it leads to
    # (Playwright 1.65), so each check after one is an expect() that retries until it holds.
    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    # Connections opened while Playwright ran belong to its context; close them so that
    # PostgreSQL can drop the test database at the end.
    connections.close_all()


@pytest.fixture
def new_page(browser, live_server):
    """Makes pages, each in a browser context of its own: one per person in a journey."""
    contexts = []

    def make():
        # bypass_csp only lets axe-core be injected for the accessibility checks; the pages'
        # own scripts and styles obey the policy (see test_csp_blocks_nothing_on_the_pages).
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)  # a loaded CI host, two test processes beside it
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.2 A or AA violation on the page as it stands, once its colours
    have settled: a button just clicked is still under the pointer, and its hover transition,
    caught half-way, would be measured at a contrast no one ever sees at rest."""
    problems = axe_problems(page)
    assert not problems, f"axe-core on {page.url}:\n" + "\n".join(problems)


def axe_problems(page) -> list[str]:
    """What axe-core finds against WCAG 2.2 A and AA, one line for each rule broken. A context
    that added AXE as an init script has it on every page already (the walk of every page)."""
    page.mouse.move(0, 0)
    page.wait_for_function(
        "document.getAnimations().every(animation => animation.playState !== 'running')"
    )
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    # resultTypes: the passes and the undecided are counted, not described: much quicker on
    # a long page, and only the violations are read.
    result = page.evaluate(
        "tags => axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(", ".join(node["target"]) for node in v["nodes"][:3])
        for v in result["violations"]
    ]


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # on to the dashboard


@pytest.fixture
def officers_strategy(live_server):
    """An officer (olivia) of a council with a Health and Wellbeing Board, and a strategy of
    theirs with no route yet: what a route journey starts from."""
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    UserFactory(username="olivia", organisation=council, role=User.Role.OFFICER, password=PASSWORD)
    Body.objects.create(organisation=council, name="Health and Wellbeing Board", kind="hwb")
    return StrategyFactory(title="Dudley Health and Wellbeing Strategy", lead_organisation=council)
