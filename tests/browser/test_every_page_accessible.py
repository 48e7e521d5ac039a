"""axe-core on every page of the project, as each person who may open it sees it (issue 21):
every URL pattern of the permission matrix (tests/test_permissions.py) that answers a GET with
an HTML page, opened in Chromium by each of the matrix's people whose answer there is 200, with
the matrix's own world and URL arguments. The Django admin's pages have their own walk
(test_admin_accessibility.py). A page added to the project joins the matrix, and so this walk.

Every problem is gathered before the test fails, so one run lists them all."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from consultation.models import ConsultationWindow
from strategies.models import Strategy
from tests.browser.conftest import AXE, axe_problems
from tests.conftest import client_for
from tests.test_permissions import MATRIX, PEOPLE, matrix_kwargs, matrix_world
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# GET answers of the matrix that are not pages for a person to read: files, feeds, data, and a
# piece of a page (what htmx asks for; the page around it is walked). That it names only views
# of the matrix is checked without a browser (tests/test_every_page_walk_lists.py).
NOT_PAGES = {
    "healthz": "plain text for the load balancer",
    "open-data-json": "JSON",
    "open-data-csv": "CSV",
    "api:openapi-json": "JSON",
    "strategy-export": "JSON",
    "governance:gates-csv": "CSV",
    "consultation:export": "CSV",
    "report-docx": "Word",
    "report-pdf": "PDF",
    "progress-report-docx": "Word",
    "progress-report-pdf": "PDF",
    "documents:download": "the uploaded file",
    "consultation:suggestions-progress": "a piece of the suggestions page",
}

# Fewer visits than this and the walk has lost its way (it made 298 when written).
FEWEST_VISITS = 250


def visits() -> dict[str, list[str]]:
    """Each page's URL name, with the people the matrix lets open it (answered 200)."""
    return {
        name: [person for person, answer in zip(PEOPLE, expected.split(), strict=True)
               if answer == "200"]
        for name, (method, _, expected) in MATRIX.items()
        if method == "get" and name not in NOT_PAGES and "200" in expected.split()
    }  # fmt: skip


def _state(world: World) -> tuple[str, str]:
    return (
        Strategy.objects.get(pk=world.strategy.pk).stage,
        ConsultationWindow.objects.get(pk=world.window.pk).state,
    )


def in_walking_order(world: World, names: list[str]) -> list[str]:
    """The matrix checks each row on a world of its own; here one world serves them all, and
    a few rows' arguments move it on (adopt the strategy, close its consultation). Each row's
    arguments are made once and rolled back to learn the state they leave; rows that move
    nothing come first, then the others grouped by the state they need. Each is made on a deep
    copy of the world, so that what it changes in memory (a meeting moved, a gate scheduled)
    goes with the rollback (tests/test_every_page_walk_lists.py)."""
    start, leaves = _state(world), {}
    for name in names:
        with transaction.atomic():
            matrix_kwargs(copy.deepcopy(world), MATRIX[name][1])
            leaves[name] = _state(world)
            transaction.set_rollback(True)
    return sorted(names, key=lambda name: (leaves[name] != start, leaves[name], name))


def signed_in_pages(browser, live_server, world: World) -> dict[str, object]:
    """A browser context for each person, signed in by a session cookie made on the server
    (no sign-in form per person), with axe-core loaded into every page it opens."""
    pages = {}
    for person in PEOPLE:
        # bypass_csp only lets axe-core in, as in conftest's new_page.
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        context.add_init_script(path=str(AXE))
        if world.people[person] is not None:
            session = client_for(world.people[person]).cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session.value,
                  "url": live_server.url}]
            )  # fmt: skip
        pages[person] = context.new_page()
        pages[person].set_default_timeout(15_000)
    return pages


def test_every_page_passes_axe_core_for_each_person_who_may_open_it(browser, live_server):
    world = matrix_world()
    wanted = visits()
    pages = signed_in_pages(browser, live_server, world)
    failures, visited = [], 0
    try:
        for name in in_walking_order(world, sorted(wanted)):
            url = reverse(name, kwargs=matrix_kwargs(world, MATRIX[name][1]))
            for person in wanted[name]:
                page = pages[person]
                where = f"{name} {url} as {person}"
                response = page.goto(url)
                visited += 1
                kind = response.headers.get("content-type", "")
                if response.status != 200 or not kind.startswith("text/html"):
                    failures.append(f"{where}: answered {response.status} {kind}")
                    continue
                failures += [f"{where}: {problem}" for problem in axe_problems(page)]
    finally:
        for page in pages.values():
            page.context.close()
    print(f"axe-core on {len(wanted)} pages, {visited} visits by {len(PEOPLE)} people")
    assert visited == sum(map(len, wanted.values())) >= FEWEST_VISITS
    assert not failures, f"{len(failures)} problems in {visited} visits:\n" + "\n".join(failures)
