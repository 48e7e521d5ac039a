"""A double click on a form's button sends the form once."""

from __future__ import annotations

import pytest

from governance.models import Gate
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_double_click_adds_one_gate(page, officers_strategy):
    strategy = officers_strategy
    sign_in(page, "olivia", PASSWORD)
    page.goto(f"/strategies/{strategy.slug}/route/gates/add/")
    # Bodies are offered with their organisation: two can share a name.
    page.get_by_label("Body").select_option(
        label="Health and Wellbeing Board (Dudley Metropolitan Borough Council)"
    )
    page.get_by_label("Purpose").select_option("review")
    page.get_by_role("button", name="Add the gate").dblclick()
    page.wait_for_url(f"**/strategies/{strategy.slug}/route/")
    assert Gate.objects.filter(strategy=strategy).count() == 1
