"""An officer signs in, writes a strategy, changes its vision and finds the change in the
history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from strategies.models import Strategy, User
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_writes_a_strategy_and_sees_the_change_in_history(page):
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    OrganisationFactory(name="Dudley Clinical Commissioning Group", slug="dudley-ccg")
    UserFactory(
        username="olivia",
        first_name="Olivia",
        last_name="Officer",
        organisation=council,
        role=User.Role.OFFICER,
        password=PASSWORD,
    )

    sign_in(page, "olivia", PASSWORD)
    assert_accessible(page)  # the dashboard, empty
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Strategies").click()
    page.wait_for_url("**/strategies/")
    assert_accessible(page)  # the strategy list

    page.get_by_role("link", name="Start a new strategy").click()
    page.locator("#id_title").fill("Dudley's Health and Wellbeing Strategy")
    page.get_by_label("First year").fill("2017")
    page.get_by_label("Last year").fill("2016")
    page.get_by_role("group", name="Partners").get_by_label(
        "Dudley Clinical Commissioning Group"
    ).check()
    page.get_by_label("Vision").fill("A first vision")
    page.get_by_role("button", name="Create the draft").click()
    # bad input: the error sits beside the field and nothing typed is lost
    expect(
        page.locator("form").get_by_text("The last year must be after the first year.")
    ).to_be_visible()
    expect(page.locator("#id_end_year")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_title")).to_have_value("Dudley's Health and Wellbeing Strategy")
    assert_accessible(page)  # the form with its errors
    page.get_by_label("Last year").fill("2022")
    page.get_by_role("button", name="Create the draft").click()
    # the new draft opens in edit mode: its content comes next
    page.wait_for_url(re.compile(r"/strategies/dudleys-health-and-wellbeing-strategy/\?edit=1$"))

    page.get_by_role("link", name="Add a priority").click()
    page.locator("#id_title").fill("Improve wellbeing")
    page.get_by_role("button", name="Add priority").click()
    page.get_by_role("link", name="Add an objective to priority “Improve wellbeing”").click()
    page.locator("#id_title").fill("Support healthier lifestyles")
    page.get_by_label("Commitment level").select_option("together")
    page.get_by_role("button", name="Add objective").click()
    expect(
        page.get_by_role("heading", name="Objective 1.1: Support healthier lifestyles")
    ).to_be_visible()
    assert_accessible(page)  # the strategy page in edit mode
    # Each item's moves and Remove wait in its "More" menu, which opens by keyboard.
    more = page.locator("summary", has_text="actions for priority 1: Improve wellbeing")
    remove = page.get_by_role("link", name="Remove priority 1: Improve wellbeing")
    expect(remove).to_be_hidden()
    more.focus()
    page.keyboard.press("Enter")
    expect(remove).to_be_visible()
    assert_accessible(page)  # with a menu open

    page.get_by_role("link", name="Done editing").click()
    expect(page.get_by_role("link", name="Edit priority 1: Improve wellbeing")).to_have_count(0)
    assert_accessible(page)  # the strategy page, read
    page.get_by_role("link", name="Edit content").click()
    page.get_by_role("link", name="Edit details and vision").click()
    expect(page.get_by_label("Vision")).to_be_visible()
    assert_accessible(page)  # the edit page
    page.get_by_label("Vision").fill("Everyone in Dudley lives a longer, healthier life")
    page.get_by_label("Reason for the change").fill("Agreed at the Board development session")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Everyone in Dudley lives a longer, healthier life")).to_be_visible()

    page.get_by_role("link", name="History").click()
    entry = page.locator(".history-entry").first
    expect(entry).to_contain_text("Changed strategy")
    assert "A first vision" in entry.inner_text()
    assert "Everyone in Dudley lives a longer, healthier life" in entry.inner_text()
    assert "Agreed at the Board development session" in entry.inner_text()
    assert "Olivia Officer" in entry.inner_text()
    assert_accessible(page)  # the history page

    strategy = Strategy.objects.get()
    assert strategy.partners.get().slug == "dudley-ccg"
    assert strategy.history.first().history_user.username == "olivia"


def test_keyboard_alone_signs_in_and_skips_to_the_main_content(page):
    council = OrganisationFactory(slug="dudley")
    UserFactory(username="kim", organisation=council, role=User.Role.OFFICER, password=PASSWORD)
    page.goto("/accounts/login/")
    # the username field has focus on arrival
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("kim")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_function("!location.pathname.startsWith('/accounts/login/')")  # the dashboard
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    expect(skip).to_be_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert_accessible(page)
