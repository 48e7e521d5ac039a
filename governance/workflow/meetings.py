"""Meetings: putting a gate on the agenda of a meeting of its body, and recording that the
agenda was published, which freezes each strategy on it as sent in the papers. These are the
moves of the body's secretaries (and administrators).

Each move has a check, `<move>_refusal(user, ...)`, that says why this person may not make it
now, or None; the move asks it again under the lock. The date typed is checked by the move.
`add_to_agenda_refusal(user, meeting)` is the part of scheduling's check that is the meeting's
own (who keeps its agenda, and whether it is still to be held). What a meeting's own date
must be, as typed in the meeting forms, is `meeting_problems`. Whether a meeting was held or
cancelled is recorded by `mark_meeting` (the meeting's page and the admin's actions), once.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from strategies.models import Revision, Strategy, User
from strategies.revisions import take_revision

from .. import signals
from ..dates import TIME_NEEDS_A_DAY, Precision
from ..models import Gate, Meeting, Purpose
from .common import (
    WorkflowError,
    active_refusal,
    lock_strategy,
    move_gate,
    refuse_if,
    secretary_refusal,
    settle,
)


def add_to_agenda_refusal(user: User, meeting: Meeting) -> str | None:
    """Why `user` may not put anything on the agenda of `meeting` now, or None: its body's
    secretaries (and administrators) do, unless the meeting was cancelled. A meeting already
    held takes items too: that is how a route brought in half-way records what a meeting
    considered before the strategy came into Waymark (its decision then says it was recorded
    after the fact). The meeting's page asks it before offering its form; schedule_gate_refusal
    asks it for each gate."""
    if refusal := secretary_refusal(user, meeting.body):
        return refusal
    if meeting.status == Meeting.Status.CANCELLED:
        return "That meeting was cancelled; put the strategy on another meeting."
    return None


def schedule_gate_refusal(user: User, gate: Gate, meeting: Meeting) -> str | None:
    """Why `user` may not put `gate` on the agenda of `meeting` now, or None."""
    if refusal := active_refusal(gate.strategy) or secretary_refusal(user, gate.body):
        return refusal
    if meeting.body_id != gate.body_id:
        return f"This gate is for the {gate.body}, not the {meeting.body}."
    if refusal := add_to_agenda_refusal(user, meeting):
        return refusal
    if not gate.is_open:
        return "This gate has already been decided."
    if gate.purpose == Purpose.CONSULT:
        return "A consultation gate runs with its consultation window, not a meeting."
    if gate.papers_revision_id and gate.meeting_id != meeting.pk:
        return "Papers have been published for another meeting; decide or defer there."
    return None


def schedule_gate(
    gate: Gate, meeting: Meeting, by: User, report_number: str = "", agenda_item: str = ""
) -> Gate:
    """Put a gate on the agenda of a meeting of its body, at its place there if known (the
    committee report's number and the agenda item: a gate put on another meeting takes that
    meeting's, or none yet). On an agenda already published, it is a late item: its papers are
    frozen as it is added."""
    with transaction.atomic():
        # The meeting before the strategy, in the order publish_agenda takes them.
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_for_update().select_related("body").get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(schedule_gate_refusal(by, gate, meeting))
        move_gate(
            gate,
            Gate.State.SCHEDULED,
            by,
            f"On the agenda of {meeting}",
            meeting=meeting,
            planned_date=meeting.local_day,
            planned_precision=meeting.date_precision,
            report_number=report_number.strip(),
            agenda_item=agenda_item.strip(),
        )
        if meeting.agenda_published_on and not gate.papers_revision_id:
            _freeze_papers(gate, strategy, meeting, by)
        settle(strategy, by, f"On the agenda of {meeting}")
        transaction.on_commit(
            lambda: signals.gate_scheduled.send(
                Gate, gate_id=gate.pk, meeting_id=meeting.pk, by_id=by.pk
            )
        )
        return gate


def agenda_references_refusal(user: User, gate: Gate) -> str | None:
    """Why `user` may not change `gate`'s place on its meeting's agenda (report number, agenda
    item) now, or None: its body's secretaries (and administrators) do, while the gate is on a
    meeting, decided or not: a reference put right later is still the council's reference."""
    if refusal := secretary_refusal(user, gate.body):
        return refusal
    if gate.meeting_id is None:
        return "The gate is not on a meeting's agenda; put it on one first."
    return None


def set_agenda_references(
    gate: Gate, by: User, report_number: str, agenda_item: str, comment: str = ""
) -> bool:
    """Give `gate`'s report number and agenda item; saved (and in the gate's history, with
    `comment`) only if either changed. Returns whether anything was saved."""
    with transaction.atomic():
        strategy = lock_strategy(gate.strategy)
        gate = Gate.objects.select_for_update().select_related("body").get(pk=gate.pk)
        gate.strategy = strategy
        refuse_if(agenda_references_refusal(by, gate))
        given = {"report_number": report_number.strip(), "agenda_item": agenda_item.strip()}
        changed = [name for name, value in given.items() if getattr(gate, name) != value]
        if not changed:
            return False
        for name in changed:
            setattr(gate, name, given[name])
        gate._change_reason = comment or "Agenda references changed"
        gate.save(update_fields=changed)
        return True


def meeting_fields_fixed(meeting: Meeting) -> list[str]:
    """What of a meeting is part of the record and no longer changed by editing it: its body,
    time and the precision of its date once strategies are on its agenda (or decided at it),
    its status once it exists (mark_meeting records that it was held or cancelled; a meeting
    brought in from old records may be created as held), and always its agenda's publication
    (publish_agenda records that). The admin and the meeting's edit page both keep to this."""
    fixed = ["agenda_published_on"]
    if meeting.pk is None:
        return fixed
    if meeting.decisions.exists() or meeting.gates.exists():
        fixed += ["body", "starts_at", "time_known", "date_precision"]
    return fixed + ["status"]


HELD_IN_THE_FUTURE = (
    "The meeting is marked held, so it has begun: give a date and time that have passed."
)


def has_begun(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """Whether `meeting` has begun, and so can have been held: its start has passed (the start
    of its day when no time is recorded); when only the month is known, once that month has
    come. Marking a meeting held (mark_meeting) and a held meeting's date as typed
    (meeting_problems) both keep to this."""
    now = now or timezone.now()
    if meeting.date_precision == Precision.MONTH:
        day, today = meeting.local_day, timezone.localdate(now)
        return (day.year, day.month) <= (today.year, today.month)
    return meeting.starts_at <= now


def meeting_problems(meeting: Meeting) -> list[WorkflowError]:
    """What is wrong with a meeting's date as typed (the meeting forms, the browser's and the
    admin's, show each beside its field): a time of day when only the month is known, a meeting
    marked held that has not begun (has_begun, the rule mark_meeting keeps), or a second
    meeting of its body at the same moment, as two meetings of one day with no time recorded
    would be (the database allows one: `meeting_once_per_body_time`)."""
    problems = []
    if meeting.time_known and meeting.date_precision == Precision.MONTH:
        problems.append(WorkflowError(TIME_NEEDS_A_DAY, field="starts_at"))
    if meeting.body_id is None or meeting.starts_at is None:
        return problems
    if meeting.status == Meeting.Status.HELD and not has_begun(meeting):
        problems.append(WorkflowError(HELD_IN_THE_FUTURE, field="starts_at"))
    other = (
        Meeting.objects.filter(body_id=meeting.body_id, starts_at=meeting.starts_at)
        .exclude(pk=meeting.pk)
        .first()
    )
    if other is not None:
        if other.date_precision == Precision.MONTH:
            then = f"in {other.when}, given as the same day"
        elif not other.time_known:
            then = f"on {other.when}, with no time recorded"
        else:
            then = f"on {other.when} at {timezone.localtime(other.starts_at):%H:%M}"
        if meeting.date_precision == Precision.MONTH:
            advice = "For another meeting that month, give another day in it."
        elif not meeting.time_known:
            advice = "If this is another meeting that day, give the time it began."
        else:
            advice = "Check the date and time, or open that meeting."
        problems.append(
            WorkflowError(
                f"The {meeting.body} already has a meeting {then}. {advice}", field="starts_at"
            )
        )
    return problems


def edit_meeting_refusal(user: User, meeting: Meeting) -> str | None:
    """Why `user` may not edit `meeting`'s details (venue, minutes, and its time while nothing
    is on its agenda) now, or None: its body's secretaries and administrators do."""
    return secretary_refusal(user, meeting.body)


def publish_agenda_refusal(user: User, meeting: Meeting) -> str | None:
    """Why `user` may not record the publication of `meeting`'s agenda now, or None. An
    agenda's publication is recorded once."""
    if refusal := secretary_refusal(user, meeting.body):
        return refusal
    if meeting.status != Meeting.Status.SCHEDULED:
        return f"The meeting is {meeting.get_status_display().lower()}; its agenda stands."
    if meeting.agenda_published_on:
        return (
            f"The agenda was published on {meeting.agenda_published_on:%-d %B %Y}; a "
            "strategy put on it since has its papers frozen as it is added."
        )
    return None


def publish_agenda(meeting: Meeting, published_on: datetime.date, by: User) -> list[Revision]:
    """Record the agenda's publication; each strategy on it is frozen as sent in the papers."""
    revisions = []
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        refuse_if(publish_agenda_refusal(by, meeting))
        if published_on > timezone.localdate():
            raise WorkflowError("The agenda cannot be published in the future.")
        if published_on > meeting.local_day:
            raise WorkflowError("The agenda must be published before the meeting.")
        meeting.agenda_published_on = published_on
        meeting._change_reason = "Agenda published"
        meeting.save(update_fields=["agenda_published_on"])
        for gate in meeting.gates.filter(state=Gate.State.SCHEDULED).select_related("strategy"):
            strategy = lock_strategy(gate.strategy)
            revisions.append(_freeze_papers(gate, strategy, meeting, by))
            settle(strategy, by, f"Papers published for the {meeting}")
    return revisions


def _freeze_papers(gate: Gate, strategy: Strategy, meeting: Meeting, by: User) -> Revision:
    """The strategy (locked by the caller) as sent in the meeting's papers: a revision the gate
    keeps, and the strategy frozen until the body decides (see common.settle)."""
    revision = take_revision(strategy, f"Papers for the {meeting}", by=by)
    gate.papers_revision = revision
    gate._change_reason = "Papers published"
    gate.save(update_fields=["papers_revision"])
    return revision


# Held or cancelled -----------------------------------------------------------------------------

MARKED = {
    Meeting.Status.HELD: "Marked held",
    Meeting.Status.CANCELLED: "Marked cancelled",
}


def mark_meeting_refusal(
    user: User, meeting: Meeting, status: str, now: datetime.datetime | None = None
) -> str | None:
    """Why `user` may not mark `meeting` held or cancelled (`status`, a Meeting.Status) now, or
    None: its body's secretaries (and administrators) do, once, while it is still scheduled; a
    meeting is held only once it has begun (has_begun), and cancelled before or after its day
    (records often say so late). The meeting's page asks it before offering each button."""
    if refusal := secretary_refusal(user, meeting.body):
        return refusal
    if status not in MARKED:
        return "A meeting is marked held or cancelled."
    if meeting.status != Meeting.Status.SCHEDULED:
        return f"The meeting is already marked {meeting.get_status_display().lower()}."
    if status == Meeting.Status.HELD and not has_begun(meeting, now):
        return f"The meeting has not begun yet ({_starting(meeting)}); mark it held once it has."
    return None


def _starting(meeting: Meeting) -> str:
    if meeting.time_known and meeting.date_precision == Precision.DAY:
        return f"{meeting.when} at {timezone.localtime(meeting.starts_at):%H:%M}"
    return meeting.when


def mark_meeting(meeting: Meeting, status: str, by: User) -> list[Gate]:
    """Record that `meeting` was held or cancelled (`status`), in its history ("Marked held",
    "Marked cancelled"). Recording a decision marks its meeting held too (record_decision).

    A cancelled meeting will decide nothing, so papers published for it no longer hold the text:
    each strategy on its agenda is open for editing again (common.settle) and stays on the
    agenda, where the route, the calendar and the meeting's page show it cancelled, until a
    secretary puts it on another meeting (which freezes its papers afresh). Returns the gates
    whose papers were withdrawn."""
    withdrawn = []
    with transaction.atomic():
        # The meeting before its strategies, in the order publish_agenda takes them.
        meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
        refuse_if(mark_meeting_refusal(by, meeting, status))
        meeting.status = status
        meeting._change_reason = MARKED[status]
        meeting.save(update_fields=["status"])
        if status == Meeting.Status.CANCELLED:
            withdrawn = _withdraw_papers(meeting, by)
    return withdrawn


def cancel_from_committee_system(meeting: Meeting, reason: str) -> list[Gate]:
    """Record that the committee system says `meeting` (still scheduled, locked by the caller)
    was cancelled, with no person to name: the same record as mark_meeting's, papers withdrawn
    alike, with `reason` in the meeting's history. governance.moderngov.sync calls it; a meeting
    already held or cancelled in Waymark is left to its secretaries."""
    if meeting.status != Meeting.Status.SCHEDULED:
        raise WorkflowError(
            f"The meeting is already marked {meeting.get_status_display().lower()}."
        )
    meeting.status = Meeting.Status.CANCELLED
    meeting._change_reason = reason
    meeting.save(update_fields=["status"])
    return _withdraw_papers(meeting, None)


def _withdraw_papers(meeting: Meeting, by: User | None) -> list[Gate]:
    """A cancelled meeting decides nothing: papers sent for it no longer hold the text."""
    withdrawn = []
    sent = meeting.gates.filter(state=Gate.State.SCHEDULED, papers_revision__isnull=False)
    for gate in sent.select_related("strategy", "body"):
        strategy = lock_strategy(gate.strategy)
        gate.strategy = strategy
        gate.papers_revision = None
        gate._change_reason = f"Papers withdrawn: the {meeting} was cancelled"
        gate.save(update_fields=["papers_revision"])
        settle(strategy, by, f"The {meeting} was cancelled")
        withdrawn.append(gate)
    return withdrawn
