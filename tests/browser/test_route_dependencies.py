"""An officer finds the route's order was set wrong, makes the sign-off wait for the
consultation instead of the review, is stopped from making a loop, and finds the change in the
history."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from governance import workflow
from governance.models import Body, Purpose
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_gate(page, name: str) -> None:
    """Opens the details of the gate whose row on the route page names it "Body: purpose"."""
    page.locator(".route-gate > summary", has_text=name).click()


def test_officer_changes_what_a_gate_waits_for(page, officers_strategy):
    strategy = officers_strategy
    board = Body.objects.get(name="Health and Wellbeing Board")
    officer = strategy.lead_organisation.users.get(username="olivia")
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    workflow.add_gate(strategy, board, Purpose.CONSULT, officer, [review])
    sign_off = workflow.add_gate(strategy, board, Purpose.SIGN_OFF, officer, [review])

    sign_in(page, "olivia", PASSWORD)
    page.goto(f"/strategies/{strategy.slug}/route/")
    # Each gate's buttons name its purpose, not only its body, which has three gates here; they
    # are in the gate's details, opened from its row.
    open_gate(page, "Health and Wellbeing Board: sign off")
    page.get_by_role("link", name="Re-plan Health and Wellbeing Board: sign off").click()
    assert page.get_by_label("Health and Wellbeing Board: Review").is_checked()
    page.get_by_label("Health and Wellbeing Board: Review").uncheck()
    page.get_by_label("Health and Wellbeing Board: Consult").check()
    page.get_by_label("Reason for the change").fill("Sign-off follows the consultation")
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_url(f"**/strategies/{strategy.slug}/route/")
    assert [str(g) for g in sign_off.waits_for.all()] == ["Health and Wellbeing Board: Consult"]

    # The consultation may not wait for the sign-off, which waits for it: a loop is refused
    # beside the field, with what was ticked kept.
    open_gate(page, "Health and Wellbeing Board: consult")
    page.get_by_role("link", name="Re-plan Health and Wellbeing Board: consult").click()
    page.get_by_label("Health and Wellbeing Board: Sign off").check()
    page.get_by_role("button", name="Save the plan").click()
    expect(
        page.locator("form").get_by_text("would make a loop that could never be decided")
    ).to_be_visible()
    expect(page.get_by_label("Health and Wellbeing Board: Sign off")).to_be_checked()  # kept
    assert_accessible(page)  # the re-plan form with its error
    assert not strategy.gates.get(purpose=Purpose.CONSULT).waits_for.exclude(pk=review.pk).exists()

    page.goto(f"/strategies/{strategy.slug}/route/")
    page.get_by_role("link", name="History").click()
    entry = page.locator(".history-entry").first
    expect(entry).to_contain_text("Health and Wellbeing Board: Sign off waits for")
    assert "Sign-off follows the consultation" in entry.inner_text()
