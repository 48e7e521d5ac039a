"""A committee report lists the papers that go with it: its gate's appendices, reports and
equality impact assessments, and the strategy's equality impact assessment, numbered, with
their format and size, on the report page and in the Word file; withdrawn papers and papers of
other kinds or other gates are left out."""

from __future__ import annotations

import io

import docx
import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from documents import workflow
from governance import workflow as governance
from governance.models import Purpose
from portal import reports
from tests.conftest import client_for
from tests.documents.conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def gate(strategy, cabinet, officer):
    gate = governance.add_gate(strategy, cabinet, Purpose.ENDORSE, officer)
    reports.start_report(gate, officer)
    return gate


def add(officer, target, title, kind, **details):
    return workflow.add_document(
        officer, target, title=title, kind=kind, upload=pdf(f"{kind}.pdf", b"0" * 1300), **details
    )


def url(name, gate) -> str:
    return reverse(name, kwargs={"slug": gate.strategy.slug, "pk": gate.pk})


@pytest.fixture
def papers(gate, strategy, board, officer):
    """Two papers that go with the report, in the order added, and six that do not (the gate's
    own committee report among them: a report is not an appendix of itself)."""
    plan = add(officer, gate, "The action plan", "appendix")
    add(officer, strategy, "Equality impact assessment", "equality_impact")
    sent = add(officer, gate, "NOT-SHOWN covering report as sent", "report")
    add(officer, gate, "NOT-SHOWN a paper of another kind", "other")
    add(officer, strategy, "NOT-SHOWN the strategy itself", "strategy")
    gone = add(officer, gate, "NOT-SHOWN a withdrawn appendix", "appendix")
    workflow.withdraw(officer, gone, "Attached by mistake.")
    other_gate = governance.add_gate(strategy, board, Purpose.NOTE, officer)
    add(officer, other_gate, "NOT-SHOWN another gate's appendix", "appendix")
    return plan, sent


def test_the_report_page_numbers_the_papers_with_links_format_and_size(papers, gate, officer):
    plan, sent = papers
    reports.update_report(gate.report, officer, "", appendices="The strategy")
    page = client_for(officer).get(url("gate-report", gate)).content.decode()
    size = filesizeformat(plan.latest.size)
    download = reverse(
        "documents:download",
        kwargs={"pk": plan.pk, "number": 1, "name": plan.latest.file_name},
    )
    assert f'Appendix 1: <a href="{download}">The action plan</a> (PDF, {size})' in page
    assert ">Equality impact assessment</a> (PDF," in page
    order = [page.index(t) for t in ("Appendix 1:", "Appendix 2:")]
    assert order == sorted(order)
    assert "Appendix 3:" not in page
    assert "Appendix A – The strategy" in page  # the officer's own lines stay, lettered
    assert "NOT-SHOWN" not in page


def test_the_word_file_lists_the_papers(papers, gate, officer):
    plan, _ = papers
    response = client_for(officer).get(url("report-docx", gate))
    texts = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    size = filesizeformat(plan.latest.size)
    assert "Appendices" in texts
    assert f"Appendix 1: The action plan (PDF, {size})" in texts
    assert f"Appendix 2: Equality impact assessment (PDF, {size})" in texts
    assert not any("NOT-SHOWN" in t for t in texts)


def test_the_print_view_names_the_papers(papers, gate, officer):
    page = client_for(officer).get(url("print-report", gate)).content.decode()
    assert "Appendix 1:" in page and "The action plan" in page


def test_without_papers_the_report_lists_the_officers_lines_only(gate, officer):
    page = client_for(officer).get(url("gate-report", gate)).content.decode()
    assert "Appendix A – " in page and "Appendix 1" not in page
    reports.update_report(gate.report, officer, "", appendices="")
    page = client_for(officer).get(url("gate-report", gate)).content.decode()
    assert "report-appendices" not in page
