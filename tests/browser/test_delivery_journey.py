"""An officer takes a published strategy into delivery, records progress on an action and reads
an indicator's chart; every page passes axe-core."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from delivery import indicators
from governance import workflow
from governance.models import Body, Purpose
from strategies.models import OutcomeIndicator, User
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    StrategyFactory,
    UserFactory,
    add_action,
    add_objective,
    add_priority,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_delivers_a_published_strategy(new_page):
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    officer = UserFactory(
        username="olivia", organisation=council, role=User.Role.OFFICER, password=PASSWORD
    )
    secretary = UserFactory(username="sam", organisation=council, role=User.Role.SECRETARY)
    board = Body.objects.create(organisation=council, name="Health and Wellbeing Board", kind="hwb")
    board.secretary_links.create(user=secretary)
    this_year = timezone.localdate().year
    strategy = StrategyFactory(
        title="Dudley Health and Wellbeing Strategy",
        lead_organisation=council,
        start_year=this_year - 2,
        end_year=this_year + 2,
    )
    objective = add_objective(add_priority(strategy, "Start well"), "Healthy pregnancies")
    add_action(objective, "Smoking cessation in pregnancy")
    indicator = OutcomeIndicator.objects.create(
        strategy=strategy, position=1, framework="local", title="Smoking at time of delivery",
        unit="%", baseline=Decimal("15.0"), target=Decimal("10.0"), polarity="lower",
        baseline_date=datetime.date(this_year - 2, 3, 31),
        target_date=datetime.date(this_year + 2, 3, 31),
    )  # fmt: skip
    from tests.governance.conftest import decide

    decide(workflow.add_gate(strategy, board, Purpose.ADOPT, officer), secretary)
    strategy.refresh_from_db()
    workflow.publish(strategy, officer)
    for year, value in [(this_year - 2, "15.1"), (this_year - 1, "13.9")]:
        indicators.add_value(
            indicator, officer, period=f"{year}/{str(year + 1)[2:]}",
            period_start=datetime.date(year, 4, 1), period_end=datetime.date(year + 1, 3, 31),
            value=Decimal(value), source="Demo data",
        )  # fmt: skip

    page = new_page()
    sign_in(page, "olivia", PASSWORD)
    page.goto(f"/strategies/{strategy.slug}/route/")
    page.get_by_role("link", name="Move into delivery").click()
    expect(page.get_by_label("Review due")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Review due").fill(f"{this_year + 2}-01-31")
    page.get_by_role("button", name="Move into delivery").click()
    page.wait_for_url(f"**/strategies/{strategy.slug}/route/**")
    assert "The strategy is in delivery." in page.content()

    page.get_by_role("link", name="Delivery").first.click()
    page.wait_for_url(f"**/strategies/{strategy.slug}/delivery/**")
    assert_accessible(page)
    page.get_by_role("link", name="Smoking cessation in pregnancy").first.click()
    assert_accessible(page)
    page.get_by_text("Record a progress update").click()
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_label("RAG rating").select_option(label="Amber")
    page.get_by_label("Commentary").fill("Referrals up; two midwives trained.")
    page.get_by_role("button", name="Record the update").click()
    page.wait_for_load_state()
    assert "Referrals up; two midwives trained." in page.content()
    assert_accessible(page)

    page.goto(f"/strategies/{strategy.slug}/indicators/{indicator.pk}/")
    chart = page.locator("svg[role=img]").first
    expect(chart).to_be_visible()
    assert "13.9" in page.get_by_role("table").first.inner_text()
    assert_accessible(page)
