"""A secretary records the Board's decision with amendments, the officer amends the draft, and
the next decision's page shows the amendment."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance import workflow
from governance.models import Body, BodySecretary, Meeting, Purpose
from strategies.models import User
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    StrategyFactory,
    UserFactory,
    add_priority,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def yesterday_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def test_decision_with_amendments_then_the_amendment_shows(new_page):
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    officer = UserFactory(
        username="olivia",
        first_name="Olivia",
        last_name="Officer",
        organisation=council,
        role=User.Role.OFFICER,
        password=PASSWORD,
    )
    secretary = UserFactory(
        username="sam",
        first_name="Sam",
        last_name="Secretary",
        organisation=council,
        role=User.Role.SECRETARY,
        password=PASSWORD,
    )
    board = Body.objects.create(organisation=council, name="Health and Wellbeing Board", kind="hwb")
    BodySecretary.objects.create(body=board, user=secretary)
    strategy = StrategyFactory(
        lead_organisation=council, title="Dudley's Health and Wellbeing Strategy", slug="dudley-hws"
    )
    add_priority(strategy, "Improve wellbeing")
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    final = workflow.add_gate(strategy, board, Purpose.NOTE, officer, [review])
    Meeting.objects.create(body=board, starts_at=yesterday_at(10), venue="Council House")

    sam = new_page()
    sign_in(sam, "sam", PASSWORD)
    sam.get_by_role("link", name="My meetings").click()
    expect(sam.get_by_role("heading", name="My meetings", level=1)).to_be_visible()
    assert_accessible(sam)
    sam.get_by_role(
        "link", name=timezone.localtime(yesterday_at(10)).strftime("%-d %B %Y")
    ).first.click()
    sam.get_by_label("Strategy and gate").select_option(
        label=f"{strategy.title} 2017–2022: Review (date to be set)"
    )
    sam.get_by_role("button", name="Add to the agenda").click()
    sam.get_by_role("button", name="Record publication").click()
    expect(sam.get_by_text("frozen as sent in the papers")).to_be_visible()  # waits for the page
    assert_accessible(sam)  # the meeting page

    sam.get_by_role("link", name=f"Record the decision on {strategy.title}").click()
    sam.get_by_label("Outcome").select_option("approved_with_amendments")
    sam.get_by_label("Resolution").fill("")
    sam.get_by_role("button", name="Record the decision").click()
    expect(sam.locator("form").get_by_text("This field is required.")).to_be_visible()
    assert_accessible(sam)  # the decision form with its errors
    sam.get_by_label("Resolution").fill(
        "Approved, subject to naming the first priority for all ages."
    )
    sam.get_by_role("button", name="Record the decision").click()
    expect(
        sam.get_by_role("heading", name="Health and Wellbeing Board: approved with amendments")
    ).to_be_visible()
    assert_accessible(sam)  # the decision page

    olivia = new_page()
    sign_in(olivia, "olivia", PASSWORD)
    olivia.goto(f"/strategies/{strategy.slug}/")
    olivia.get_by_role("link", name="Edit content").click()  # the page reads first
    olivia.get_by_role("link", name="Edit priority 1: Improve wellbeing").click()
    olivia.locator("#id_title").fill("Improve wellbeing at every age")
    olivia.get_by_label("Reason for the change").fill("Amendment asked for by the Board")
    olivia.get_by_role("button", name="Save changes").click()
    olivia.get_by_role("link", name="Route").click()
    olivia.locator(".route-gate > summary", has_text="Health and Wellbeing Board: review").click()
    expect(olivia.get_by_role("link", name="Approved with amendments on")).to_be_visible()
    assert_accessible(olivia)  # the route page

    # Later the same day the Board meets again (added now, so that Sam's list above had one
    # meeting on that day to choose).
    second_meeting = Meeting.objects.create(body=board, starts_at=yesterday_at(15))
    workflow.schedule_gate(final, second_meeting, secretary)
    sam.goto(f"/gates/{final.pk}/decide/")
    sam.get_by_label("Outcome").select_option("noted")
    sam.get_by_label("Resolution").fill("The Board noted the amended strategy.")
    sam.get_by_role("button", name="Record the decision").click()
    since = sam.locator(
        "section", has=sam.get_by_role("heading", name="What changed since the previous gate")
    )
    assert "Improve wellbeing at every age" in since.inner_text()
    assert "Improve wellbeing" in since.locator("del").first.inner_text()
    assert_accessible(sam)
