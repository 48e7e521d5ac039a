"""A manager opens the approval timeline, filters it by body, reads the table and opens the
print view; the pages pass axe-core."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance import workflow
from governance.models import Body, BodySecretary, Meeting, Purpose
from strategies.models import User
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, OrganisationFactory, StrategyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_manager_timeline(new_page):
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    other = OrganisationFactory(name="Milton Keynes Council", slug="mk")
    officer = UserFactory(username="olivia", organisation=council, role=User.Role.OFFICER)
    other_officer = UserFactory(username="mo", organisation=other, role=User.Role.OFFICER)
    secretary = UserFactory(username="sam", organisation=council, role=User.Role.SECRETARY)
    UserFactory(username="morgan", organisation=council, role=User.Role.MANAGER, password=PASSWORD)
    board = Body.objects.create(organisation=council, name="Health and Wellbeing Board", kind="hwb")
    BodySecretary.objects.create(body=board, user=secretary)
    cabinet = Body.objects.create(
        organisation=council, name="Cabinet", kind="cabinet", is_executive=True
    )
    ccg = Body.objects.create(
        organisation=other, name="CCG Governing Body", kind="ccg_governing_body"
    )
    strategy = StrategyFactory(
        title="Dudley Health and Wellbeing Strategy", lead_organisation=council
    )
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer, (), in_days(-40), "day")
    day = in_days(-5)
    meeting = Meeting.objects.create(
        body=board,
        starts_at=timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 14)),
    )
    workflow.schedule_gate(review, meeting, secretary)
    workflow.record_decision(review, secretary, "approved", "Agreed.")
    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [review], in_days(-3), "day")
    workflow.add_gate(strategy, ccg, Purpose.ADOPT, officer, [review])
    theirs = StrategyFactory(title="Milton Keynes Strategy", lead_organisation=other)
    workflow.add_gate(theirs, ccg, Purpose.APPROVE, other_officer, (), in_days(30), "month")

    page = new_page()
    sign_in(page, "morgan", PASSWORD)
    page.get_by_role("link", name="Timeline", exact=True).click()
    page.wait_for_url("**/timeline/")
    expect(page.get_by_role("heading", name="Approval timeline", level=1)).to_be_visible()
    expect(
        page.get_by_role("img", name="Approval timeline of Milton Keynes Strategy")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Body on the route").select_option(
        label="Health and Wellbeing Board (Dudley Metropolitan Borough Council)"
    )
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/timeline/?*body=*")
    table = page.get_by_role("table", name="Each strategy's gates, planned against actual")
    text = table.inner_text()
    assert "Milton Keynes Strategy" not in text
    assert "35 days late" in text and "Overdue by 3 days" in text
    assert "Not on the drawing: no date yet." in text  # the CCG's adoption
    drawing = page.get_by_role(
        "img", name="Approval timeline of Dudley Health and Wellbeing Strategy"
    )
    expect(drawing).to_be_visible()
    assert_accessible(page)

    # The decision is a link from the table
    table.get_by_role("link", name=f"Approved on {day:%-d %B %Y}").click()
    page.wait_for_url("**/decisions/*/")
    page.go_back()

    page.get_by_role("link", name="Print view").click()
    page.wait_for_url("**print=1**")
    assert page.get_by_role("navigation", name="Main").count() == 0
    assert "body Health and Wellbeing Board" in page.locator("main").inner_text()
    assert_accessible(page)

    # The strategy page has its own timeline, with the table folded away
    page.goto(strategy.get_absolute_url())
    expect(page.get_by_role("heading", name="Approval timeline")).to_be_visible()
    page.get_by_text("The timeline as a table").click()
    expect(
        page.get_by_role("table", name="Gates of the route, planned against actual")
    ).to_be_visible()
    assert_accessible(page)
