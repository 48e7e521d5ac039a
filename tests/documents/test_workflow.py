"""The moves of a document: who may add one, what it may be, versions that stay, withdrawing,
and nothing half saved when refused."""

from __future__ import annotations

import datetime
import hashlib

import pytest

from documents import workflow
from documents.models import Document, DocumentVersion
from governance.workflow import WorkflowError
from strategies.models import Strategy
from tests.documents.conftest import PDF, docx_bytes, pdf, upload

pytestmark = pytest.mark.django_db


def stored_files(media):
    return sorted(p.name for p in media.rglob("*") if p.is_file())


def test_an_officer_adds_the_strategy_document_and_it_is_kept_with_its_hash(
    strategy, officer, media_root
):
    document = workflow.add_document(
        officer, strategy, title="Dudley Health and Wellbeing Strategy", kind="strategy",
        upload=pdf("Dudley HWS.pdf"),
    )  # fmt: skip
    version = document.latest
    assert (document.strategy, document.public, version.number) == (strategy, True, 1)
    assert version.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (version.file_name, version.format_label, version.size) == (
        "Dudley HWS.pdf",
        "PDF",
        len(PDF),
    )
    assert version.file.read() == PDF
    assert document.history.first().history_user == officer
    assert version.history.first().sha256 == version.sha256


def test_uploading_again_adds_a_version_and_keeps_the_old(strategy, officer):
    document = workflow.add_document(
        officer, strategy, title="Easy read", kind="easy_read", upload=pdf("easy.pdf")
    )
    second = workflow.add_version(officer, document, pdf("easy v2.pdf", b"more"), "Pictures added")
    document.refresh_from_db()
    assert document.latest == second
    assert [v.number for v in document.versions.all()] == [2, 1]
    assert document.versions.get(number=1).file.read() == PDF


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("empty.pdf", b"", "empty"),
        ("report.pdf", docx_bytes(), "Word file"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 300, "Windows program"),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "web page"),
        ("map.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "web page or drawing"),
    ],
)
def test_a_refused_file_leaves_nothing_behind(strategy, officer, media_root, name, data, why):
    with pytest.raises(WorkflowError, match=why) as refused:
        workflow.add_document(
            officer, strategy, title="X", kind="strategy", upload=upload(name, data)
        )
    assert refused.value.field == "file"
    assert (Document.objects.count(), DocumentVersion.objects.count()) == (0, 0)
    assert stored_files(media_root) == []


def test_another_organisation_cannot_add_to_a_strategy(strategy, other_officer, secretary, manager):
    for person in (other_officer, secretary, manager, None):
        with pytest.raises(WorkflowError):
            workflow.add_document(person, strategy, title="X", kind="strategy", upload=pdf())
    assert Document.objects.count() == 0


def test_a_meeting_paper_is_the_secretary_s_and_never_public(world_meeting, secretary, officer):
    with pytest.raises(WorkflowError, match="stay internal") as refused:
        workflow.add_document(
            secretary, world_meeting, title="Minutes", kind="minutes", upload=pdf(), public=True
        )
    assert refused.value.field == "public"
    minutes = workflow.add_document(
        secretary, world_meeting, title="Minutes", kind="minutes", upload=pdf()
    )
    assert (minutes.meeting, minutes.strategy, minutes.public) == (world_meeting, None, False)
    with pytest.raises(WorkflowError, match="secretary"):
        workflow.add_document(officer, world_meeting, title="X", kind="minutes", upload=pdf())


def test_a_kind_must_fit_what_it_belongs_to(strategy, officer):
    with pytest.raises(WorkflowError, match="one of") as refused:
        workflow.add_document(officer, strategy, title="X", kind="minutes", upload=pdf())
    assert refused.value.field == "kind"


def test_withdrawing_keeps_the_files_and_stops_changes(strategy, officer, media_root):
    document = workflow.add_document(officer, strategy, title="Old", kind="strategy", upload=pdf())
    workflow.withdraw(officer, document, "Replaced by the 2024 edition")
    document.refresh_from_db()
    assert document.is_withdrawn and document.withdrawn_by == officer
    assert len(stored_files(media_root)) == 1
    with pytest.raises(WorkflowError, match="withdrawn"):
        workflow.add_version(officer, document, pdf())
    with pytest.raises(ValueError):
        document.latest.delete()


def test_a_withdrawn_strategy_takes_no_documents(strategy, officer):
    strategy.stage = Strategy.Stage.WITHDRAWN
    strategy.save(update_fields=["stage"])
    with pytest.raises(WorkflowError, match="closed"):
        workflow.add_document(officer, strategy, title="X", kind="strategy", upload=pdf())


def test_details_change_refuses_a_stale_form(strategy, officer, second_officer):
    document = workflow.add_document(officer, strategy, title="A", kind="strategy", upload=pdf())
    opened = document.version
    workflow.change_details(officer, document, expected_version=opened, title="B")
    with pytest.raises(WorkflowError, match="Someone else"):
        workflow.change_details(second_officer, document, expected_version=opened, title="C")
    document.refresh_from_db()
    assert document.title == "B"


def test_documents_and_their_versions_are_in_the_strategy_s_history(strategy, officer):
    from tests.conftest import client_for

    document = workflow.add_document(
        officer, strategy, title="Easy read version", kind="easy_read", upload=pdf("easy.pdf")
    )
    workflow.add_version(officer, document, pdf("easy2.pdf", b"2"), "Pictures added")
    workflow.withdraw(officer, document, "Replaced by the 2024 edition")
    page = client_for(officer).get(f"/strategies/{strategy.slug}/history/").content.decode()
    assert "Easy read version, version 2" in page
    assert "Withdrawn: Replaced by the 2024 edition" in page
    assert document.versions.get(number=2).sha256 in page


def test_a_draft_uploaded_during_a_review_stays_internal_until_published(strategy, officer):
    strategy.stage, strategy.published_on = Strategy.Stage.PUBLISHED, datetime.date(2024, 5, 1)
    strategy.save(update_fields=["stage", "published_on"])
    adopted = workflow.add_document(
        officer, strategy, title="Strategy", kind="strategy", upload=pdf("adopted.pdf")
    )
    draft = workflow.add_version(officer, adopted, pdf("draft.pdf", b"draft"), "Review draft")
    adopted.refresh_from_db()
    assert (adopted.latest, adopted.public_version.number) == (draft, 1)
    assert (
        "the public still reads the version before" in adopted.history.first().history_change_reason
    )
    workflow.publish_version(officer, adopted, 2)
    adopted.refresh_from_db()
    assert adopted.public_version == draft
    assert adopted.history.first().history_change_reason == (
        "Version 2 is now the one the public reads"
    )


def test_before_publication_each_new_version_is_the_one_the_public_will_read(strategy, officer):
    document = workflow.add_document(
        officer, strategy, title="Strategy", kind="strategy", upload=pdf("one.pdf")
    )
    second = workflow.add_version(officer, document, pdf("two.pdf", b"2"), "Second draft")
    document.refresh_from_db()
    assert document.public_version == second


def test_a_storage_that_fails_gives_a_message_and_keeps_nothing(strategy, officer, monkeypatch):
    from documents.models import document_storage

    def unreachable(*args, **kwargs):
        raise OSError("the store did not answer")

    monkeypatch.setattr(document_storage(), "save", unreachable)
    with pytest.raises(WorkflowError, match="could not be stored") as refused:
        workflow.add_document(officer, strategy, title="X", kind="strategy", upload=pdf())
    assert refused.value.field == "file"
    assert (Document.objects.count(), DocumentVersion.objects.count()) == (0, 0)


def test_a_commit_that_fails_takes_the_file_with_it(strategy, officer, media_root, monkeypatch):
    document = workflow.add_document(officer, strategy, title="X", kind="strategy", upload=pdf())
    before = stored_files(media_root)

    def refuse(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Document, "save", refuse)
    with pytest.raises(RuntimeError):
        workflow.add_version(officer, document, pdf("two.pdf", b"2"), "Second")
    assert stored_files(media_root) == before
