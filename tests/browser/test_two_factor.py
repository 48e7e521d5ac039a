"""An officer turns on two-factor sign-in in Chromium, signs out, and signs in again with the
password and then a code from the app (here computed from the key the page shows)."""

from __future__ import annotations

import time

import pyotp
import pytest
from playwright.sync_api import expect

from strategies.models import User
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_turns_on_two_factor_and_signs_in_with_a_code(page):
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    UserFactory(username="olivia", organisation=council, role=User.Role.OFFICER, password=PASSWORD)
    sign_in(page, "olivia", PASSWORD)

    page.get_by_role("button", name="Account:").click()  # the account menu holds it
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("img", name="QR code holding the key below")).to_be_visible()
    assert_accessible(page)  # the set-up page
    key = page.locator("#two-factor-key").inner_text().replace(" ", "")
    totp = pyotp.TOTP(key)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill("999")
    page.get_by_role("button", name="Turn two-factor sign-in on").click()
    # The page came back, with the problem beside the field (and in the summary above).
    page.locator("form").get_by_text("Enter the six digits your app shows").wait_for()
    assert page.get_by_label("Code from your authenticator app").input_value() == "999"
    assert_accessible(page)  # with the error beside the field
    page.get_by_label("Your password").fill(PASSWORD)  # a password field is never refilled
    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Turn two-factor sign-in on").click()
    page.get_by_text("Two-factor sign-in is on").wait_for()  # not before the answer is in

    page.get_by_role("button", name="Account:").click()
    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/login/code/")
    assert_accessible(page)  # the code page
    # The code of the next 30 seconds: the one just used to turn it on works only once.
    code = totp.generate_otp(int(time.time() // totp.interval) + 1)
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Account:")).to_be_visible()  # signed in
