"""The moves of a document: add one (with its first file), upload a new version, change its
details, withdraw it. The only code that writes documents: the browser's pages, the admin, the
demo and commands all call these, so the same rules hold whichever door a person comes
through.

Each move asks who may (documents/access.py `keep_refusal`) and whether the file is one Waymark
keeps (documents/files.py `check`) before anything is written; then, in one transaction with
the document's row locked, it writes the row and the file, with who and why in the history.
If the row cannot be written the file is removed again, so nothing is left half saved. A
version is never changed or deleted; a withdrawn document keeps its files and its history."""

from __future__ import annotations

import logging
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.models import Decision, Gate, Meeting
from governance.workflow import WorkflowError, refuse_if
from strategies.models import Strategy, User

from . import files
from .access import has_public_page, keep_refusal, owner_and_body
from .models import Document, DocumentVersion

logger = logging.getLogger(__name__)
Kind = Document.Kind
STRATEGY_KINDS = [
    Kind.STRATEGY,
    *sorted(Document.ACCESSIBLE_KINDS),
    Kind.EQUALITY_IMPACT,
    Kind.OTHER,
]
# The kinds of document each thing takes, in the order forms offer them.
KINDS_FOR = {
    "strategy": STRATEGY_KINDS,
    "gate": [Kind.REPORT, Kind.APPENDIX, Kind.EQUALITY_IMPACT, Kind.OTHER],
    "decision": [Kind.DECISION_NOTICE, Kind.REPORT, Kind.APPENDIX, Kind.OTHER],
    "window": [Kind.CONSULTATION, *sorted(Document.ACCESSIBLE_KINDS), Kind.OTHER],
    "meeting": [Kind.AGENDA_PACK, Kind.MINUTES, Kind.OTHER],
}
# What the public may read: a strategy's and a consultation's documents, once they have a public
# page. A meeting's, gate's and decision's papers stay internal (the council's committee system
# publishes those).
PUBLIC_OWNERS = {"strategy", "window"}


def owner_kind(target) -> str:
    if isinstance(target, Strategy):
        return "strategy"
    if isinstance(target, Gate):
        return "gate"
    if isinstance(target, Decision):
        return "decision"
    if isinstance(target, Meeting):
        return "meeting"
    return "window"


def attach(document: Document, target) -> None:
    """Sets what `document` belongs to from `target`."""
    kind = owner_kind(target)
    owner, _ = owner_and_body(target)
    if kind == "meeting":
        document.meeting = target
    else:
        document.strategy = owner
        if kind != "strategy":
            setattr(document, kind, target)


def details_refusal(target, kind: str, language: str, public: bool) -> tuple[str, str] | None:
    """(field, why) if these details do not fit what the document belongs to."""
    where = owner_kind(target)
    if kind not in KINDS_FOR[where]:
        names = ", ".join(Kind(k).label.lower() for k in KINDS_FOR[where])
        return "kind", f"A document of a {where_name(where)} is one of: {names}."
    if public and where not in PUBLIC_OWNERS:
        return (
            "public",
            f"Papers of a {where_name(where)} stay internal; only a strategy's and a "
            f"consultation's documents are shown to the public.",
        )
    if kind == Kind.TRANSLATION and language == "en":
        return "language", "Choose the language this version is in."
    return None


def where_name(where: str) -> str:
    return {"window": "consultation"}.get(where, where)


def _refuse(refusal: tuple[str, str] | None) -> None:
    if refusal:
        field, why = refusal
        raise WorkflowError(why, field=field)


def _checked(upload) -> files.Checked:
    try:
        return files.check(upload)
    except ValidationError as error:
        raise WorkflowError(error.messages[0], field="file") from None


# Moves -----------------------------------------------------------------------------------------


def add_document(
    user: User | None,
    target,
    *,
    title: str,
    kind: str,
    upload,
    language: str = "en",
    public: bool | None = None,
    description: str = "",
    note: str = "",
) -> Document:
    """A new document of `target` with `upload` as its first version."""
    refuse_if(keep_refusal(user, target))
    if public is None:  # as the kind usually is, where the public may read it at all
        public = kind in Document.PUBLIC_BY_DEFAULT and owner_kind(target) in PUBLIC_OWNERS
    _refuse(details_refusal(target, kind, language, public))
    if not (title or "").strip():
        raise WorkflowError("Give the document a title.", field="title")
    checked = _checked(upload)
    with _files_go_with_the_rows() as written:
        document = Document(
            title=title.strip(),
            kind=kind,
            language=language,
            public=public,
            description=description,
            created_at=timezone.now(),
            created_by=user,
        )
        attach(document, target)
        document._history_user = user
        document._change_reason = f"Added: {title.strip()}"
        document.full_clean(exclude=["latest"])
        document.save()
        written.append(
            _write_version(user, document, upload, checked, note or "First version.", True)
        )
    return document


def add_version(
    user: User | None, document: Document, upload, note: str = "", publish: bool = False
) -> DocumentVersion:
    """A new file for `document`: the next version; the ones before stay. While what the
    document belongs to has no public page, the new version is also the one the public will
    read; once it has one, only if `publish` says so (a draft uploaded during a review stays
    internal until it is published: `publish_version`)."""
    refuse_if(keep_refusal(user, document))
    checked = _checked(upload)
    with _files_go_with_the_rows() as written:
        locked = Document.objects.select_for_update().get(pk=document.pk)
        refuse_if(keep_refusal(user, locked))
        publish = publish or not has_public_page(locked)
        version = _write_version(user, locked, upload, checked, note, publish=publish)
        written.append(version)
    document.refresh_from_db()
    return version


def publish_version(user: User | None, document: Document, number: int) -> Document:
    """Makes version `number` the one the public reads (the strategy's or consultation's public
    page links it); the one before stays a version like the others."""
    refuse_if(keep_refusal(user, document))
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        refuse_if(keep_refusal(user, locked))
        version = locked.versions.filter(number=number).first()
        if version is None:
            raise WorkflowError(f"This document has no version {number}.")
        if not locked.public:
            raise WorkflowError(
                "This document is internal: make it public in its details first.", field="public"
            )
        if locked.public_version_id == version.pk:
            return locked
        locked.public_version = version
        locked.version += 1
        locked._history_user = user
        locked._change_reason = f"Version {number} is now the one the public reads"
        locked.save(update_fields=["public_version", "version"])
    return locked


def _write_version(
    user, document: Document, upload, checked: files.Checked, note: str, publish: bool
):
    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = DocumentVersion(
        document=document,
        number=last + 1,
        file_name=checked.file_name,
        original_name=files.display_name(getattr(upload, "name", "") or ""),
        content_type=checked.format.content_type,
        format_label=checked.format.label,
        size=checked.size,
        sha256=checked.sha256,
        note=note.strip(),
        uploaded_at=timezone.now(),
        uploaded_by=user,
    )
    upload.seek(0)
    try:
        version.file.save(checked.file_name, upload, save=False)
    except Exception as error:  # the storage refused (disk full, the store unreachable)
        logger.exception("Document %s: version %s could not be stored", document.pk, last + 1)
        raise WorkflowError(
            "The file could not be stored just now, so nothing was saved. Try again in a few "
            "minutes; if it keeps happening, tell your administrator.",
            field="file",
        ) from error
    stored = version.file.name
    try:
        version._history_user = user
        version._change_reason = f"Version {version.number} uploaded ({checked.sha256})"
        version.save()
        document.latest = version
        fields = ["latest", "version"]
        if publish:
            document.public_version = version
            fields.append("public_version")
        document.version += 1
        document._history_user = user
        document._change_reason = f"Version {version.number} uploaded" + (
            "" if publish else " (the public still reads the version before)"
        )
        document.save(update_fields=fields)
    except BaseException:
        version.file.storage.delete(stored)
        raise
    return version


@contextmanager
def _files_go_with_the_rows():
    """One transaction for the rows; if it does not commit (a refusal, a lost race, the
    commit itself failing), the files written in it are removed again, so that nothing is
    left half saved. Yields the list to put each written version on."""
    written: list[DocumentVersion] = []
    try:
        with transaction.atomic():
            yield written
    except BaseException:
        for version in written:
            version.file.storage.delete(version.file.name)
        raise


def change_details(user: User | None, document: Document, *, expected_version: int, **details):
    """Changes the title, kind, language, description or whether it is public. Refused if the
    document changed since the person opened it (`expected_version`)."""
    refuse_if(keep_refusal(user, document))
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        refuse_if(keep_refusal(user, locked))
        if locked.version != expected_version:
            raise WorkflowError(
                "Someone else changed this document while you were editing it: your changes "
                "were not saved. Its details as they are now are shown; make your changes again."
            )
        target = (
            locked.decision or locked.gate or locked.window or locked.meeting or locked.strategy
        )
        merged = {
            "kind": locked.kind,
            "language": locked.language,
            "public": locked.public,
            **details,
        }
        _refuse(details_refusal(target, merged["kind"], merged["language"], merged["public"]))
        changed = [name for name, value in details.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        for name, value in details.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        if not locked.title:
            raise WorkflowError("Give the document a title.", field="title")
        locked.version += 1
        locked._history_user = user
        locked._change_reason = "Details changed: " + ", ".join(changed)
        locked.save()
    return locked


def withdraw(user: User | None, document: Document, reason: str) -> Document:
    """Takes the document out of use: no longer listed or public, its files and history kept
    (as the retention schedule asks), never deleted."""
    refuse_if(keep_refusal(user, document))
    if not (reason or "").strip():
        raise WorkflowError("Say why it is withdrawn.", field="reason")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        refuse_if(keep_refusal(user, locked))
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = user
        locked.withdrawn_reason = reason.strip()
        locked.version += 1
        locked._history_user = user
        locked._change_reason = f"Withdrawn: {reason.strip()}"
        locked.save()
    return locked
