"""An officer prepares the committee report for Cabinet, writes its finance section in the
browser, saves it and downloads the Word file, which is read back; the report's pages run
under the Content Security Policy as served."""

from __future__ import annotations

import datetime

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance import workflow
from governance.models import Body, CommitteeReport, Purpose
from strategies.models import User
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    StrategyFactory,
    UserFactory,
    add_evidence,
    add_objective,
    add_priority,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FINANCE = "There are no direct financial implications arising from the contents of this report"


def _strategy_with_cabinet_next():
    council = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    officer = UserFactory(
        username="olivia",
        first_name="Olivia",
        last_name="Officer",
        organisation=council,
        role=User.Role.OFFICER,
        password=PASSWORD,
    )
    cabinet = Body.objects.create(
        organisation=council, name="Cabinet", kind="cabinet", is_executive=True
    )
    strategy = StrategyFactory(
        lead_organisation=council,
        title="Dudley's Health and Wellbeing Strategy",
        slug="dudley-hws",
        author_name="Tony Oakman",
        author_title="Strategic Director People",
        contact_name="Karen Jackson",
        contact_phone="01384 816698",
        contact_email="karen.jackson@example.gov.uk",
    )
    goal = add_priority(strategy, "Improve wellbeing")
    add_objective(goal, "Healthier lifestyles")
    add_evidence(strategy, "Joint Strategic Needs Assessment")
    day = timezone.localdate() + datetime.timedelta(days=30)
    gate = workflow.add_gate(strategy, cabinet, Purpose.ENDORSE, officer, (), day, "day")
    return strategy, gate, officer


def test_officer_edits_the_report_and_downloads_the_word_file(new_page, tmp_path):
    strategy, gate, _ = _strategy_with_cabinet_next()

    page = new_page()
    sign_in(page, "olivia", PASSWORD)
    page.goto(f"/strategies/{strategy.slug}/")
    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", name="Next: the Cabinet")).to_be_visible()
    assert_accessible(page)  # the Report tab before any report
    page.get_by_role("button", name="Prepare the committee report").click()
    expect(page.get_by_text("Waymark has filled in what it knows")).to_be_visible()
    expect(page.get_by_role("heading", name="Priorities and objectives")).to_be_visible()
    assert_accessible(page)  # the report's page

    page.get_by_role("link", name="Edit the report").click()
    expect(page.get_by_label("Finance", exact=True)).to_be_visible()
    assert_accessible(page)  # the edit form
    page.get_by_label("Finance", exact=True).fill(FINANCE)
    page.get_by_label("Reason for the change").fill("Finance section written")
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("The committee report has been saved.")).to_be_visible()
    heading = page.get_by_role("heading", name="Finance")
    finance = page.locator("section.report-section", has=heading)
    assert FINANCE in finance.inner_text()
    expect(page.get_by_role("cell", name="Finance section written")).to_be_visible()  # its history

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the Word file (.docx)").click()
    download = download_info.value
    assert download.suggested_filename == f"committee-report-dudley-hws-gate-{gate.pk}.docx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["1. Purpose of report", "2. Recommendations"]
    finance_heading = next(h for h in headings if h.endswith(". Finance"))
    number = finance_heading.split(".")[0]
    assert f"{number}.1\t{FINANCE}" in texts
    assert "Report of the Strategic Director People" in texts
    assert "Karen Jackson\nTelephone: 01384 816698\nEmail: karen.jackson@example.gov.uk" in texts
    assert CommitteeReport.objects.get(gate=gate).finance == FINANCE


def test_report_pages_break_no_rule_of_the_policy(browser, live_server):
    strategy, gate, officer = _strategy_with_cabinet_next()
    from portal import reports

    reports.start_report(gate, officer)
    context = browser.new_context(base_url=live_server.url)  # the policy as served
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    sign_in(page, "olivia", PASSWORD)
    base = f"/strategies/{strategy.slug}"
    for path in [
        f"{base}/report/",
        f"{base}/route/gates/{gate.pk}/report/",
        f"{base}/route/gates/{gate.pk}/report/edit/",
        f"{base}/route/gates/{gate.pk}/report/print/",
    ]:
        page.goto(path)
    # The print view is styled by its own stylesheet: numbers hang beside their paragraphs.
    number = page.locator(".report-number").first
    assert number.evaluate("n => getComputedStyle(n).display") == "inline-block"
    context.close()
    assert not refused, "\n".join(refused)
