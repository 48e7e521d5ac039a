"""A strategy's JSON export carries its documents' details and each version's SHA-256 and size,
never the bytes; an import leaves the documents out and says so, and never fails for them."""

from __future__ import annotations

import base64
import json

import pytest

from documents import workflow
from documents.models import Document
from portal.exchange.document import export_strategy, import_strategy
from strategies.models import Strategy
from tests.documents.conftest import PDF, pdf
from tests.governance.conftest import meeting_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(strategy, officer, board_gate, secretary):
    """The strategy document (amended once), a gate's appendix, one withdrawn, and a meeting's
    minutes (which belong to no strategy)."""
    main = workflow.add_document(
        officer, strategy, title="The strategy", kind="strategy", upload=pdf("hws.pdf")
    )
    workflow.add_version(officer, main, pdf("hws v2.pdf", b"amended"), "Amended")
    workflow.add_document(
        officer, board_gate, title="Appendix A", kind="appendix", upload=pdf("a.pdf")
    )
    old = workflow.add_document(
        officer, strategy, title="Old summary", kind="summary", upload=pdf("s.pdf")
    )
    workflow.withdraw(officer, old, "Superseded")
    workflow.add_document(
        secretary, meeting_of(board_gate.body), title="Minutes", kind="minutes", upload=pdf()
    )
    return main


def exported(strategy) -> dict:
    return json.loads(json.dumps(export_strategy(strategy)))  # as a file holds it


def test_the_export_carries_each_documents_details_and_hashes_not_bytes(
    strategy, kept, board_gate, officer
):
    document = exported(strategy)
    rows = {row["title"]: row for row in document["documents"]["documents"]}
    assert sorted(rows) == ["Appendix A", "Old summary", "The strategy"]  # no meeting papers
    main = rows["The strategy"]
    assert {k: main[k] for k in ("kind", "language", "public", "withdrawn", "belongs_to")} == {
        "kind": "strategy", "language": "en", "public": True, "withdrawn": False,
        "belongs_to": "The strategy",
    }  # fmt: skip
    assert (main["strategy"], main["gate"]) == (strategy.pk, None)
    versions = {v["number"]: v for v in main["versions"]}
    assert sorted(versions) == [1, 2]
    for number, version in versions.items():
        kept_version = kept.versions.get(number=number)
        assert (version["sha256"], version["size"]) == (kept_version.sha256, kept_version.size)
        assert version["file_name"] == kept_version.file_name
    assert (rows["Appendix A"]["gate"], rows["Appendix A"]["belongs_to"]) == (
        board_gate.pk, f"Gate: {board_gate}"
    )  # fmt: skip
    withdrawn = rows["Old summary"]
    assert withdrawn["withdrawn"] and withdrawn["withdrawn_reason"] == "Superseded"
    assert officer.pk in {u["id"] for u in document["users"]}
    text = json.dumps(document)
    assert base64.b64encode(PDF).decode() not in text and "%PDF" not in text
    assert not any(label.startswith("documents.") for label in document["history"])


def test_an_import_leaves_the_documents_out_and_says_so(strategy, kept, officer):
    document = exported(strategy)
    document["strategies"]["strategy"]["slug"] = "imported-copy"
    imported, notes = import_strategy(document, by=officer)
    assert imported.pk != strategy.pk and imported.gates.count() == strategy.gates.count()
    assert not Document.objects.filter(strategy=imported).exists()
    assert any(
        "3 document(s) with 4 version(s) were not imported" in note and "not their files" in note
        for note in notes
    )


@pytest.mark.parametrize(
    "documents",
    [None, {"documents": []}, {"documents": "not a list"}, {"documents": [1, {"versions": 2}]}],
    ids=["from before documents", "none", "not a list", "odd rows"],
)
def test_an_import_never_fails_for_its_documents(strategy, kept, officer, documents):
    document = exported(strategy)
    document["strategies"]["strategy"]["slug"] = "imported-copy"
    if documents is None:
        del document["documents"]
    else:
        document["documents"] = documents
    imported, _notes = import_strategy(document, by=officer)
    assert Strategy.objects.filter(pk=imported.pk, slug="imported-copy").exists()
