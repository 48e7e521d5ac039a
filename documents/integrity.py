"""Every document version's bytes against what the record says of them: `verify_audit` runs
this (DocumentVersion.audit_findings). A file changed, replaced or removed in the storage,
outside Waymark, shows here; the record itself (the version's row and its SHA-256 in the
history) is held by the ledger's own checks, which compare each live row with its history. A
version's row deleted from the table leaves no live row to compare, so it is named here: a
version is never deleted, so one in the history and not in the table was removed outside
Waymark."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator


def findings(versions) -> Iterator[tuple[str, str]]:
    yield from _rows_missing(versions)
    for version in versions.iterator(chunk_size=500):
        where = f"Document version {version.pk} ({version.document_id}, version {version.number})"
        storage = version.file.storage
        try:
            if not storage.exists(version.file.name):
                yield where, f"its file {version.file.name} is missing: removed outside Waymark"
                continue
            digest, size = hashlib.sha256(), 0
            with storage.open(version.file.name, "rb") as file:
                for chunk in iter(lambda: file.read(1024 * 1024), b""):
                    digest.update(chunk)
                    size += len(chunk)
        except OSError as error:
            yield where, f"its file {version.file.name} cannot be read ({error})"
            continue
        if digest.hexdigest() != version.sha256 or size != version.size:
            yield (
                where,
                f"its file {version.file.name} does not match its SHA-256 as recorded: the "
                f"bytes were changed or replaced outside Waymark",
            )


def _rows_missing(versions) -> Iterator[tuple[str, str]]:
    recorded = versions.model.history.values_list("id", "document_id", "number").distinct()
    there = set(versions.model._base_manager.values_list("pk", flat=True))
    for pk, document_id, number in recorded.order_by("id").iterator(chunk_size=2000):
        if pk not in there:
            yield (
                f"Document version {pk} ({document_id}, version {number})",
                "its row is missing from the table: deleted outside Waymark (its history "
                "records it)",
            )
