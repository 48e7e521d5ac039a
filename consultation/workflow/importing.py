"""Importing the responses of a CSV exported from another survey tool: the rows consultation/
imports.py read and checked, added in one transaction with the import on record. A row already
imported (by its row in the tool, `source_row_id`, once per window) is counted and left: the same
file imported again adds nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from governance.workflow import WorkflowError, refuse_if
from strategies.models.base import announce_history_written, last_history_pk

from ..models import ConsultationWindow, PriorityAnswer, Response, ResponseImport
from .refusals import keying_refusal
from .responses import is_late, new_reference, received_problem

BATCH = 500  # rows a query adds or looks up at a time (SQLite takes 999 values in one)


@dataclass
class ImportedRow:
    """One row of the file as it will be stored, with what is wrong with it (if anything)."""

    line: int
    row_id: str
    respondent_type: str = ""
    organisation_name: str = ""
    received_on: datetime.date | None = None
    answers: list[tuple[int, str, int | None, str]] = field(default_factory=list)
    general_comments: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportedFile:
    """The file's name and fingerprint, the tool it came from and the mapping used."""

    file_name: str
    sha256: str
    tool: str
    mapping: dict
    rows: int  # in the file, refused ones included


ROW_ID_LONGEST = 80  # characters of a row's id in its tool: "<tool>:<id>" fits its column


def source_row_id(tool: str, row_id: str) -> str:
    return f"{tool}:{row_id}"


def already_imported(window: ConsultationWindow) -> set[str]:
    """The rows of other tools already in `window` (one query)."""
    return set(window.responses.exclude(source_row_id="").values_list("source_row_id", flat=True))


def import_responses(
    window: ConsultationWindow,
    by,
    source: ImportedFile,
    rows: list[ImportedRow],
    refused: int = 0,
) -> ResponseImport:
    """Add `rows` (those of the file that had no problem; `refused` says how many did) to
    `window`, all or none, and record the import: its file, tool, mapping, who and the counts.
    Each is received on its row's date (late if after the closing date), with the source row
    "<tool>:<row id>"; rows already imported are counted, not added again. The window's row is
    locked, so two people importing the same file at once add its rows once."""
    with transaction.atomic():
        window = (
            ConsultationWindow.objects.select_for_update(of=("self",))
            .select_related("strategy")
            .get(pk=window.pk)
        )
        refuse_if(keying_refusal(window, by))
        for row in rows:  # the workflow's own rules, whichever door the rows came through
            problem = row.problems[0] if row.problems else received_problem(window, row.received_on)
            if not problem and not 0 < len(row.row_id) <= ROW_ID_LONGEST:
                problem = f"A row id is between 1 and {ROW_ID_LONGEST} characters."
            if problem:
                raise WorkflowError(f"Line {row.line}: {problem} Nothing was imported.")
        seen = already_imported(window)
        new = [row for row in rows if source_row_id(source.tool, row.row_id) not in seen]
        record = ResponseImport(
            window=window,
            tool=source.tool,
            file_name=source.file_name[:255],
            sha256=source.sha256,
            mapping=source.mapping,
            imported_by=by,
            imported_at=timezone.now(),
            rows=source.rows,
            added=len(new),
            already_imported=len(rows) - len(new),
            refused=refused,
        )
        record._change_reason = (
            f"Imported {len(new)} response{'s' if len(new) != 1 else ''} from "
            f"{record.get_tool_display()} ({record.file_name})"
        )
        record._history_user = by  # whichever door it came through
        record.save()
        _add(window, record, new, by, record._change_reason)
        return record


def _add(
    window: ConsultationWindow, record: ResponseImport, rows: list[ImportedRow], by, reason: str
) -> None:
    """The responses and their answers, a batch at a time: a query per batch, never per row;
    each response's history row says who imported it and from which file, and the audit ledger
    is told of them (they are written in bulk)."""
    now = timezone.now()
    references = _fresh_references(len(rows))
    responses = [
        Response(
            window=window,
            reference=reference,
            submitted_at=now,
            respondent_type=row.respondent_type,
            organisation_name=(
                ""
                if row.respondent_type == Response.RespondentType.INDIVIDUAL
                else row.organisation_name
            ),
            general_comments=row.general_comments,
            consent=True,
            channel=Response.Channel.IMPORTED,
            received_on=row.received_on,
            late=is_late(window, row.received_on),
            keyed_by=by,
            imported_from=record,
            source_row_id=source_row_id(record.tool, row.row_id),
        )
        for row, reference in zip(rows, references, strict=True)
    ]
    history = Response.history.model
    before = last_history_pk(history)
    bulk_create_with_history(
        responses, Response, batch_size=BATCH, default_user=by, default_change_reason=reason
    )
    announce_history_written(history, before, reason, window_id=window.pk)
    PriorityAnswer.objects.bulk_create(
        (
            PriorityAnswer(
                response=response,
                window=window,
                priority_id=pid,
                priority_title=title,
                agreement=agreement,
                comment=comment,
            )
            for response, row in zip(responses, rows, strict=True)
            for pid, title, agreement, comment in row.answers
        ),
        batch_size=BATCH,
    )


def _fresh_references(count: int) -> list[str]:
    """`count` references, none given before: drawn, then checked a batch at a time."""
    chosen: list[str] = []
    while len(chosen) < count:
        drawn = {new_reference() for _ in range(min(BATCH, count - len(chosen)))}
        drawn -= set(chosen)
        taken = set(
            Response.objects.filter(reference__in=drawn).values_list("reference", flat=True)
        )
        chosen += sorted(drawn - taken)
    return chosen
