"""The demo's documents: the seed reports themselves, as PDFs on the gates they were written
for, listed by those gates' committee reports; an easy-read version of Dudley's 2012–2016
strategy on its public page, marked as demo data; all added through the documents' workflow, so
the history and the audit hold them, and added once however often the demo is loaded."""

from __future__ import annotations

import io
import sys
from io import StringIO
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from documents.models import Document, DocumentVersion
from governance.models import Gate, Purpose
from portal.demo.documents import DEMO_MARK, EASY_READ_TITLE
from strategies.models import User
from tests.conftest import client_for

SEEDS = Path(__file__).resolve().parents[1] / "seeds"  # copies of shared/seeds


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def text_of(document: Document) -> str:
    with document.latest.file.open("rb") as stored:
        pdf = pypdf.PdfReader(io.BytesIO(stored.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("slug", "purpose", "body", "seed", "keeper"),
    [
        (
            "milton-keynes-jhws-2012-2015",
            Purpose.APPROVE_CONSULTATION,
            "Milton Keynes Shadow Health and Wellbeing Board",
            "000_b4eba5cfe6dcd5d6.txt",
            "mk-officer",
        ),
        ("dudley-hws-2017-2022", Purpose.ENDORSE, "Cabinet", "003_7cf9527d4f5e01f1.txt", "officer"),
    ],
)
def test_each_seed_report_is_kept_on_its_gate_and_shown_on_the_route(
    demo, slug, purpose, body, seed, keeper
):
    gate = Gate.objects.select_related("strategy").get(
        strategy__slug=slug, purpose=purpose, body__name=body
    )
    document = gate.documents.get()
    assert (document.kind, document.public, document.latest.format_label) == (
        "report",
        False,
        "PDF",
    )
    assert document.description.startswith("Demo data:") and seed in document.description
    assert document.created_by.username == keeper
    assert document.history.earliest().history_user.username == keeper
    text = text_of(document)
    seed_text = (SEEDS / seed).read_text(encoding="utf-8")
    for paragraph in [p for p in seed_text.split("\n\n") if len(p.strip()) > 40][:4]:
        assert words(paragraph)[:60] in text
    client = client_for(User.objects.get(username=keeper))
    route = client.get(reverse("governance:route", kwargs={"slug": slug})).content.decode()
    assert f"#group-gate-{gate.pk}" in route and "Papers: 1" in route
    # A committee report is not an appendix of its own report.
    report = client.get(reverse("gate-report", kwargs={"slug": slug, "pk": gate.pk}))
    assert f">{escape(document.title)}</a> (PDF," not in report.content.decode()


def test_the_easy_read_version_is_on_the_public_page_and_says_it_is_demo_data(demo):
    document = Document.objects.select_related("strategy", "latest").get(title=EASY_READ_TITLE)
    assert (document.kind, document.public, document.strategy.slug) == (
        "easy_read",
        True,
        "dudley-hws-2012-2016",
    )
    assert document.description == DEMO_MARK
    assert DEMO_MARK in text_of(document)
    page = Client().get(reverse("published-strategy", args=["dudley-hws-2012-2016"]))
    html = page.content.decode()
    assert "<strong>Easy read version:</strong>" in html and EASY_READ_TITLE in html
    assert DEMO_MARK in html


def test_loading_again_adds_nothing_and_the_audit_holds_the_files(demo, settings):
    before = (Document.objects.count(), DocumentVersion.objects.count())
    assert before == (3, 3)
    call_command("load_demo", stdout=StringIO())
    assert (Document.objects.count(), DocumentVersion.objects.count()) == before
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit intact" in out.getvalue()


def test_without_weasyprint_the_demo_loads_without_its_documents_and_says_so(
    db, settings, monkeypatch
):
    settings.DEBUG = True
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now fails
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo documents left out: PDF files need WeasyPrint" in out.getvalue()
    assert not Document.objects.exists()
