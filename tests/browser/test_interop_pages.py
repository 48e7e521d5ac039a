"""The pages issues 20 and 23 added, in the browser with axe-core: open data for the public, a
person's API tokens, a meeting's agenda items from Modern.gov and matching one to a gate, and a
decision's papers."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents import workflow as documents
from governance.models import AgendaItem
from tests.browser.conftest import assert_accessible, sign_in
from tests.documents.conftest import pdf
from tests.factories import PASSWORD
from tests.world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_new_pages_read_well_and_pass_axe(new_page):
    world = build()
    public = new_page()
    public.goto("/open-data/")
    expect(public.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(public)

    officer = new_page()
    sign_in(officer, world.people["officer"].username, PASSWORD)
    officer.goto("/account/api-tokens/")
    assert_accessible(officer)
    officer.get_by_label("Name").fill("Power BI: approvals dashboard")
    officer.get_by_role("button", name="Create the token").click()
    officer.wait_for_load_state()
    assert "wmk_" in officer.content()
    assert_accessible(officer)

    documents.add_document(
        world.people["secretary"], world.decision, title="Decision notice",
        kind="decision_notice", upload=pdf("notice.pdf"),
    )  # fmt: skip
    officer.goto(f"/decisions/{world.decision.pk}/")
    assert "Decision notice" in officer.content()
    assert_accessible(officer)

    AgendaItem.objects.create(
        meeting=world.meeting, moderngov_id=9001, position=1, number="6",
        title="Dudley Health and Wellbeing Strategy", report_reference="HWB/24/06",
    )  # fmt: skip
    secretary = new_page()
    sign_in(secretary, world.people["secretary"].username, PASSWORD)
    secretary.goto(f"/meetings/{world.meeting.pk}/")
    assert "HWB/24/06" in secretary.content()
    assert_accessible(secretary)
    secretary.get_by_role("link", name="Match a gate").first.click()
    secretary.wait_for_load_state()
    assert_accessible(secretary)
