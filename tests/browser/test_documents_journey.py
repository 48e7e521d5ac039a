"""An officer attaches the strategy document and an easy-read version to a published strategy,
uploads a new version, and a member of the public reads both on the public page; a wrong file is
refused beside the field with what was typed kept; every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from governance import workflow
from governance.models import Body, Purpose
from strategies.models import User
from tests.browser.conftest import assert_accessible, sign_in
from tests.documents.conftest import PDF, docx_bytes
from tests.factories import PASSWORD, OrganisationFactory, StrategyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_keeps_the_strategy_s_documents_and_the_public_reads_them(new_page, tmp_path):
    council = OrganisationFactory(name="Calderdale Council", slug="calderdale")
    officer = UserFactory(
        username="olivia", organisation=council, role=User.Role.OFFICER, password=PASSWORD
    )
    secretary = UserFactory(username="sam", organisation=council, role=User.Role.SECRETARY)
    board = Body.objects.create(organisation=council, name="Health and Wellbeing Board", kind="hwb")
    board.secretary_links.create(user=secretary)
    strategy = StrategyFactory(
        title="Calderdale Wellbeing Strategy", lead_organisation=council, start_year=2022,
        end_year=2032,
    )  # fmt: skip
    from tests.governance.conftest import decide

    decide(workflow.add_gate(strategy, board, Purpose.ADOPT, officer), secretary)
    strategy.refresh_from_db()
    workflow.publish(strategy, officer)

    wrong = tmp_path / "Wellbeing strategy.pdf"
    wrong.write_bytes(docx_bytes())  # a Word file under a PDF's name
    right = tmp_path / "Wellbeing strategy 2022-2032.pdf"
    right.write_bytes(PDF)
    easy = tmp_path / "Easy read.pdf"
    easy.write_bytes(PDF + b"% easy read\n")

    page = new_page()
    sign_in(page, "olivia", PASSWORD)
    page.goto(f"/strategies/{strategy.slug}/")
    page.get_by_role("link", name="Documents").first.click()
    page.wait_for_url(f"**/strategies/{strategy.slug}/documents/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a document").first.click()
    expect(page.get_by_label("Title")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill("Calderdale Wellbeing Strategy 2022-2032")
    page.get_by_label("Kind").select_option(label="Strategy document")
    page.get_by_label("Public").check()
    page.get_by_label("File").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload and add the document").click()
    page.wait_for_load_state()
    assert "it is a Word file" in page.content()
    assert page.get_by_label("Title").input_value() == "Calderdale Wellbeing Strategy 2022-2032"
    assert_accessible(page)
    page.get_by_label("File").set_input_files(str(right))
    page.get_by_role("button", name="Upload and add the document").click()
    page.wait_for_url("**/documents/*/")
    assert "Wellbeing strategy 2022-2032.pdf" in page.content()
    assert_accessible(page)

    page.goto(f"/strategies/{strategy.slug}/documents/add/")
    page.get_by_label("Title").fill("Easy read version")
    page.get_by_label("Kind").select_option(label="Easy read version")
    page.get_by_label("Public").check()
    page.get_by_label("File").set_input_files(str(easy))
    page.get_by_role("button", name="Upload and add the document").click()
    page.wait_for_url("**/documents/*/")
    page.get_by_label("File").set_input_files(str(easy))
    page.get_by_label("What changed").fill("Pictures for each priority")
    page.get_by_role("button", name="Upload the new version").click()
    page.wait_for_load_state()
    assert "Pictures for each priority" in page.content()
    assert_accessible(page)

    public = new_page()
    public.goto(f"/published/{strategy.slug}/")
    assert_accessible(public)
    link = public.get_by_role("link", name=re.compile("Easy read version")).first
    expect(link).to_be_visible()
    assert "PDF" in public.content()
    answer = public.request.get(link.get_attribute("href"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("inline")
