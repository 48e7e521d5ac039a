"""A form sent back with problems takes keyboard focus to the notice of them."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_focus_goes_to_the_problems_then_on_into_the_form(page, officers_strategy):
    strategy = officers_strategy
    sign_in(page, "olivia", PASSWORD)
    page.goto(f"/strategies/{strategy.slug}/route/gates/add/")
    # A page without problems leaves focus where the browser puts it.
    assert page.evaluate("document.activeElement.tagName") == "BODY"
    page.get_by_label("Purpose").select_option("review")
    page.get_by_role("button", name="Add the gate").click()  # no body chosen
    notice = page.get_by_role("alert").filter(has_text="Please correct the problems")
    notice.wait_for()
    assert notice.evaluate("element => element === document.activeElement")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_body"
    assert page.get_by_label("Purpose").input_value() == "review"  # nothing typed was lost
    assert_accessible(page)
