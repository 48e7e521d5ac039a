"""The moves of a consultation window: plan or change it, open it, close it (by hand or when
due), record one that ran before its strategy came into Waymark, and write and publish "you
said, we did". Each asks its check (refusals.py) and the rules (rules.py) under the window's row
lock, then runs in one transaction; the consultation's gate moves through governance.workflow,
never around it."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import transaction
from django.utils import timezone

from governance import workflow as governance
from governance.dates import Precision, long_date
from governance.workflow import WorkflowError, refuse_if
from strategies.models import Revision
from strategies.revisions import take_revision

from .. import signals
from ..models import ConsultationWindow, Response, YouSaidWeDid
from ..recorded import STAND_IN
from .entries import entry_problems
from .refusals import (
    close_refusal,
    closing_reason_refusal,
    correction_refusal,
    entry_refusal,
    open_refusal,
    publish_refusal,
    record_refusal,
    window_refusal,
)
from .rules import (
    RunRecord,
    record_problems,
    short_if_closed_today,
    window_change_problems,
)

State = ConsultationWindow.State


def _lock(window: ConsultationWindow) -> ConsultationWindow:
    # Lock only the window's row: its gate is optional, an outer join PostgreSQL cannot lock.
    return (
        ConsultationWindow.objects.select_for_update(of=("self",))
        .select_related("strategy", "gate")
        .get(pk=window.pk)
    )


def save_window(window: ConsultationWindow, by, reason: str = "") -> ConsultationWindow:
    """Plan `window` (not yet saved) or save the changes typed into it, as the browser's form
    and the admin's both do. A new window keeps the lead organisation's minimum length."""
    with transaction.atomic():
        stored = _lock(window) if window.pk else window
        refuse_if(window_refusal(stored, by))
        if problems := window_change_problems(window):
            raise problems[0]
        if window.minimum_days is None:
            window.minimum_days = window.minimum
        window._change_reason = reason or (
            "Consultation planned" if window.pk is None else "Consultation changed"
        )
        window.save()
        _plan_gate(window, by)
        return window


def _plan_gate(window: ConsultationWindow, by) -> None:
    """A planned window's gate takes its planned closing day, at the window's precision: the
    day the gate passes (the route, the timeline and the reports then read one date)."""
    if (
        window.gate_id is None
        or window.state != State.PLANNED
        or window.closes_on is None
        or window.date_precision == Precision.NOT_SET
    ):
        return
    window.gate = governance.plan_consultation(
        window.gate,
        by,
        window.closes_on,
        window.date_precision,
        f"Planned to close with the consultation “{window.title}”",
    )


def open_window(
    window: ConsultationWindow, by, as_of: datetime.date | None = None
) -> ConsultationWindow:
    """Open the window: the text consulted on is fixed as a revision, and its gate starts.

    `as_of` records a consultation that ran in the past (loading earlier records, the demo):
    the closing date is checked against that day instead of today."""
    with transaction.atomic():
        window = _lock(window)
        refuse_if(open_refusal(window, by, as_of))
        window.revision = take_revision(window.strategy, f"Consulted on: {window.title}", by=by)
        window.state = State.OPEN
        window._change_reason = "Consultation opened"
        window.save(update_fields=["revision", "state"])
        if window.gate_id:  # the window returned carries its gate as it now is
            window.gate = governance.start_consultation(
                window.gate, by, f"Consultation “{window.title}” opened", window.closes_on
            )
        return window


def result_of(window: ConsultationWindow) -> str:
    counts = Counter(window.responses.values_list("respondent_type", flat=True))
    labels = dict(Response.RespondentType.choices)
    total = sum(counts.values())
    parts = ", ".join(
        f"{counts[k]} {labels[k].lower().removeprefix('an ').removeprefix('a ')}"
        for k in labels
        if counts[k]
    )
    return f"Consultation closed with {total} response{'s' if total != 1 else ''}" + (
        f" ({parts})." if parts else "."
    )


def close_window(window: ConsultationWindow, by=None, reason: str = "") -> ConsultationWindow:
    """Close the window and record the result on its gate, which then passes. Closed by hand
    before its closing day, it is shorter than planned: if that makes it shorter than the
    policy's minimum, the person closing it must give the reason, which is kept with the window
    (as `short_window_reason`, after any reason given when it was planned short)."""
    reason = reason.strip()
    with transaction.atomic():
        window = _lock(window)
        refuse_if(close_refusal(window, by))
        if by is not None:
            refuse_if(closing_reason_refusal(window, reason), field="reason")
        today = timezone.localdate()
        fields = ["state", "result", "closes_on"]
        window._change_reason = "Consultation closed"
        if window.closes_on is None or window.closes_on > today:  # closed early, by hand
            if reason and short_if_closed_today(window):
                early = f"Closed early on {today:%-d %B %Y}: {reason}"
                window.short_window_reason = "\n\n".join(
                    part for part in [window.short_window_reason, early] if part
                )
                fields.append("short_window_reason")
            window.closes_on = today
            window._change_reason = "Consultation closed early"
        if reason:
            window._change_reason += f": {reason}"
        window.state = State.CLOSED
        window.result = result_of(window)
        window.save(update_fields=fields)
        if window.gate_id:  # dated the day it closed, early or not
            window.gate = governance.complete_consultation(
                window.gate, by, window.result, closed_on=window.closes_on
            )
        transaction.on_commit(
            lambda: signals.window_closed.send(
                ConsultationWindow, window_id=window.pk, by_id=by and by.pk
            )
        )
        return window


def record_window(window: ConsultationWindow, by, record: RunRecord) -> ConsultationWindow:
    """Record `window`, still planned, as the consultation that ran before its strategy came
    into Waymark, from the council's records (`record`): closed, opened and closed on its real
    dates, with its result and the number of responses reported, marked as recorded after the
    fact and from where, its gate passed as closing passes it (dated the day it closed), and its
    history saying so. The text consulted on is the revision given; if none is, the latest
    revision before it opened; if there is none, the text as it stands now, labelled a stand-in
    (the pages say which). No one is told it closed: it closed long ago."""
    with transaction.atomic():
        window = _lock(window)
        refuse_if(record_refusal(window, by))
        if problems := record_problems(window, record):
            raise problems[0]
        source = " ".join(record.recorded_from.split())
        window.revision, text = _text_consulted_on(window, record, by)
        window.opens_on, window.closes_on = record.opens_on, record.closes_on
        window.date_precision = Precision.DAY
        window.short_window_reason = record.short_window_reason.strip()
        window.state = State.CLOSED
        window.result = record.result.strip()
        window.reported_responses = record.reported_responses
        window.recorded_later = True
        window.recorded_from = source
        window._change_reason = f"Recorded after the fact from {source}; {text}"
        window._history_user = by  # who recorded it, whichever door it came through
        window.save()
        if window.gate_id:
            count = window.reported_text or result_of(window)
            window.gate = governance.record_consultation(
                window.gate,
                by,
                f"Consultation “{window.title}” recorded after the fact from {source}",
                record.closes_on,
                f"Recorded on {long_date(timezone.localdate())} by {by.display_name}, from "
                f"{source}. {count.rstrip('.')}. {window.result}",
            )
        return window


def _text_consulted_on(window: ConsultationWindow, record: RunRecord, by) -> tuple[Revision, str]:
    """The revision taken as the text consulted on, and how it was chosen, for the history."""
    if record.revision is not None:
        return record.revision, f"text consulted on: revision {record.revision.number}, as given"
    then = (
        window.strategy.revisions.filter(created_at__date__lte=record.opens_on)
        .order_by("-number")
        .first()
    )
    if then is not None:
        return then, (
            f"text consulted on taken to be revision {then.number}, the latest before it opened"
        )
    label = f"{STAND_IN}: “{window.title}”"
    revision = take_revision(window.strategy, label[:200], by=by)
    return revision, (
        f"the text consulted on is not on record: revision {revision.number}, the text as it "
        f"stands now, stands in for it"
    )


def close_due_windows(
    today: datetime.date | None = None, refused: list | None = None
) -> list[ConsultationWindow]:
    """Close every open window whose closing day has passed (the scheduler runs this daily).
    A window its check refuses to close (its gate left the route when the strategy was
    withdrawn) stays open and does not stop the others: it is added to `refused` with the
    reason, for the command to report."""
    today = today or timezone.localdate()
    due = ConsultationWindow.objects.filter(state=State.OPEN, closes_on__lt=today)
    closed = []
    for window in due.order_by("closes_on", "pk"):
        try:
            closed.append(close_window(window))
        except governance.WorkflowError as refusal:
            if refused is not None:
                refused.append((window, refusal.message))
    return closed


def save_entry(entry: YouSaidWeDid, by, reason: str = "") -> YouSaidWeDid:
    """Write or change a "you said, we did" entry: after the window closes, before the response
    is published; or correct one already published, with the reason, which its history keeps
    with who corrected it, and its public page says when (`corrected_at`)."""
    reason = reason.strip()
    with transaction.atomic():
        window = _lock(entry.window)
        refuse_if(entry_refusal(window, by, correcting=entry.pk is not None))
        refuse_if(correction_refusal(window, reason), field="reason")
        if problems := entry_problems(entry):
            raise problems[0]
        if window.state == State.RESPONSE_PUBLISHED:
            was = YouSaidWeDid.objects.filter(pk=entry.pk).values_list("theme_id", flat=True)
            if was.first() not in (None, entry.theme_id):
                raise WorkflowError(
                    "A published entry keeps its theme: correct what it says instead.", "theme"
                )
            entry.corrected_at = timezone.now()
            entry._change_reason = f"Corrected after publication: {reason}"
        else:
            written = "changed" if entry.pk else "written"
            entry._change_reason = f"“You said, we did” entry {written}" + (
                f": {reason}" if reason else ""
            )
        entry._history_user = by  # who wrote it, whichever door it came through
        entry.save()
        return entry


def publish_response(window: ConsultationWindow, by) -> ConsultationWindow:
    with transaction.atomic():
        window = _lock(window)
        refuse_if(publish_refusal(window, by))
        window.state = State.RESPONSE_PUBLISHED
        window.response_published_on = timezone.localdate()
        window._change_reason = "“You said, we did” published"
        window.save(update_fields=["state", "response_published_on"])
        return window


def consultation_at(gate) -> str | None:
    """Why `gate` cannot be removed from its route while a consultation runs at it, or None
    (governance/gate_holders.py asks this before a gate is removed)."""
    window = ConsultationWindow.objects.filter(gate_id=gate.pk).only("title").first()
    if window is None:
        return None
    return (
        f"The consultation “{window.title}” runs at this gate. Before removing the gate, "
        "choose another gate for the consultation (or none) on its Edit page; once it "
        "has opened, its gate is fixed and passes when it closes."
    )
