"""Documents on the public pages: the published strategy's page lists the strategy's public
documents (the strategy first, then its accessible versions, labelled, with their format and
size), and a consultation's public page its own; nothing internal, withdrawn or of a page not
yet public shows, to anyone signed in or not."""

from __future__ import annotations

import pytest
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse

from documents import workflow
from governance import workflow as governance
from governance.models import Purpose
from tests.consultation.conftest import consult_gate, open_window, planned  # noqa: F401 (fixtures)
from tests.documents.conftest import pdf
from tests.governance.conftest import decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(strategy, board, officer, secretary):
    gate = governance.add_gate(strategy, board, Purpose.ADOPT, officer)
    decide(gate, secretary, resolution="The Board adopted the strategy.")
    strategy.refresh_from_db()
    governance.publish(strategy, officer)
    strategy.refresh_from_db()
    return strategy


@pytest.fixture
def window(request):
    """The consultation open today (tests/consultation/conftest.py)."""
    return request.getfixturevalue("open_window")


@pytest.fixture
def not_yet_open(request):
    return request.getfixturevalue("planned")


def add(officer, target, title, kind, **details):
    return workflow.add_document(
        officer, target, title=title, kind=kind, upload=pdf(f"{kind}.pdf", b"0" * 1300), **details
    )


def page_of(strategy) -> str:
    return Client().get(reverse("published-strategy", args=[strategy.slug])).content.decode()


def link(document) -> str:
    version = document.latest
    return reverse(
        "documents:download",
        kwargs={"pk": document.pk, "number": version.number, "name": version.file_name},
    )


def test_the_published_page_lists_the_strategy_first_then_its_accessible_versions(
    published, officer
):
    welsh = add(officer, published, "Strategaeth Iechyd a Lles", "translation", language="cy")
    easy = add(officer, published, "Our health plan: easy read", "easy_read")
    main = add(officer, published, "Dudley Health and Wellbeing Strategy", "strategy")
    page = page_of(published)
    assert '<h2 class="h4" id="documents-heading">Documents</h2>' in page
    positions = [page.index(link(d)) for d in (main, easy, welsh)]
    assert positions == sorted(positions)
    size = filesizeformat(main.latest.size)
    assert f">Dudley Health and Wellbeing Strategy</a> (PDF, {size})" in page
    assert f'<strong>Easy read version:</strong> <a href="{link(easy)}">' in page
    assert (
        f'<strong>Welsh:</strong> <a href="{link(welsh)}" hreflang="cy">'
        f"Strategaeth Iechyd a Lles</a> (PDF, {size})"
    ) in page


def test_internal_withdrawn_and_other_owners_documents_stay_off_the_public_page(
    published, officer, board, lead_org
):
    add(officer, published, "The strategy", "strategy")
    add(
        officer,
        published,
        "NOT-SHOWN internal equality assessment",
        "equality_impact",
        public=False,
    )
    gone = add(officer, published, "NOT-SHOWN withdrawn summary", "summary")
    workflow.withdraw(officer, gone, "Replaced by a clearer one.")
    gate = governance.add_gate(published, board, Purpose.NOTE, officer)
    add(officer, gate, "NOT-SHOWN gate appendix", "appendix")
    page = page_of(published)
    assert "The strategy" in page
    assert "NOT-SHOWN" not in page


def test_a_draft_strategys_public_documents_are_not_shown(strategy, officer):
    document = add(officer, strategy, "NOT-SHOWN draft strategy", "strategy")
    assert document.public  # marked public, waiting for the strategy's public page
    response = Client().get(reverse("published-strategy", args=[strategy.slug]))
    assert response.status_code == 404
    assert "NOT-SHOWN" not in Client().get(reverse("published-list")).content.decode()


def test_the_published_page_reads_its_documents_in_one_query(
    published, officer, django_assert_num_queries
):
    url = reverse("published-strategy", args=[published.slug])
    add(officer, published, "The strategy", "strategy")
    Client().get(url)
    with django_assert_num_queries(5) as few:  # the strategy page's four, and its documents
        Client().get(url)
    for n in range(4):
        add(officer, published, f"Summary {n}", "summary")
        add(officer, published, f"Translation {n}", "translation", language="pl")
    with django_assert_num_queries(len(few.captured_queries)):
        page = Client().get(url).content.decode()
    assert page.count('hreflang="pl"') == 4


def test_the_consultation_page_lists_its_documents(window, officer):
    consultation = add(officer, window, "Have your say: the draft strategy", "consultation")
    large = add(officer, window, "The draft strategy in large print", "large_print")
    add(officer, window, "NOT-SHOWN internal note", "other", public=False)
    add(officer, window.strategy, "NOT-SHOWN the strategy's own document", "strategy")
    url = reverse("consultation:public", kwargs={"slug": window.slug})
    page = Client().get(url).content.decode()
    assert '<h2 class="h4" id="documents-heading">Consultation documents</h2>' in page
    assert page.index(link(consultation)) < page.index(link(large))
    assert f'<strong>Large print version:</strong> <a href="{link(large)}">' in page
    assert f"(PDF, {filesizeformat(large.latest.size)})" in page
    assert "NOT-SHOWN" not in page


def test_a_consultation_without_documents_has_no_documents_heading(window):
    url = reverse("consultation:public", kwargs={"slug": window.slug})
    assert "Consultation documents" not in Client().get(url).content.decode()


def test_a_consultation_not_yet_open_shows_nothing(not_yet_open, officer):
    add(officer, not_yet_open, "NOT-SHOWN consultation document", "consultation")
    url = reverse("consultation:public", kwargs={"slug": not_yet_open.slug})
    assert Client().get(url).status_code == 404
    assert "NOT-SHOWN" not in Client().get(reverse("consultation:public-list")).content.decode()
