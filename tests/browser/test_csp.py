"""The pages run under the Content Security Policy as served (no bypass): nothing they load or
do is refused, so no script or style was left inline."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from governance import workflow
from governance.models import Body, Purpose
from strategies.models import User
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    StrategyFactory,
    UserFactory,
    add_priority,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_main_pages_break_no_rule_of_the_policy(browser, live_server):
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    officer = UserFactory(
        username="olivia", organisation=council, role=User.Role.OFFICER, password=PASSWORD
    )
    board = Body.objects.create(organisation=council, name="Health and Wellbeing Board", kind="hwb")
    strategy = StrategyFactory(
        title="Dudley Health and Wellbeing Strategy", lead_organisation=council
    )
    add_priority(strategy, "Healthier lives")
    day = timezone.localdate() + datetime.timedelta(days=20)
    workflow.add_gate(strategy, board, Purpose.APPROVE, officer, (), day, "day")

    context = browser.new_context(base_url=live_server.url)  # the policy as served
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in [
        "/",
        strategy.get_absolute_url(),
        f"/strategies/{strategy.slug}/route/",
        f"/strategies/{strategy.slug}/history/",
        "/timeline/",
        "/calendar/",
        "/consult/",
    ]:
        page.goto(path)
    # Bootstrap's script runs: the collapsed menu opens at a narrow width
    page.set_viewport_size({"width": 600, "height": 800})
    page.goto("/")
    page.get_by_role("button", name="Show or hide the menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").wait_for()
    context.close()
    assert not refused, "\n".join(refused)
