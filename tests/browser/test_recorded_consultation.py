"""An officer records a consultation that ran in 2017, before the strategy came into Waymark: the
form on the window's page, its errors, and the pages that show it afterwards, all accessible."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from consultation.models import ConsultationWindow
from governance import workflow as governance
from governance.models import Body, Purpose
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


def test_an_officer_records_a_consultation_that_ran_in_2017(new_page):
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    UserFactory(username="olivia", organisation=council, role=User.Role.OFFICER, password=PASSWORD)
    board = Body.objects.create(organisation=council, name="Health and Wellbeing Board", kind="hwb")
    strategy = StrategyFactory(lead_organisation=council, title="Health and Wellbeing Strategy")
    add_priority(strategy, "Improve wellbeing")
    officer = User.objects.get(username="olivia")
    gate = governance.add_gate(strategy, board, Purpose.CONSULT, officer)
    window = ConsultationWindow.objects.create(
        strategy=strategy,
        gate=gate,
        title="Engagement and consultation 2017",
        slug="dudley-2017",
        opens_on=datetime.date(2017, 6, 1),
        closes_on=datetime.date(2017, 9, 30),
        minimum_days=84,
    )

    page = new_page()
    sign_in(page, "olivia", PASSWORD)
    page.goto(f"/consultations/{window.pk}/")
    # Its planned dates have passed: the form is shown open.
    expect(page.get_by_text("Record a consultation that has run", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Closed on").fill("2017-05-01")
    page.get_by_label("Result").fill("Broad support for the three priorities.")
    page.get_by_label("Responses received (as reported)").fill("412")
    page.get_by_label("From").fill("the consultation report to the Board of 4 July 2017")
    page.get_by_role("button", name="Record it as it ran").click()
    expect(
        page.locator("form").get_by_text("A window cannot close before it opens.")
    ).to_be_visible()
    assert page.get_by_label("Result").input_value() == "Broad support for the three priorities."
    assert_accessible(page)  # the form with its errors
    page.get_by_label("Closed on").fill("2017-09-30")
    page.get_by_role("button", name="Record it as it ran").click()
    expect(page.get_by_text("The consultation is recorded as it ran")).to_be_visible()
    expect(page.get_by_text("412 responses reported; not recorded one by one")).to_be_visible()
    assert_accessible(page)

    public = new_page()
    public.goto("/consult/dudley-2017/")
    expect(public.get_by_text("This consultation has closed")).to_be_visible()
    expect(public.get_by_role("heading", name="Result")).to_be_visible()
    assert_accessible(public)
