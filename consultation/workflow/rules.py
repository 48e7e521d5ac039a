"""What a consultation and the things in it must be, whichever door a change comes through: a
window's dates, length and gate, and what stays fixed once it has opened; a consultation that
has run, as it is recorded after the fact (and what its dates show was missed); an event's
dates (a time only with its day, a last day not before its first, a start by the window's
closing date) and place; a theme's name; a partner named once. (What a "you said, we did"
entry must be is entries.py's.)

Each `*_problems` function looks at an object as typed and returns what is wrong with it, each
problem a WorkflowError naming the field it belongs beside, without changing anything. The
browser's forms and the admin's show them (consultation/forms.py, `CheckedByRules`), and the
moves that save refuse on them (moves.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from governance.dates import (
    TIME_NEEDS_A_DAY,
    Precision,
    day_count,
    describe,
    first_day,
    latest_day,
)
from governance.models import Body, Gate, Purpose
from governance.workflow import WorkflowError
from strategies.models import Revision, Strategy

from ..models import ConsultationWindow, Event, Theme, WindowPartner

State = ConsultationWindow.State

# Windows -----------------------------------------------------------------------------------------

# Once a window has opened, people have been given its address and dates, and its gate is under
# way: these stay as they are.
FIXED_ONCE_OPEN = ("slug", "gate", "opens_on", "closes_on", "date_precision", "period_note")
FIXED_ONCE_OPEN_MESSAGE = "Fixed once the consultation has opened."


def fixed_fields(window: ConsultationWindow) -> tuple[str, ...]:
    """The fields of `window` (as stored) that may no longer change."""
    return () if window.state == State.PLANNED else FIXED_ONCE_OPEN


def gate_choices(window: ConsultationWindow) -> QuerySet[Gate]:
    """The gates `window` may run at: consultation gates of its strategy's route, not removed
    (unless it is the one it has) and not taken by another window."""
    gates = Gate.objects.filter(purpose=Purpose.CONSULT)
    if window.strategy_id is not None:
        gates = gates.filter(strategy_id=window.strategy_id)
    stored_gate = ConsultationWindow.objects.filter(pk=window.pk).values("gate_id")
    taken = ConsultationWindow.objects.exclude(pk=window.pk).exclude(gate=None)
    return gates.filter(~Q(state=Gate.State.REMOVED) | Q(pk__in=stored_gate)).exclude(
        pk__in=taken.values("gate_id")
    )


def window_problems(window: ConsultationWindow, opening: bool = True) -> list[WorkflowError]:
    """What is wrong with a window's dates and length (and, when `opening`, what stops it
    opening)."""
    problems = []
    if opening and window.opens_on is None:
        problems.append(WorkflowError("Give the date the window opens.", field="opens_on"))
    if opening and window.closes_on is None:
        problems.append(WorkflowError("Give the date the window closes.", field="closes_on"))
    backwards = window.opens_on and window.closes_on and window.closes_on < window.opens_on
    # A window planned with dates that have both passed is one that ran before the strategy
    # came into Waymark: why it was short (or that no reason is on record) is asked when it is
    # recorded (record_problems below), not while it is entered.
    ran_before = (
        not opening and window.closes_on is not None and window.closes_on < timezone.localdate()
    )
    if backwards:
        problems.append(WorkflowError("A window cannot close before it opens.", field="closes_on"))
    elif (
        window.is_shorter_than_policy and not window.short_window_reason.strip() and not ran_before
    ):
        problems.append(
            WorkflowError(
                f"This window is {day_count(window.length_days)}, shorter than the "
                f"{window.minimum}-day minimum in the organisation's policy. Record why.",
                field="short_window_reason",
            )
        )
    return problems


def window_change_problems(window: ConsultationWindow) -> list[WorkflowError]:
    """What stops `window`, as typed, being saved (planned, or changed): its gate, what is fixed
    once it has opened, and its dates and length. Who may save it is refusals.window_refusal."""
    stored = ConsultationWindow.objects.filter(pk=window.pk).first() if window.pk else None
    problems = []
    if (
        window.gate_id is not None
        and (stored is None or stored.gate_id != window.gate_id)
        and not gate_choices(window).filter(pk=window.gate_id).exists()
    ):
        problems.append(
            WorkflowError(
                "Choose a consultation gate of this strategy's route that no other consultation "
                "runs at.",
                field="gate",
            )
        )
    if stored is not None:
        for name in fixed_fields(stored):
            attname = ConsultationWindow._meta.get_field(name).attname
            if getattr(window, attname) != getattr(stored, attname):
                problems.append(WorkflowError(FIXED_ONCE_OPEN_MESSAGE, field=name))
        closing = (window.closes_on, window.date_precision)
        if closing != (stored.closes_on, stored.date_precision) and (
            late := late_event_problem(window, *closing)
        ):
            problems.append(WorkflowError(late, field="closes_on"))
    return problems + window_problems(window, opening=False)


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


# A consultation that has run, recorded after the fact ------------------------------------------


@dataclass
class RunRecord:
    """A consultation as the council's records give it, typed to record it after the fact
    (moves.record_window): its real dates, its result, how many responses the records say it
    had (when they are not brought in one by one), where all this is from, the reason it was
    shorter than the minimum (or that none is on record), and the text consulted on, if known."""

    opens_on: datetime.date | None
    closes_on: datetime.date | None
    result: str
    recorded_from: str
    reported_responses: int | None = None
    short_window_reason: str = ""
    no_reason_on_record: bool = False
    revision: Revision | None = None
    # The records give no number of responses (only interim counts, say): said so, not made up.
    count_not_on_record: bool = False

    @property
    def length_days(self) -> int | None:
        if self.opens_on and self.closes_on:
            return (self.closes_on - self.opens_on).days + 1
        return None


def record_problems(
    window: ConsultationWindow, record: RunRecord, today: datetime.date | None = None
) -> list[WorkflowError]:
    """What is wrong with `record` as the run of `window`: both dates past (a consultation
    closing today or later is opened instead), the closing not before the opening, the policy's
    minimum length as it applied then (a shorter one gives the reason the records give, or says
    that none is on record), the result, the number of responses (unless they are here one by
    one), where it is from, and a text of this strategy. Who may record it is
    refusals.record_refusal."""
    today = today or timezone.localdate()
    problems = []
    days = (("opens_on", record.opens_on, "opened"), ("closes_on", record.closes_on, "closed"))
    for name, day, what in days:
        if day is None:
            problems.append(WorkflowError(f"Give the date it {what}.", field=name))
        elif day >= today:
            problems.append(
                WorkflowError(
                    "That day has not passed yet: only a consultation that has run can be "
                    "recorded. To run it now, open it.",
                    field=name,
                )
            )
    length, minimum = record.length_days, window.minimum
    if length is not None and length < 1:
        problems.append(WorkflowError("A window cannot close before it opens.", field="closes_on"))
    elif record.closes_on is not None and (
        late := late_event_problem(window, record.closes_on, Precision.DAY)
    ):
        problems.append(WorkflowError(late, field="closes_on"))
    if (
        length is not None
        and length >= 1
        and minimum is not None
        and length < minimum
        and not record.short_window_reason.strip()
        and not record.no_reason_on_record
    ):
        problems.append(
            WorkflowError(
                f"It ran {day_count(length)}, shorter than the {minimum}-day minimum in the "
                f"organisation's policy. Give the reason the council's records give, or tick "
                f"“No reason is on record”.",
                field="short_window_reason",
            )
        )
    if not record.result.strip():
        problems.append(WorkflowError("Give the result, as the records give it.", field="result"))
    if (
        record.reported_responses is None
        and not record.count_not_on_record
        and not window.responses.exists()
    ):
        problems.append(
            WorkflowError(
                "Give the number of responses the records say it received, or tick “The "
                "number of responses is not on record”.",
                field="reported_responses",
            )
        )
    elif record.reported_responses is not None and record.count_not_on_record:
        problems.append(
            WorkflowError(
                "Give the number, or say it is not on record, not both.",
                field="reported_responses",
            )
        )
    if not record.recorded_from.strip():
        problems.append(
            WorkflowError(
                "Say where this is taken from, such as “the consultation report to the Board "
                "of 4 July 2017”.",
                field="recorded_from",
            )
        )
    if record.revision is not None and record.revision.strategy_id != window.strategy_id:
        problems.append(WorkflowError("Choose a revision of this strategy.", field="revision"))
    return problems


def missed_rules(window: ConsultationWindow) -> list[str]:
    """What the dates of a consultation recorded after the fact show was missed, for its page
    (not a warning to act on: it is over)."""
    if not window.recorded_later:
        return []
    notes = []
    if window.is_shorter_than_policy and not window.short_window_reason.strip():
        notes.append(
            f"The recorded dates show it ran {day_count(window.length_days)}, shorter than the "
            f"{window.minimum}-day minimum in the organisation's policy, and no reason is on "
            f"record."
        )
    return notes


# Events ------------------------------------------------------------------------------------------

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


def starts_after_closing(
    starts_on: datetime.date, precision: str, closes_on: datetime.date | None, closes_at: str
) -> bool:
    """Whether an event starting on `starts_on` (at `precision`) starts after a window that
    closes on `closes_on` (at `closes_at`), whatever days the two may mean: "August 2017" is
    after "31 July 2017", "July 2017" is not after "summer 2017"."""
    if closes_on is None or closes_at == Precision.NOT_SET:
        return False
    return first_day(starts_on, precision) > latest_day(closes_on, closes_at)


def event_closing_problem(event: Event, starts_on: datetime.date) -> str | None:
    """An event of a consultation starts by its closing day (engagement before it opens is
    usual: that is not refused). Only a new date is checked: an event left after the closing
    day by closing early is kept as it was, and saving its notes is not refused for it."""
    window, precision = event.window, event.date_precision
    if not starts_after_closing(starts_on, precision, window.closes_on, window.date_precision):
        return None
    stored = Event.objects.filter(pk=event.pk).values("starts_at", "date_precision").first()
    if stored == {"starts_at": event.starts_at, "date_precision": precision}:
        return None
    closes = describe(window.closes_on, window.date_precision)
    return f"That is after the consultation's closing date ({closes}): check the date."


def late_event_problem(
    window: ConsultationWindow, closes_on: datetime.date | None, precision: str
) -> str | None:
    """What stops `window`, as stored, closing on `closes_on` (at `precision`) instead: an event
    of it that would then start after it closes (event_closing_problem, the other way round)."""
    if window.pk is None:
        return None
    for event in Event.objects.filter(window_id=window.pk):
        starts_on = timezone.localtime(event.starts_at).date()
        if starts_after_closing(starts_on, event.date_precision, closes_on, precision):
            return (
                f"Its event “{event.title}” ({event.when}) is after that: change the event's "
                f"date, or remove it, first."
            )
    return None


def event_host_bodies(strategy: Strategy) -> QuerySet[Body]:
    """The bodies that may host a strategy's consultation events: those of its lead organisation
    and its partners."""
    organisations = [
        strategy.lead_organisation_id,
        *strategy.partner_links.values_list("organisation_id", flat=True),
    ]
    return Body.objects.filter(organisation_id__in=organisations).select_related("organisation")


def event_end_problem(
    starts_on: datetime.date, ends_on: datetime.date, precision: str
) -> str | None:
    """What is wrong with the last day of an event that starts on `starts_on`: nothing unless
    it comes before (known only to the month: its month before the first)."""
    if precision == Precision.MONTH:
        if (ends_on.year, ends_on.month) < (starts_on.year, starts_on.month):
            return "An event cannot end in a month before the one it starts in."
    elif ends_on < starts_on:
        return "An event cannot end before it starts."
    return None


def event_problems(event: Event) -> list[WorkflowError]:
    """What is wrong with an event as typed: a time of day when only the month is known, an
    end before its start, a first or last day years from its consultation, a start after its
    consultation closes, or no place."""
    window = event.window if event.window_id is not None else None
    starts_on = timezone.localtime(event.starts_at).date() if event.starts_at else None
    ends_on, precision = event.ends_on, event.date_precision
    found = []  # (what is wrong or None, the field it is beside)
    if starts_on is not None and event.time_known and precision == Precision.MONTH:
        found.append((TIME_NEEDS_A_DAY, "starts_at"))
    if starts_on is not None and ends_on is not None:
        found.append((event_end_problem(starts_on, ends_on, precision), "ends_on"))
    if window is not None:
        for name, day in (("starts_at", starts_on), ("ends_on", ends_on)):
            found.append((event_date_problem(window, day) if day else None, name))
        if starts_on is not None:
            found.append((event_closing_problem(event, starts_on), "starts_at"))
    if not event.online and not event.place.strip():
        found.append(("Give the place, or tick “online”.", "place"))
    return [WorkflowError(message, field=field) for message, field in found if message]


# Themes and partners -----------------------------------------------------------------------------


def theme_name(name: str) -> str:
    """A theme's name as kept: its words with single spaces between them."""
    return " ".join(name.split())


def same_theme(window: ConsultationWindow, name: str, exclude_pk: int | None = None):
    """The window's theme of this name whatever its capitals, if there is one: "Mental health"
    and "mental health" are one theme, or responses tagged with either are counted apart."""
    return window.themes.filter(name__iexact=theme_name(name)).exclude(pk=exclude_pk).first()


def theme_problems(theme: Theme) -> list[WorkflowError]:
    """A theme's name is its window's once, whatever its capitals and spaces."""
    if theme.window_id is None or not theme.name:
        return []
    same = same_theme(theme.window, theme.name, theme.pk)
    return [WorkflowError(f"There is already a theme “{same.name}”.", field="name")] if same else []


def partner_problems(partner: WindowPartner) -> list[WorkflowError]:
    """An organisation is named once among a window's partners."""
    if partner.window_id is None or partner.organisation_id is None:
        return []
    twice = (
        WindowPartner.objects.filter(
            window_id=partner.window_id, organisation_id=partner.organisation_id
        )
        .exclude(pk=partner.pk)
        .exists()
    )
    return [WorkflowError("That partner is already there.", field="organisation")] if twice else []
