"""A form sent back with problems takes keyboard focus to its error summary, whose links take
focus on to each field with a problem (templates/_error_summary.html, static/js/forms.js)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_focus_goes_to_the_summary_then_its_links_lead_to_the_fields(page, officers_strategy):
    strategy = officers_strategy
    sign_in(page, "olivia", PASSWORD)
    page.goto(f"/strategies/{strategy.slug}/route/gates/add/")
    # A page without problems leaves focus where the browser puts it.
    assert page.evaluate("document.activeElement.tagName") == "BODY"
    page.get_by_label("Purpose").select_option("review")
    page.get_by_label("How exact is the date").select_option("month")  # a month, but no date given
    page.get_by_role("button", name="Add the gate").click()  # and no body chosen
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    summary.wait_for()
    assert summary.evaluate("element => element === document.activeElement")
    assert_accessible(page)
    # The next Tab reaches the first link; following it focuses its field.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("Body:")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_body"
    # Clicking a link does the same, with the field's label in view.
    summary.get_by_role("link", name="Planned date").click()
    assert page.evaluate("document.activeElement.id") == "id_planned_date"
    expect(page.locator("label[for=id_planned_date]")).to_be_visible()
    assert page.get_by_label("Purpose").input_value() == "review"  # nothing typed was lost
