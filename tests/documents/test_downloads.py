"""Downloading a version's file: only through the view that checks who may read it, with the
stored content type, a safe name, PDFs in the browser and everything else as an attachment; the
public reads a published strategy's public documents and nothing of a draft."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents import workflow
from tests.documents.conftest import PDF, docx_bytes, pdf, upload

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def url(document, number=None, name=None):
    version = document.versions.get(number=number) if number else document.latest
    return reverse(
        "documents:download",
        kwargs={"pk": document.pk, "number": version.number, "name": name or version.file_name},
    )


def published(strategy):
    strategy.stage = strategy.Stage.PUBLISHED
    strategy.save(update_fields=["stage"])
    return strategy


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_pdf_opens_in_the_browser(as_user, strategy, officer):
    document = workflow.add_document(
        officer, strategy, title="Strategy", kind="strategy", upload=pdf("Dudley HWS.pdf")
    )
    response = as_user(officer).get(url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="Dudley HWS.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]  # a signed-in person's answer
    assert body(response) == PDF


def test_a_word_file_downloads_as_an_attachment(as_user, strategy, officer, board_gate):
    document = workflow.add_document(
        officer, board_gate, title="Appendix A", kind="appendix",
        upload=upload("Appendix A.docx", docx_bytes()),
    )  # fmt: skip
    response = as_user(officer).get(url(document))
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="Appendix A.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_name_beyond_ascii_is_given_as_rfc_6266_says(as_user, strategy, officer):
    document = workflow.add_document(
        officer, strategy, title="Strategaeth", kind="translation", language="cy",
        upload=pdf("Strategaeth Iechyd ŵyr.pdf"),
    )  # fmt: skip
    disposition = as_user(officer).get(url(document))["Content-Disposition"]
    assert disposition == "inline; filename*=utf-8''Strategaeth%20Iechyd%20%C5%B5yr.pdf"


def test_a_wrong_name_redirects_to_the_right_one(as_user, strategy, officer):
    document = workflow.add_document(
        officer, strategy, title="Strategy", kind="strategy", upload=pdf("strategy.pdf")
    )
    response = as_user(officer).get(url(document, name="other.exe"))
    assert (response.status_code, response["Location"]) == (302, url(document))


def test_a_version_that_does_not_exist_is_404(as_user, strategy, officer):
    document = workflow.add_document(
        officer, strategy, title="Strategy", kind="strategy", upload=pdf()
    )
    missing = reverse("documents:download", kwargs={"pk": document.pk, "number": 9, "name": "x"})
    assert as_user(officer).get(missing).status_code == 404


def test_the_public_reads_a_published_strategy_s_public_document(client, strategy, officer):
    document = workflow.add_document(
        officer, strategy, title="Easy read", kind="easy_read", upload=pdf("easy read.pdf")
    )
    assert client.get(url(document)).status_code == 404  # a draft's: as if it did not exist
    published(strategy)
    response = client.get(url(document))
    assert response.status_code == 200 and body(response) == PDF


def test_the_public_reads_neither_an_internal_document_nor_a_version_not_published(
    client, strategy, officer
):
    published(strategy)
    internal = workflow.add_document(
        officer, strategy, title="Equality impact", kind="equality_impact", upload=pdf(),
        public=False,
    )  # fmt: skip
    assert client.get(url(internal)).status_code == 404
    public = workflow.add_document(
        officer, strategy, title="Summary", kind="summary", upload=pdf("draft.pdf")
    )
    # A new version of a public document of a published strategy is a draft until published.
    workflow.add_version(officer, public, pdf("redraft.pdf", b"redraft"), "For the review")
    assert client.get(url(public, number=1)).status_code == 200
    assert client.get(url(public, number=2)).status_code == 404
    workflow.publish_version(officer, public, 2)
    assert client.get(url(public, number=1)).status_code == 404
    assert client.get(url(public, number=2)).status_code == 200
    # ... or at once, when the person uploading says so.
    workflow.add_version(officer, public, pdf("final.pdf", b"final"), "Final", publish=True)
    assert client.get(url(public, number=3)).status_code == 200


def test_another_organisation_cannot_download_a_draft_s_document(
    as_user, strategy, officer, other_officer
):
    document = workflow.add_document(
        officer, strategy, title="Strategy", kind="strategy", upload=pdf()
    )
    assert as_user(other_officer).get(url(document)).status_code == 404


def test_a_withdrawn_document_is_kept_for_staff_and_gone_for_the_public(
    client, as_user, strategy, officer
):
    published(strategy)
    document = workflow.add_document(
        officer, strategy, title="Old", kind="strategy", upload=pdf("old.pdf")
    )
    workflow.withdraw(officer, document, "Replaced")
    assert client.get(url(document)).status_code == 404
    assert as_user(officer).get(url(document)).status_code == 200


def test_a_file_missing_from_storage_is_a_clear_404(as_user, strategy, officer):
    document = workflow.add_document(
        officer, strategy, title="Strategy", kind="strategy", upload=pdf()
    )
    document.latest.file.storage.delete(document.latest.file.name)
    response = as_user(officer).get(url(document))
    assert response.status_code == 404
    assert "This file is not available" in response.content.decode()


def test_a_meeting_s_paper_is_read_by_the_body_s_secretary_only(
    as_user, world_meeting, secretary, officer
):
    paper = workflow.add_document(
        secretary, world_meeting, title="Agenda pack", kind="agenda_pack", upload=pdf()
    )
    assert as_user(secretary).get(url(paper)).status_code == 200
    assert as_user(officer).get(url(paper)).status_code == 404
