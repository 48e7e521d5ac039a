"""Whether a person may make a consultation move now, and if not why, in a sentence for the page;
None when they may. Nothing here changes anything: each move in moves.py and responses.py asks
its check first (under its lock), and the pages ask the same checks to decide what they offer."""

from __future__ import annotations

import datetime

from django.utils import timezone

from governance import workflow as governance
from governance.dates import Precision, day_count
from strategies.models import User

from ..models import ConsultationWindow, Response, Theme
from .rules import short_if_closed_today, window_problems

State = ConsultationWindow.State

# The move that takes a window on from each state: its page offers it, or says why not yet.
NEXT_MOVE = {State.PLANNED: "open", State.OPEN: "close", State.CLOSED: "publish"}

# The name of the move that records a consultation that ran before the strategy came into
# Waymark (moves.record_window), as its page and the admin's action give it.
RECORD_MOVE = "Record a consultation that has run"
CLOSING_PASSED = (
    f"The closing date has passed. If the consultation ran on those dates, use “{RECORD_MOVE}”; "
    f"otherwise set new dates before opening."
)


# Why `user` may not run `strategy`'s consultations (plan, change, open, close, tag, write the
# response), or None: a consultation is a gate of the route, so those who plan the route run it,
# while the route is not closed. It is governance's rule itself, not a copy of it.
plan_refusal = governance.planner_refusal


def window_refusal(window: ConsultationWindow, by: User) -> str | None:
    """Why `by` may not plan `window` (a new one) or change its details now. Once "you said, we
    did" is published, its details stay as they were."""
    if refusal := plan_refusal(by, window.strategy):
        return refusal
    if window.state == State.RESPONSE_PUBLISHED:
        return "The response to this consultation has been published: its details are final."
    return None


def open_refusal(
    window: ConsultationWindow, by: User, as_of: datetime.date | None = None
) -> str | None:
    """Why `by` may not open `window` now: who, its state, its dates (exact, long enough or
    with the reason why not, and not already past on `as_of`, today unless given), and its
    gate, which starts as it opens (governance's `start_consultation_refusal`: the gate is open
    and waits for no gate not yet passed)."""
    if refusal := plan_refusal(by, window.strategy):
        return refusal
    if window.state != State.PLANNED:
        return f"The window is already {window.get_state_display().lower()}."
    if problems := window_problems(window):
        return problems[0].message
    if window.closes_on < (as_of or timezone.localdate()):
        return CLOSING_PASSED
    if window.date_precision != Precision.DAY:
        return "Give the exact opening and closing days before opening."
    if window.gate_id is not None:
        return governance.start_consultation_refusal(window.gate)
    return None


def close_refusal(window: ConsultationWindow, by: User | None = None) -> str | None:
    """Why `by` (or, with None, the scheduler at the closing date) may not close `window` now:
    who, its state, and its gate, which passes as it closes (governance's
    `complete_consultation_refusal`). Closing early may also need a reason:
    `closing_reason_refusal`."""
    if by is not None and (refusal := plan_refusal(by, window.strategy)):
        return refusal
    if (
        window.state == State.PLANNED
        and window.closes_on is not None
        and window.closes_on < timezone.localdate()
    ):
        return (
            f"Only an open consultation can be closed. This one never opened here and its "
            f"closing date has passed: if it ran, use “{RECORD_MOVE}”."
        )
    if window.state != State.OPEN:
        return "Only an open consultation can be closed."
    if window.gate_id is not None:
        return governance.complete_consultation_refusal(window.gate)
    return None


def record_refusal(window: ConsultationWindow, by: User) -> str | None:
    """Why `by` may not record `window` as a consultation that has run (moves.record_window):
    who (the officers who run the strategy's consultations, on a route not closed), its state
    (only one still planned: one that opened here is closed in the ordinary way), and its gate,
    which passes as it is recorded (governance's `record_consultation_refusal`). What is wrong
    with the dates and the rest as typed is rules.record_problems."""
    if refusal := plan_refusal(by, window.strategy):
        return refusal
    if window.state != State.PLANNED:
        already = "open" if window.state == State.OPEN else "closed"
        return (
            f"The consultation is already {already}: only one still planned can be recorded "
            f"as having run."
        )
    if window.gate_id is not None:
        return governance.record_consultation_refusal(window.gate)
    return None


def closing_reason_refusal(window: ConsultationWindow, reason: str) -> str | None:
    """A person closing `window` today, before its closing day, gives the reason when that makes
    it shorter than the policy's minimum."""
    length = short_if_closed_today(window)
    if length is None or reason.strip():
        return None
    return (
        f"Closing today makes the consultation {day_count(length)} long, shorter than the "
        f"{window.minimum_days}-day minimum: give the reason, which is kept with it."
    )


def entry_refusal(window: ConsultationWindow, by: User, correcting: bool = False) -> str | None:
    """Why `by` may not write or change a "you said, we did" entry of `window` now. Once it is
    published, an entry already written may still be corrected (`correcting`), with the reason
    (`correction_refusal`); none is added, and none is deleted."""
    if refusal := plan_refusal(by, window.strategy):
        return refusal
    if correcting and window.state == State.RESPONSE_PUBLISHED:
        return None
    if window.state != State.CLOSED:
        return (
            "“You said, we did” is written after the consultation closes and before it is "
            "published."
        )
    return None


def correction_refusal(window: ConsultationWindow, reason: str) -> str | None:
    """A published entry is corrected only with the reason, kept in its history."""
    if window.state != State.RESPONSE_PUBLISHED or reason.strip():
        return None
    return "Say why the published entry is corrected: the reason is kept in its history."


def publish_refusal(window: ConsultationWindow, by: User) -> str | None:
    """Why `by` may not publish `window`'s "you said, we did" now."""
    if refusal := plan_refusal(by, window.strategy):
        return refusal
    if window.state != State.CLOSED:
        return "The response can be published only after the window closes."
    if not window.you_said_we_did.exists():
        return "Write at least one “you said, we did” entry first."
    return None


def removal_refusal(window: ConsultationWindow, by: User) -> str | None:
    """Why `by` may not delete `window` (the admin's delete): once it has opened, its text,
    responses and the moves of its gate are on the record."""
    if refusal := plan_refusal(by, window.strategy):
        return refusal
    if window.state != State.PLANNED:
        return "A consultation that has opened stays on the record: it cannot be deleted."
    return None


def submission_refusal(window: ConsultationWindow, is_demo: bool = False) -> str | None:
    """Why the public may not respond to `window` now (the demo's made-up responses may)."""
    if not is_demo and not window.accepts_responses():
        return "This consultation is not open for responses."
    return None


def tag_refusal(response: Response, theme: Theme, by: User | None = None) -> str | None:
    """Why `by` may not tag `response` with `theme` (or take the tag off)."""
    return tags_refusal(response.window, theme, by)


def tags_refusal(window: ConsultationWindow, theme: Theme, by: User | None = None) -> str | None:
    """Why `by` may not tag `window`'s responses with `theme` (or take the tag off), one or many
    at once (responses.bulk_set_tags): the same rule as for one."""
    if by is not None and (refusal := plan_refusal(by, window.strategy)):
        return refusal
    if theme.window_id != window.pk:
        return "That theme belongs to another consultation."
    return None


def keying_refusal(window: ConsultationWindow, by: User) -> str | None:
    """Why `by` may not add to `window` a response sent another way (keyed in from paper, an
    email, a letter or an event, or imported from another survey tool) now. Those who run the
    consultation may, once it has opened, and after it closes: paper forms and letters arrive
    late, and are accepted and marked late. Not once "you said, we did" is published: its counts
    and what it says people said are final, and a response added after would not be in them
    (one received then is kept with the council's records instead)."""
    if refusal := plan_refusal(by, window.strategy):
        return refusal
    return keying_state_refusal(window)


def keying_state_refusal(window: ConsultationWindow) -> str | None:
    """`keying_refusal` for someone who runs the consultation: its state alone (no query, for
    pages that have asked `plan_refusal` already)."""
    if window.state == State.PLANNED:
        return "Responses are added once the consultation has opened."
    if window.state == State.RESPONSE_PUBLISHED:
        return (
            "“You said, we did” has been published for this consultation: its results are "
            "final, so no response can be added now."
        )
    if window.revision_id is None:
        return "The text consulted on is not on record, so its questions are not known."
    return None
