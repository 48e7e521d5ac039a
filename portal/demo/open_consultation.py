"""Demo: a consultation open today, so that /consult/ offers a form to try straight after
`make run`. Every other demo consultation ran years ago; this one is made up, and says so in its
council's name, its strategy's title and summary, and its window's title and summary:
"Waymark Borough Council (demo)" and its "Physical Activity Strategy 2027-2031".

Its dates are set from the day it is loaded (timezone.localdate()): it opened three days
before and runs 12 weeks (84 days, Waymark's default minimum), so it is open whenever the demo
is fresh. Loaded again, it adds nothing: each step looks its rows up by a natural key first.
A few responses, marked as demo responses, are there already, tagged with two themes.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from consultation import workflow
from consultation.models import ConsultationWindow, Theme
from strategies import editing
from strategies.models import Objective, Organisation, Priority, Strategy, User
from strategies.revisions import take_revision

from .records import found_or_made

REASON = "Demo data: a made-up consultation, open to try"
COUNCIL = ("waymark-borough-council-demo", "Waymark Borough Council (demo)", "Waymark (demo)")
SLUG = "demo-waymark-physical-activity-2027-2031"
WINDOW_SLUG = "demo-physical-activity-2027"
OPENED_DAYS_AGO = 3
LENGTH_DAYS = 84  # 12 weeks

PRIORITIES = [
    (
        "Active from the start",
        "Demo text: every child and young person active for at least an hour a day.",
        ["More children walking, scooting or cycling to school", "Free holiday activity clubs"],
    ),
    (
        "Active places and spaces",
        "Demo text: parks, paths and leisure centres that people want to use, close to home.",
        ["Safe walking and cycling routes between neighbourhoods", "Longer park opening hours"],
    ),
    (
        "Active for life",
        "Demo text: support to stay active in later life and with a long-term condition.",
        ["Exercise on referral from GP practices", "Chair-based classes in community centres"],
    ),
]

# (respondent type, organisation, agreement with each priority, comment, general comment)
RESPONSES = [
    (
        "individual",
        "",
        [5, 4, 4],
        "Demo response: my children would walk to school if the crossings were safer.",
        "Demo response: please keep the swimming pool open.",
    ),
    ("individual", "", [4, 2, None], "", "Demo response: classes cost too much for us."),
    (
        "organisation",
        "Demo Walking Club",
        [4, 5, 4],
        "Demo response: the canal path needs lighting in winter.",
        "",
    ),
    ("individual", "", [3, 4, 5], "Demo response: chair-based classes helped my mother.", ""),
    (
        "group",
        "Demo Residents' Association",
        [2, 4, 3],
        "",
        "Demo response: parking near the leisure centre is a barrier.",
    ),
    ("individual", "", [5, 5, 4], "", ""),
]
THEMES = {
    "Cost of taking part": [1, 4],
    "Safe routes for walking and cycling": [0, 2],
}


def _council() -> Organisation:
    slug, name, short_name = COUNCIL
    return found_or_made(
        Organisation,
        REASON,
        {"slug": slug},
        name=name,
        short_name=short_name,
        kind=Organisation.Kind.COUNCIL,
    )


def _strategy(council: Organisation) -> Strategy:
    strategy = Strategy.objects.filter(slug=SLUG).first()
    if strategy is not None:
        return strategy
    strategy = editing.create_strategy(
        Strategy(
            slug=SLUG,
            title="Demo: Waymark Borough Council Physical Activity Strategy",
            start_year=2027,
            end_year=2031,
            top_level_term=Strategy.TopLevelTerm.PRIORITY,
            vision="Demo text: a borough where being active is the easy choice for everyone.",
            summary="Demo data, made up to try Waymark: a fictional council's draft strategy, "
            "out to consultation now. No real council, strategy or person is described.",
        ),
        council,
        [],
        REASON,
    )
    for title, description, objectives in PRIORITIES:
        priority = editing.add_item(
            Priority(strategy=strategy, title=title, description=description), REASON
        )
        for objective in objectives:
            editing.add_item(Objective(priority=priority, title=objective), REASON)
    take_revision(strategy, "Draft for consultation (demo)")
    return strategy


def _window(strategy: Strategy, admin: User) -> ConsultationWindow | None:
    if strategy.consultations.exists():
        return None
    opens_on = timezone.localdate() - datetime.timedelta(days=OPENED_DAYS_AGO)
    window = workflow.save_window(
        ConsultationWindow(
            strategy=strategy,
            title="Demo: have your say on our Physical Activity Strategy",
            slug=WINDOW_SLUG,
            summary="Demo consultation, made up to try Waymark: send a response to see what "
            "respondents see. Responses sent here are kept in this demo database only.",
            opens_on=opens_on,
            closes_on=opens_on + datetime.timedelta(days=LENGTH_DAYS - 1),
            contact_name="Demo Active Communities Team",
            contact_email="active.communities@example.org",
            contact_phone="01632 960000",  # Ofcom's range for drama and demos
        ),
        admin,
        REASON,
    )
    return workflow.open_window(window, admin)


def _responses(window: ConsultationWindow) -> None:
    priorities = window.revision.content["priorities"]
    sent = []
    for n, (kind, organisation, agreements, comment, general) in enumerate(RESPONSES):
        answers = [
            (p["id"], p["title"], agreement, comment if i == 0 else "")
            for i, (p, agreement) in enumerate(zip(priorities, agreements, strict=True))
        ]
        day = window.opens_on + datetime.timedelta(days=n % OPENED_DAYS_AGO)  # before today
        sent.append(
            workflow.submit_response(
                window,
                kind,
                answers,
                general_comments=general,
                organisation_name=organisation,
                is_demo=True,
                submitted_at=timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(10 + n))
                ),
            )
        )
    for name, indexes in THEMES.items():
        theme = Theme(window=window, name=name)
        editing.with_reason(theme, REASON).save()
        for index in indexes:
            workflow.set_tag(sent[index], theme, True)


@transaction.atomic
def load(stdout=None) -> None:
    strategy = _strategy(_council())
    window = _window(strategy, User.objects.get(username="admin"))
    if window is not None:
        _responses(window)
