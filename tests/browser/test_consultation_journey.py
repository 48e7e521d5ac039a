"""A member of the public responds; an officer tags a theme and publishes "you said, we did"."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultation import workflow
from consultation.models import ConsultationWindow, Response
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


def test_public_response_then_you_said_we_did(new_page):
    council = OrganisationFactory(name="Milton Keynes Council", slug="mk")
    officer = UserFactory(
        username="olivia", organisation=council, role=User.Role.OFFICER, password=PASSWORD
    )
    board = Body.objects.create(
        organisation=council, name="Shadow Health and Wellbeing Board", kind="shadow_hwb"
    )
    strategy = StrategyFactory(
        lead_organisation=council, title="Joint Health and Wellbeing Strategy"
    )
    add_priority(strategy, "Improve Wellbeing")
    gate = governance.add_gate(strategy, board, Purpose.CONSULT, officer)
    today = timezone.localdate()
    window = ConsultationWindow.objects.create(
        strategy=strategy,
        gate=gate,
        title="Draft strategy: 90 day consultation",
        slug="mk-jhws",
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=84),
        minimum_days=84,
    )
    workflow.open_window(window, officer)

    public = new_page()
    public.goto("/consult/")
    assert_accessible(public)
    public.get_by_role("link", name="Draft strategy: 90 day consultation").click()
    public.get_by_label("An individual").check()
    # The trap for automated senders is in the page but neither seen nor announced.
    assert public.locator("#id_website").count() == 1
    expect(public.locator("#id_website")).to_be_hidden()
    assert public.get_by_role("textbox", name="Leave this empty").count() == 0
    public.get_by_label("How far do you agree with “Improve Wellbeing”?").select_option("5")
    public.get_by_label("Comments on “Improve Wellbeing”").fill(
        "More <b>walking</b> routes, please."
    )
    public.get_by_role("button", name="Send my response").click()
    expect(
        public.locator("form").get_by_text("Please confirm you have read the privacy notice.")
    ).to_be_visible()
    expect(public.get_by_label("Comments on “Improve Wellbeing”")).to_have_value(
        "More <b>walking</b> routes, please."
    )
    assert_accessible(public)  # the form with its errors
    public.get_by_label("I have read the privacy notice").check()
    public.get_by_role("button", name="Send my response").click()
    reference = Response.objects.get().reference
    expect(public.get_by_text(reference).first).to_be_visible()
    # ... with a copy of what was sent, to keep or print
    expect(public.get_by_text("More <b>walking</b> routes, please.")).to_be_visible()
    assert_accessible(public)  # the thank-you page

    staff = new_page()
    sign_in(staff, "olivia", PASSWORD)
    staff.goto(f"/consultations/{window.pk}/")
    staff.get_by_text("Add a theme").click()
    staff.get_by_label("Name").fill("Active travel")
    staff.get_by_role("button", name="Add the theme").click()
    staff.get_by_role("link", name="1 response: analysis").click()
    expect(staff.get_by_text("More <b>walking</b> routes, please.")).to_be_visible()
    staff.get_by_label("Active travel").check()
    staff.get_by_role("button", name=f"Save themes of {reference}").click()
    staff.get_by_text("Saved.", exact=True).wait_for()  # swapped in by htmx, no page load
    assert Response.objects.get().themes.get().name == "Active travel"
    assert_accessible(staff)  # the analysis page

    staff.goto(f"/consultations/{window.pk}/")
    staff.get_by_role("link", name="Close the consultation now").click()
    staff.get_by_role("button", name="Close the consultation").click()
    # Closing now is short of the policy's minimum: the reason is asked for, beside its field.
    expect(
        staff.locator("form").get_by_text("give the reason, which is kept with it")
    ).to_be_visible()
    assert_accessible(staff)  # the closing page with its error
    staff.get_by_label("Reason for closing now").fill("The Board meets early this year.")
    staff.get_by_role("button", name="Close the consultation").click()
    expect(staff.get_by_text("Consultation closed with 1 response").first).to_be_visible()
    staff.get_by_role("link", name="Write an entry").click()
    staff.get_by_label("Theme").select_option(label="Active travel")
    staff.get_by_label("You said").fill("People asked for more walking routes.")
    staff.get_by_label("The strategy changed").uncheck()
    staff.get_by_label("Why nothing changed").fill("Walking routes are in the transport plan.")
    staff.get_by_role("button", name="Save").click()
    staff.get_by_role("link", name="Publish “you said, we did”").click()
    expect(staff.get_by_role("button", name="Publish now")).to_be_visible()
    assert_accessible(staff)  # the confirmation page
    staff.get_by_role("button", name="Publish now").click()
    staff.get_by_role("link", name="The published response").click()
    expect(staff.get_by_text("People asked for more walking routes.")).to_be_visible()
    assert_accessible(staff)  # the public "you said, we did" page
