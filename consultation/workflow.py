"""The moves of a consultation: open, close (by hand or when due), publish the response, and the
public's submissions. Each runs in one transaction; the consultation's gate moves through
governance.workflow, never around it."""

from __future__ import annotations

import datetime
import secrets
from collections import Counter

from django.db import IntegrityError, transaction
from django.utils import timezone

from governance import workflow as governance
from governance.dates import Precision
from governance.workflow import WorkflowError
from strategies.revisions import take_revision

from . import signals
from .models import ConsultationWindow, PriorityAnswer, Response, ResponseTheme, Theme

State = ConsultationWindow.State


def _lock(window: ConsultationWindow) -> ConsultationWindow:
    # Lock only the window's row: its gate is optional, an outer join PostgreSQL cannot lock.
    return (
        ConsultationWindow.objects.select_for_update(of=("self",))
        .select_related("strategy", "gate")
        .get(pk=window.pk)
    )


def window_problems(window: ConsultationWindow, opening: bool = True) -> list[WorkflowError]:
    """What is wrong with a window's dates (and, when `opening`, what stops it opening); the
    form shows the same messages beside its fields."""
    problems = []
    if opening and window.opens_on is None:
        problems.append(WorkflowError("Give the date the window opens.", field="opens_on"))
    if opening and window.closes_on is None:
        problems.append(WorkflowError("Give the date the window closes.", field="closes_on"))
    if window.opens_on and window.closes_on and window.closes_on < window.opens_on:
        problems.append(WorkflowError("A window cannot close before it opens.", field="closes_on"))
    if window.is_shorter_than_policy and not window.short_window_reason.strip():
        problems.append(
            WorkflowError(
                f"This window is {window.length_days} days, shorter than the "
                f"{window.minimum_days}-day minimum in the organisation's policy. Record why.",
                field="short_window_reason",
            )
        )
    return problems


def open_window(
    window: ConsultationWindow, by, as_of: datetime.date | None = None
) -> ConsultationWindow:
    """Open the window: the text consulted on is fixed as a revision, and its gate starts.

    `as_of` records a consultation that ran in the past (loading earlier records, the demo):
    the closing date is checked against that day instead of today."""
    with transaction.atomic():
        window = _lock(window)
        governance.require_planner(by, window.strategy)
        if window.state != State.PLANNED:
            raise WorkflowError(f"The window is already {window.get_state_display().lower()}.")
        problems = window_problems(window)
        if problems:
            raise problems[0]
        if window.closes_on < (as_of or timezone.localdate()):
            raise WorkflowError(
                "The closing date has passed; set new dates before opening.", field="closes_on"
            )
        if window.date_precision != Precision.DAY:
            raise WorkflowError(
                "Give the exact opening and closing days before opening.", field="date_precision"
            )
        window.revision = take_revision(window.strategy, f"Consulted on: {window.title}", by=by)
        window.state = State.OPEN
        window._change_reason = "Consultation opened"
        window.save(update_fields=["revision", "state"])
        if window.gate_id:
            governance.start_consultation(
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


def length_if_closed_today(window: ConsultationWindow) -> int | None:
    """How many days the window will have run if it closes today."""
    if window.opens_on is None:
        return None
    return (timezone.localdate() - window.opens_on).days + 1


def short_if_closed_today(window: ConsultationWindow) -> int | None:
    """Its length, if closing it today (before its closing day) makes it shorter than the
    policy's minimum: a person closing it then must give the reason."""
    if window.closes_on is not None and window.closes_on <= timezone.localdate():
        return None  # closing on (or after) its day: as planned
    length = length_if_closed_today(window)
    return length if length is not None and length < window.minimum_days else None


def require_closable(window: ConsultationWindow) -> None:
    if window.state != State.OPEN:
        raise WorkflowError("Only an open consultation can be closed.")


def close_window(window: ConsultationWindow, by=None, reason: str = "") -> ConsultationWindow:
    """Close the window and record the result on its gate, which then passes. Closed by hand
    before its closing day, it is shorter than planned: if that makes it shorter than the
    policy's minimum, the person closing it must give the reason, which is kept with the window
    (as `short_window_reason`, after any reason given when it was planned short)."""
    reason = reason.strip()
    with transaction.atomic():
        window = _lock(window)
        if by is not None:
            governance.require_planner(by, window.strategy)
        require_closable(window)
        today = timezone.localdate()
        fields = ["state", "result", "closes_on"]
        window._change_reason = "Consultation closed"
        if window.closes_on is None or window.closes_on > today:  # closed early, by hand
            if length := short_if_closed_today(window):
                if by is not None and not reason:
                    raise WorkflowError(
                        f"Closing today makes the consultation {length} days long, shorter than "
                        f"the {window.minimum_days}-day minimum: give the reason, which is kept "
                        "with it.",
                        field="reason",
                    )
                if reason:
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
        if window.gate_id:
            governance.complete_consultation(window.gate, by, window.result)
        transaction.on_commit(
            lambda: signals.window_closed.send(
                ConsultationWindow, window_id=window.pk, by_id=by and by.pk
            )
        )
        return window


# An event this far from its consultation's dates is taken for a mistyped year.
EVENT_REACH = datetime.timedelta(days=365)


def event_date_problem(window: ConsultationWindow, day: datetime.date) -> str | None:
    """What is wrong with an event of `window` on `day`: nothing unless it is more than a year
    from the window's dates (engagement before the opening is usual; years away is a typo)."""
    if window.opens_on is None or window.closes_on is None:
        return None
    if window.opens_on - EVENT_REACH <= day <= window.closes_on + EVENT_REACH:
        return None
    return f"That is more than a year from the consultation ({window.dates}): check the year."


def theme_name(name: str) -> str:
    """A theme's name as kept: its words with single spaces between them."""
    return " ".join(name.split())


def same_theme(window: ConsultationWindow, name: str, exclude_pk: int | None = None):
    """The window's theme of this name whatever its capitals, if there is one: "Mental health"
    and "mental health" are one theme, or responses tagged with either are counted apart."""
    return window.themes.filter(name__iexact=theme_name(name)).exclude(pk=exclude_pk).first()


def close_due_windows(today: datetime.date | None = None) -> list[ConsultationWindow]:
    """Close every open window whose closing day has passed (the scheduler runs this daily)."""
    today = today or timezone.localdate()
    due = ConsultationWindow.objects.filter(state=State.OPEN, closes_on__lt=today)
    return [close_window(window) for window in due]


def require_entries_open(window: ConsultationWindow) -> None:
    """“You said, we did” is written once responses are in and before it is published."""
    if window.state != State.CLOSED:
        raise WorkflowError(
            "“You said, we did” is written after the consultation closes and before it is "
            "published."
        )


def publish_response(window: ConsultationWindow, by) -> ConsultationWindow:
    with transaction.atomic():
        window = _lock(window)
        governance.require_planner(by, window.strategy)
        if window.state != State.CLOSED:
            raise WorkflowError("The response can be published only after the window closes.")
        if not window.you_said_we_did.exists():
            raise WorkflowError("Write at least one “you said, we did” entry first.")
        window.state = State.RESPONSE_PUBLISHED
        window.response_published_on = timezone.localdate()
        window._change_reason = "“You said, we did” published"
        window.save(update_fields=["state", "response_published_on"])
        return window


def new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    code = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"WM-{code[:4]}-{code[4:]}"


def submit_response(
    window: ConsultationWindow,
    respondent_type: str,
    answers: list[tuple[int, str, int | None, str]],
    general_comments: str = "",
    organisation_name: str = "",
    is_demo: bool = False,
    submitted_at: datetime.datetime | None = None,
) -> Response:
    """Store one response with its answers (priority id, title, agreement, comment)."""
    if not is_demo and not window.accepts_responses():
        raise WorkflowError("This consultation is not open for responses.")
    if respondent_type == Response.RespondentType.INDIVIDUAL:
        # Only what the response needs: someone answering for themselves names no organisation
        # (a name typed before they changed their answer is not kept).
        organisation_name = ""
    for _ in range(5):
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    window=window,
                    reference=new_reference(),
                    submitted_at=submitted_at or timezone.now(),
                    respondent_type=respondent_type,
                    organisation_name=organisation_name,
                    general_comments=general_comments,
                    consent=True,
                    is_demo=is_demo,
                )
                PriorityAnswer.objects.bulk_create(
                    PriorityAnswer(
                        response=response,
                        priority_id=pid,
                        priority_title=title,
                        agreement=agreement,
                        comment=comment,
                    )
                    for pid, title, agreement, comment in answers
                )
                return response
        except IntegrityError:  # the one-in-a-trillion clash of references: draw again
            continue
    raise WorkflowError("Your response could not be stored just now; please send it again.")


def set_tag(response: Response, theme: Theme, tagged: bool) -> None:
    """Tag or untag a response with a theme of its own window (history records who)."""
    if theme.window_id != response.window_id:
        raise WorkflowError("That theme belongs to another consultation.")
    with transaction.atomic():
        link = ResponseTheme.objects.filter(response=response, theme=theme).first()
        if tagged and link is None:
            ResponseTheme.objects.create(response=response, theme=theme)
        elif not tagged and link is not None:
            link.delete()


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
