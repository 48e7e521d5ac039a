"""Meetings and events whose records give the day but not the time, or several days: the date
and time boxes are each labelled (axe-core finds nothing), a problem shows beside them, and
what was typed comes back."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from consultation.models import ConsultationWindow
from governance.models import Body, BodySecretary, Meeting
from strategies.models import User
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, OrganisationFactory, StrategyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def council():
    return OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")


def test_a_secretary_enters_a_meeting_whose_time_is_not_recorded(page, council):
    UserFactory(username="sam", organisation=council, role=User.Role.SECRETARY, password=PASSWORD)
    board = Body.objects.create(organisation=council, name="Health and Wellbeing Board", kind="hwb")
    BodySecretary.objects.create(body=board, user=User.objects.get(username="sam"))
    sign_in(page, "sam", PASSWORD)
    page.goto("/meetings/new/")
    page.get_by_label("Body").select_option(label=board.with_organisation)
    page.get_by_label("Date", exact=True).fill("2019-07-03")
    page.get_by_label("Time (leave empty if not recorded)").fill("01:30")
    page.get_by_label("Time (leave empty if not recorded)").fill("")
    assert_accessible(page)  # the form, its two boxes each labelled
    page.get_by_role("button", name="Create the meeting").click()
    page.get_by_role("heading", name="Health and Wellbeing Board, 3 July 2019").wait_for()
    expect(page.get_by_text("Not recorded")).to_be_visible()
    assert not Meeting.objects.get().time_known

    # A second meeting that day with no time either: told beside the date, typed values kept.
    page.goto("/meetings/new/")
    page.get_by_label("Body").select_option(label=board.with_organisation)
    page.get_by_label("Date", exact=True).fill("2019-07-03")
    page.get_by_role("button", name="Create the meeting").click()
    problem = page.get_by_text("already has a meeting on 3 July 2019, with no time recorded").last
    problem.wait_for()
    expect(problem).to_be_visible()
    assert page.get_by_label("Date", exact=True).input_value() == "2019-07-03"
    assert_accessible(page)  # the form with its problem


def test_an_officer_adds_an_event_over_several_days(page, council):
    UserFactory(username="olivia", organisation=council, role=User.Role.OFFICER, password=PASSWORD)
    strategy = StrategyFactory(
        title="Dudley Health and Wellbeing Strategy", lead_organisation=council
    )
    window = ConsultationWindow.objects.create(
        strategy=strategy, title="Have your say", slug="have-your-say",
        opens_on=datetime.date(2019, 6, 1), closes_on=datetime.date(2019, 8, 31), minimum_days=84,
    )  # fmt: skip
    sign_in(page, "olivia", PASSWORD)
    page.goto(window.get_absolute_url())
    page.get_by_text("Add an event").click()
    page.get_by_label("Title").fill("Drop-in sessions")
    page.get_by_label("Date", exact=True).fill("2019-07-05")
    page.get_by_label("Until").fill("2019-07-03")
    page.get_by_label("Place").fill("Central Library")
    page.get_by_role("button", name="Add the event").click()
    problem = page.get_by_text("An event cannot end before it starts.").last
    problem.wait_for()
    expect(problem).to_be_visible()
    assert page.get_by_label("Until").input_value() == "2019-07-03"
    assert_accessible(page)
    page.get_by_label("Until").fill("2019-07-07")
    page.get_by_role("button", name="Add the event").click()
    page.get_by_text("Event added.").wait_for()
    expect(page.get_by_text("Drop-in sessions: 5–7 July 2019")).to_be_visible()
