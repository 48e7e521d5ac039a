"""A consultation told in words, for the committee reports (drafting.py): its dates at their
precision, audiences, partners, events, results and response. Five queries however many
windows, events, partners, responses or themes there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch

from consultation.models import ConsultationWindow, Event, PriorityAnswer, Theme, WindowPartner
from governance.dates import Precision, day_count, long_date

State = ConsultationWindow.State


@dataclass(frozen=True)
class GateSummary:
    gate_id: int
    title: str  # "Draft Joint Health and Wellbeing Strategy 2012–2015: 90 day consultation"
    when: str  # dates at their precision: "25 June 2012 to 22 September 2012"
    # Paragraphs in the reports' plain text (a line starting "- " is a bullet point).
    paragraphs: tuple[str, ...] = ()


def words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _dates_sentence(window: ConsultationWindow) -> str:
    audiences = words(window.audiences)
    who = f" with {audiences}" if audiences else ""
    precise = window.date_precision == Precision.DAY and window.opens_on and window.closes_on
    # A length counted from dates known only to the month or season would be a guess.
    length = f" ({day_count(window.length_days)})" if precise else ""
    if window.state == State.PLANNED:
        known = [day for day in (window.opens_on, window.closes_on) if day]
        if window.period_note and not precise:
            when = window.period_note
        elif not known or window.date_precision == Precision.NOT_SET:
            when = "(its dates are to be set)"
        elif len(known) == 2:
            when = f"from {window.dates}"  # "from 13 October to 3 December 2021"
        else:  # only one is set: "(it closes 3 December 2021)"
            when = f"(it {window.dates})"
        return f"“{window.title}” is planned {when}{length}{who}."
    opens, closes = long_date(window.opens_on), long_date(window.closes_on)
    if window.state == State.OPEN:
        return f"“{window.title}” is open from {opens} to {closes}{length}{who}."
    return f"“{window.title}” ran from {opens} to {closes}{length}{who}."


def _agreement(rows) -> dict[int, list[str]]:
    """Per window, a line per priority: how many of those who answered agreed."""
    tally: dict[int, dict[tuple[int, str], list[int]]] = defaultdict(dict)
    for row in rows:
        counts = tally[row["response__window_id"]].setdefault(
            (row["priority_id"], row["priority_title"]), [0, 0]
        )
        if row["agreement"] is not None:
            counts[1] += row["n"]
            if row["agreement"] >= PriorityAnswer.Agreement.AGREE:
                counts[0] += row["n"]
    return {
        window_id: [
            f"- {title}: {agreed} of {answered} who answered agreed or strongly agreed"
            for (_, title), (agreed, answered) in sorted(priorities.items())
        ]
        for window_id, priorities in tally.items()
    }


def window_summaries(gate_ids: Iterable[int]) -> dict[int, GateSummary]:
    windows = list(
        ConsultationWindow.objects.filter(gate_id__in=gate_ids)
        .with_recording()  # who recorded one after the fact, and when: in the same query
        .with_responses_in()  # beside the number its report gives, if recorded after the fact
        .prefetch_related(
            Prefetch(
                "partner_links",
                queryset=WindowPartner.objects.select_related("organisation").order_by("pk"),
            ),
            Prefetch(
                "events",
                queryset=Event.objects.select_related("host_body", "host_organisation"),
            ),
            Prefetch(
                "themes",
                queryset=Theme.objects.annotate(tagged=Count("response_links")).order_by(
                    "-tagged", "name"
                ),
            ),
        )
    )
    if not windows:
        return {}
    agreement = _agreement(
        PriorityAnswer.objects.filter(response__window__in=[w.pk for w in windows])
        .values("response__window_id", "priority_id", "priority_title", "agreement")
        .annotate(n=Count("pk"))
        .order_by()
    )
    summaries = {}
    for window in windows:
        paragraphs = [_dates_sentence(window)]
        if window.summary:
            paragraphs.append(window.summary)
        partners = window.partner_links.all()
        if partners:
            paragraphs.append(
                "Partner organisations running engagement:\n"
                + "\n".join(
                    f"- {p.organisation.name}" + (f": {p.role}" if p.role else "") for p in partners
                )
            )
        events = window.events.all()
        if events:
            lines = []
            for event in events:
                place = "online" if event.online else event.place
                details = ", ".join(x for x in (event.when, place) if x)
                host = f", hosted by the {event.host}" if event.host else ""
                lines.append(f"- {event.title} ({details}{host})")
            paragraphs.append("Events:\n" + "\n".join(lines))
        if window.state in {State.CLOSED, State.RESPONSE_PUBLISHED}:
            # It ran before the strategy came into Waymark: where its record comes from, not
            # the day it was entered, which a report of the time cannot have known.
            if window.recorded_later and window.source_mark:
                paragraphs.append(f"{window.source_mark}.")
            if window.result:
                paragraphs.append(window.result)
            if window.reported_text:
                paragraphs.append(f"{window.reported_with(window.responses_in)}.")
            if agreement.get(window.pk):
                paragraphs.append(
                    "Agreement with each priority:\n" + "\n".join(agreement[window.pk])
                )
            themes = [t for t in window.themes.all() if t.tagged]
            if themes:
                paragraphs.append(
                    "Themes raised:\n"
                    + "\n".join(
                        f"- {t.name} ({t.tagged} response{'s' if t.tagged != 1 else ''})"
                        for t in themes
                    )
                )
            if window.response_published_on:
                paragraphs.append(
                    f"The response (“you said, we did”) was published on "
                    f"{long_date(window.response_published_on)}."
                )
            elif window.response_due_by and window.response_chased:
                paragraphs.append(
                    f"The response (“you said, we did”) is due by "
                    f"{long_date(window.response_due_by)}."
                )
        summaries[window.gate_id] = GateSummary(
            gate_id=window.gate_id,
            title=window.title,
            when=window.dates,
            paragraphs=tuple(paragraphs),
        )
    return summaries
