"""A manager opens the dashboard, sees what is late and what is projected, and follows a link
to the strategy; the pages pass axe-core."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance import workflow
from governance.models import Body, Purpose
from strategies.models import User
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, OrganisationFactory, StrategyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_manager_dashboard(new_page):
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    officer = UserFactory(username="olivia", organisation=council, role=User.Role.OFFICER)
    UserFactory(username="morgan", organisation=council, role=User.Role.MANAGER, password=PASSWORD)
    board = Body.objects.create(organisation=council, name="Health and Wellbeing Board", kind="hwb")
    cabinet = Body.objects.create(
        organisation=council, name="Cabinet", kind="cabinet", is_executive=True
    )
    strategy = StrategyFactory(
        title="Dudley Health and Wellbeing Strategy", lead_organisation=council
    )
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer, (), in_days(-12), "day")
    workflow.add_gate(
        strategy, cabinet, Purpose.ADOPT, officer, [review], in_days(20), "day", key_decision=True
    )

    page = new_page()
    sign_in(page, "morgan", PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    overdue = page.get_by_role("region", name="Overdue gates")
    assert "12 days late" in overdue.inner_text()
    warnings = page.get_by_role("region", name="Deadline warnings")
    assert "general exception" in warnings.inner_text()
    outlook = page.get_by_role("region", name="Adoption outlook")
    assert "Dudley Health and Wellbeing Strategy" in outlook.inner_text()
    assert_accessible(page)

    # keyboard: the first overdue gate's link takes the manager to the strategy's route
    overdue.get_by_role("link", name="Dudley Health and Wellbeing Strategy").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/strategies/{strategy.slug}/route/**")
    expect(page.get_by_role("heading", name="Governance route")).to_be_visible()
    assert_accessible(page)

    page.goto(strategy.get_absolute_url())
    expect(page.get_by_role("heading", name="Adoption")).to_be_visible()
    assert_accessible(page)


def test_old_lateness_is_quiet_and_the_page_reads_in_order(new_page):
    """A route stalled years ago next to one late this month: the recent gate is counted in
    days, the old one waits in a closed group that says since when, still linking to its
    route; the stage figures are links; headings go down one level at a time; no sideways
    scroll at 320 px; axe-core passes with the group closed and open."""
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    officer = UserFactory(username="olivia", organisation=council, role=User.Role.OFFICER)
    UserFactory(username="morgan", organisation=council, role=User.Role.MANAGER, password=PASSWORD)
    board = Body.objects.create(organisation=council, name="Health and Wellbeing Board", kind="hwb")
    stalled = StrategyFactory(title="Stalled Strategy 2017", lead_organisation=council)
    workflow.add_gate(stalled, board, Purpose.ENDORSE, officer, (), in_days(-3000), "day")
    current = StrategyFactory(title="Current Strategy", lead_organisation=council)
    workflow.add_gate(current, board, Purpose.REVIEW, officer, (), in_days(-12), "day")

    page = new_page()
    sign_in(page, "morgan", PASSWORD)
    overdue = page.get_by_role("region", name="Overdue gates")
    assert "12 days late" in overdue.inner_text()
    older = overdue.locator("details")
    assert older.locator("summary").inner_text() == "Older overdue gates (1)"
    stalled_link = overdue.get_by_role("link", name="Stalled Strategy 2017")
    expect(stalled_link).to_be_hidden()  # closed until asked for
    assert "days late" not in older.inner_text()
    assert_accessible(page)
    older.locator("summary").click()
    expect(stalled_link).to_be_visible()
    assert "Overdue since" in older.inner_text()
    assert_accessible(page)

    figures = page.get_by_role("region", name="Strategies by stage")
    expect(figures.get_by_role("link", name="2 Draft")).to_be_visible()
    expect(figures.get_by_role("link", name="0 In governance")).to_be_visible()
    levels = page.locator("main h1, main h2, main h3, main h4").evaluate_all(
        "hs => hs.map(h => Number(h.tagName[1]))"
    )
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)

    stalled_link.click()
    page.wait_for_url(f"**/strategies/{stalled.slug}/route/**")
