"""Documents are part of the record: verify_audit passes with them, and names a stored file whose
bytes were changed, replaced or removed outside Waymark, and a version's SHA-256 changed in the
table itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit import ledger
from documents import workflow
from documents.models import Document, DocumentVersion
from tests.audit.conftest import tamper, verify
from tests.documents.conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(strategy, officer):
    """A document of two versions; the newest, whose file the tests tamper with."""
    document = workflow.add_document(
        officer, strategy, title="Strategy", kind="strategy", upload=pdf("strategy.pdf")
    )
    return workflow.add_version(officer, document, pdf("strategy v2.pdf", b"amended"), "Amended")


def path_of(version: DocumentVersion):
    return version.file.storage.path(version.file.name)


def where(version: DocumentVersion) -> str:
    return f"Document version {version.pk} ({version.document_id}, version {version.number})"


def test_the_documents_history_tables_are_in_the_ledger():
    kept = {ledger.kind_of(model) for model in ledger.ledgered_models()}
    assert {"documents.historicaldocument", "documents.historicaldocumentversion"} <= kept


def test_an_intact_record_with_documents_passes(stored):
    workflow.withdraw(stored.document.created_by, stored.document, "Superseded")
    assert "Audit intact:" in verify()


@pytest.mark.parametrize(
    "tampering",
    [
        lambda path: path.write_bytes(path.read_bytes().replace(b"amended", b"AMENDED")),
        lambda path: path.write_bytes(b"%PDF-1.4\nanother document altogether\n%%EOF\n"),
    ],
    ids=["bytes changed", "file replaced"],
)
def test_a_file_changed_or_replaced_is_named(stored, tampering):
    tampering(Path(path_of(stored)))
    report = verify()
    assert "Audit intact" not in report
    assert f"{where(stored)}: its file {stored.file.name} does not match its SHA-256" in report
    first = stored.document.versions.get(number=1)
    assert where(first) not in report  # the other version is as it was


def test_a_file_deleted_is_named(stored):
    Path(path_of(stored)).unlink()
    report = verify()
    assert f"{where(stored)}: its file {stored.file.name} is missing" in report


def test_a_versions_hash_changed_in_the_table_is_named(stored):
    """Made to match other bytes, past the product (QuerySet.update leaves no history)."""
    DocumentVersion.objects.filter(pk=stored.pk).update(sha256="0" * 64)
    report = verify()
    assert "sha256 differ from its latest history" in report  # the ledger's check
    assert f"{where(stored)}: its file {stored.file.name} does not match its SHA-256" in report


def test_a_document_quietly_made_public_is_named(strategy, officer):
    document = workflow.add_document(
        officer, strategy, title="Equality impact", kind="equality_impact", upload=pdf()
    )
    Document.objects.filter(pk=document.pk).update(public=True)
    assert "public differ from its latest history" in verify()


def test_a_versions_row_deleted_from_the_table_is_named(stored):
    first = stored.document.versions.get(number=1)
    tamper("DELETE FROM documents_documentversion WHERE id = %s", [first.pk])
    report = verify()
    assert f"{where(first)}: its row is missing from the table: deleted outside Waymark" in report
