"""A strategy's documents in its JSON export (document.py), under "documents": each document's
details (title, kind, language, whether public, what it belongs to, whether and why withdrawn)
and each version's (file name, format, size, SHA-256, who uploaded it and when), never the
bytes. The file says what was kept and lets anyone holding the files check them against their
hashes; the files themselves travel in a backup (`manage.py backup`), not in an export.

So an import cannot bring documents back: they are left out, and a note says how many and that
they are to be uploaded again. A file exported before documents were carried has no such
section (`Part.since_later`). A meeting's papers belong to no strategy and are not exported.

The rows are written here, not with Exporter.row: the export's history carries only the rows of
tables the file carries in full, and documents are not carried in full (no bytes), so no history
of them goes in for an import to make orphans of."""

from __future__ import annotations

from typing import Any

from documents.models import Document, DocumentVersion
from strategies.models import Strategy

from .rows import USER, Exporter, Importer, plain

DOCUMENT_FIELDS = [
    "id", "strategy", "gate", "decision", "window", "title", "kind", "language", "public",
    "description", "created_at", "created_by", "withdrawn_at", "withdrawn_by",
    "withdrawn_reason",
]  # fmt: skip
VERSION_FIELDS = [
    "number", "file_name", "original_name", "content_type", "format_label", "size", "sha256",
    "note", "uploaded_at", "uploaded_by",
]  # fmt: skip
USERS = {"created_by", "withdrawn_by", "uploaded_by"}


def _values(obj, names: list[str], exporter: Exporter) -> dict[str, Any]:
    row = {}
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if name in USERS:
            exporter.refer(USER, value)  # named in the file's users, as every row's are
        row[name] = plain(value)
    return row


def export_part(strategy: Strategy, exporter: Exporter) -> dict[str, Any]:
    documents = Document.objects.filter(strategy=strategy).order_by("pk")
    versions: dict[int, list[dict[str, Any]]] = {}
    for version in DocumentVersion.objects.filter(document__in=documents).order_by(
        "document", "number"
    ):
        versions.setdefault(version.document_id, []).append(
            _values(version, VERSION_FIELDS, exporter)
        )
    rows = []
    for document in documents:
        row = _values(document, DOCUMENT_FIELDS, exporter)
        row["withdrawn"] = document.is_withdrawn
        row["belongs_to"] = document.owner_label
        row["versions"] = versions.get(document.pk, [])
        rows.append(row)
    return {"documents": rows}


def import_part(data: dict[str, Any], importer: Importer) -> None:
    """Documents are not imported (the file has no bytes): a note says so. Never refuses the
    file for what its list of documents holds: leaving them out loses nothing more."""
    rows = data.get("documents")
    if not isinstance(rows, list) or not rows:
        return
    documents = [r for r in rows if isinstance(r, dict)]
    versions = sum(len(r["versions"]) for r in documents if isinstance(r.get("versions"), list))
    importer.notes.append(
        f"{len(documents)} document(s) with {versions} version(s) were not imported: an "
        "export carries their details and SHA-256, not their files. Upload them again (the "
        "hashes in the file say whether a copy is the one that was kept), or restore a backup "
        "to have them with their files."
    )
