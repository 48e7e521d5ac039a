"""A double click on a form's button sends the form once."""

from __future__ import annotations

import pytest

from governance.models import Body, Gate
from strategies.models import User
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, OrganisationFactory, StrategyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_double_click_adds_one_gate(page):
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    UserFactory(username="olivia", organisation=council, role=User.Role.OFFICER, password=PASSWORD)
    Body.objects.create(organisation=council, name="Health and Wellbeing Board", kind="hwb")
    strategy = StrategyFactory(
        title="Dudley Health and Wellbeing Strategy", lead_organisation=council
    )
    sign_in(page, "olivia", PASSWORD)
    page.goto(f"/strategies/{strategy.slug}/route/gates/add/")
    page.get_by_label("Body").select_option(label="Health and Wellbeing Board")
    page.get_by_label("Purpose").select_option("review")
    page.get_by_role("button", name="Add the gate").dblclick()
    page.wait_for_url(f"**/strategies/{strategy.slug}/route/")
    assert Gate.objects.filter(strategy=strategy).count() == 1
