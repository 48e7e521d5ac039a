"""The calendar feed page: creating the address, and resetting it only after confirming."""

from __future__ import annotations

import pytest

from strategies.models import User
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_creates_the_address_then_resets_it_after_confirming(page):
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    officer = UserFactory(
        username="olivia", organisation=council, role=User.Role.OFFICER, password=PASSWORD
    )
    sign_in(page, "olivia", PASSWORD)
    page.goto("/calendar/")
    feed_label = "Your feed address (your dates from a year back to two years ahead)"
    page.get_by_role("button", name="Create my feed address").click()
    address = page.get_by_label(feed_label)
    first = address.input_value()
    assert "/calendar.ics?key=" in first
    assert_accessible(page)

    page.get_by_role("link", name="Reset my feed address…").click()
    page.get_by_role("heading", name="Reset your calendar feed address?").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel, keep the address").click()
    assert page.get_by_label(feed_label).input_value() == first

    page.get_by_role("link", name="Reset my feed address…").click()
    page.get_by_role("button", name="Reset my feed address").click()
    page.get_by_text("The old address has stopped working").wait_for()
    second = page.get_by_label(feed_label).input_value()
    officer.refresh_from_db()
    assert second != first and second.endswith(officer.calendar_token)
