"""Demo: Thurrock Council's Health and Wellbeing Strategy 2022-2026, brought into Waymark
half-way, after the fact, from Thurrock Council's public records and nothing else.

The records used:

- the strategy page, https://www.thurrock.gov.uk/health-and-well-being-strategy/health-and-well-being-strategy-2022-2026
  (its years, its six domains, and the Board's approval in June 2022);
- the press release of 30 June 2022,
  https://www.thurrock.gov.uk/news/adult-health/health-and-wellbeing-strategy-plans-to-level-playing-field
  (three of the six domains by name, and Council's noting on Wednesday 29 June 2022);
- the Cleaner, Greener and Safer Overview and Scrutiny Committee of 7 October 2021,
  https://democracy.thurrock.gov.uk/ieListDocuments.aspx?CId=133&MId=5964&Ver=4
  (its venue and time, and the minutes of the item on the strategy's refresh);
- the agenda item https://democracy.thurrock.gov.uk/mgAi.aspx?ID=14398 (the consultation's
  dates, who led its engagement, and the cancelled September 2021 Board);
- the consultation hub, https://consult.thurrock.gov.uk/thurrock-hwb-strategy-refresh.

What they do not give is left out or said to be missing, never made up: the other three
domains, the objectives, the day of the Board's June 2022 meeting, the Council meeting's time,
the wording of either resolution, the venues but one, and the consultation's final number of
responses. Every decision is marked as recorded after the fact, from the record it came from.
An administrator records it all, as for Milton Keynes (no one of Thurrock's is a demo user).

The route as the records give it: scrutiny's comments of 7 October 2021; the consultation
(13 October to 3 December 2021) recorded as having run, its number of responses said to be not
on record (those used give only an interim count, "over 50 individual responses received");
the Board's approval in June 2022, known to the month; and Council's noting on 29 June 2022, the
time of its meeting not recorded. Thurrock's minimum length of consultation is not in the
records, so Waymark's default policy applies and the window's page says it ran shorter.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from consultation import workflow as consultation
from consultation.models import ConsultationWindow, WindowPartner
from governance import workflow
from governance.dates import Precision
from governance.models import Body, Gate, Meeting, Purpose
from strategies import editing
from strategies.models import Organisation, Priority, Strategy, User
from strategies.revisions import take_revision

from .records import found_or_made

SLUG = "thurrock-hws-2022-2026"
REASON = "Demo data from Thurrock Council's public records"
NOT_IN_RECORDS = "Not in the records used"

STRATEGY_PAGE = (
    "https://www.thurrock.gov.uk/health-and-well-being-strategy/"
    "health-and-well-being-strategy-2022-2026"
)
PRESS_RELEASE = (
    "https://www.thurrock.gov.uk/news/adult-health/"
    "health-and-wellbeing-strategy-plans-to-level-playing-field"
)
SCRUTINY_MEETING = "https://democracy.thurrock.gov.uk/ieListDocuments.aspx?CId=133&MId=5964&Ver=4"
CONSULTATION_ITEM = "https://democracy.thurrock.gov.uk/mgAi.aspx?ID=14398"
CONSULTATION_HUB = "https://consult.thurrock.gov.uk/thurrock-hwb-strategy-refresh"

ORGANISATIONS = [
    # slug, name, kind
    ("thurrock-council", "Thurrock Council", Organisation.Kind.COUNCIL),
    ("thurrock-cvs", "Thurrock CVS", Organisation.Kind.VOLUNTARY),
    ("healthwatch-thurrock", "Healthwatch Thurrock", Organisation.Kind.HEALTHWATCH),
]

# The three of the strategy's six domains that the press release names.
DOMAINS = [
    "Building strong, safe communities",
    "Focusing on person-led health and care",
    "Ensuring equal opportunities for all",
]

LEVELLING = (
    "“By making changes across the 6 'domains' – such as building strong, safe communities, "
    "focusing on person-led health and care, and making sure there are equal opportunities for "
    "all – we will make health care more open and fairer. We call this 'levelling the playing "
    "field'.”"
)

SCRUTINY_MINUTES = (
    "“Jo Broadbent presented the report that provided members with an update on the progress "
    "in refreshing the Health & Wellbeing Strategy for 2021-26. Members were referred to the "
    "Appendix that set out the scope, arrangements and timeline for the refresh.”"
)
POTHECARY = (
    "“Councillor Pothecary stated it was great to see a vision that was clearly trying to "
    "tackle those huge health inequalities ... but was confused that the scope of the report "
    "was not delivering anything new. That there was nothing bold or radical enough to "
    "actually tackle the huge problem of health equality”"
)
CONSULTATION_DATES = (
    "“an eight week consultation exercise had commenced on Wednesday 13 October 2021 which was "
    "due to close on Friday 3 December.”"
)
CVS_ROLE = (
    "“The CVS continued with attending places of engagement and engaging with stakeholders. "
    "Kim James stated that CVS would lead on this with the help of HealthWatch.”"
)
BOARD_CANCELLED = (
    "“due to the September Health and Wellbeing Board being cancelled this was undertaken after "
    "the consultation had gone public.”"
)


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """A meeting's start in the site's time zone. Where the records give no time
    (Meeting.time_known off) it is kept at the start of its day, or of its month when only the
    month is known: a placeholder no page should read as a time."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def _organisations() -> dict[str, Organisation]:
    """Thurrock Council and the consultation's partners. The council's minimum consultation
    length is not in the records used: it keeps Waymark's default."""
    return {
        slug: found_or_made(Organisation, REASON, {"slug": slug}, name=name, kind=kind)
        for slug, name, kind in ORGANISATIONS
    }


def _strategy(council: Organisation) -> Strategy:
    strategy = Strategy.objects.filter(slug=SLUG).first()
    if strategy is not None:
        return strategy
    strategy = editing.create_strategy(
        Strategy(
            slug=SLUG,
            title="Thurrock Health and Wellbeing Strategy",
            start_year=2022,
            end_year=2026,
            top_level_term=Strategy.TopLevelTerm.PRIORITY,
            vision=f"{NOT_IN_RECORDS}: Thurrock Council's strategy page sums up what the "
            "strategy sets out to do as “levelling the playing field” (see the summary).",
            summary=(
                "Thurrock's strategy for the years 2022 to 2026. In the words of Thurrock "
                f"Council's strategy page ({STRATEGY_PAGE}): {LEVELLING} The strategy calls its "
                "six priorities “domains”; three of the six are named in the records used (the "
                f"press release of 30 June 2022, {PRESS_RELEASE}), and only those are entered "
                "here. Its objectives are not in the records used."
            ),
        ),
        council,
        [],
        REASON,
    )
    for title in DOMAINS:
        editing.add_item(
            Priority(
                strategy=strategy,
                title=title,
                description="One of the strategy's six domains, named in Thurrock Council's "
                "press release of 30 June 2022.",
            ),
            REASON,
        )
    take_revision(strategy, "The strategy as Thurrock Council's public pages describe it (demo)")
    return strategy


def _body(council: Organisation, name: str, kind: str) -> Body:
    """None of the three takes executive decisions; all meet in public."""
    named = {"organisation": council, "name": name}
    return found_or_made(Body, REASON, named, kind=kind, is_executive=False)


def _meeting(
    body: Body,
    starts_at: datetime.datetime,
    precision: str = Precision.DAY,
    time_known: bool = False,
    status: str = Meeting.Status.HELD,
    venue: str = NOT_IN_RECORDS,
    minutes: str = "",
) -> Meeting:
    """A meeting as the records give it: every one here had been held (or cancelled) before the
    strategy came into Waymark."""
    meeting = Meeting.objects.filter(body=body, starts_at=starts_at).first()
    if meeting is None:
        meeting = Meeting(
            body=body,
            starts_at=starts_at,
            date_precision=precision,
            time_known=time_known,
            status=status,
            venue=venue,
            minutes=minutes,
        )
        editing.with_reason(meeting, REASON).save()
    return meeting


def _route(strategy: Strategy, admin: User) -> None:
    if strategy.gates.exists():
        return
    council = strategy.lead_organisation
    board = _body(council, "Health and Wellbeing Board", Body.Kind.HEALTH_AND_WELLBEING_BOARD)
    scrutiny = _body(
        council, "Cleaner, Greener and Safer Overview and Scrutiny Committee", Body.Kind.SCRUTINY
    )
    full_council = _body(council, "Council", Body.Kind.OTHER)  # no kind of its own in Waymark

    scrutiny_meeting = _meeting(
        scrutiny,
        _at(2021, 10, 7, 19),
        time_known=True,
        venue="South Essex College, High Street, Grays, RM17 6TF",
        minutes=f"From the minutes ({SCRUTINY_MEETING}), on the item “Health & Wellbeing "
        f"Strategy Refresh”: {SCRUTINY_MINUTES} … {POTHECARY}",
    )
    # The September 2021 Board, cancelled. No gate goes on it: what it was to consider is not
    # in the records used beyond the sentence quoted on the consultation gate.
    _meeting(board, _at(2021, 9, 1), Precision.MONTH, status=Meeting.Status.CANCELLED, venue="")
    board_meeting = _meeting(board, _at(2022, 6, 1), Precision.MONTH)
    council_meeting = _meeting(full_council, _at(2022, 6, 29))

    add = workflow.add_gate
    scrutinise = add(
        strategy,
        scrutiny,
        Purpose.SCRUTINISE,
        admin,
        note="The item “Health & Wellbeing Strategy Refresh”: the scope, arrangements and "
        "timeline for the refresh",
    )
    consult = add(
        strategy,
        board,
        Purpose.CONSULT,
        admin,
        note="Eight week consultation, its engagement led by Thurrock CVS with the help of "
        f"Healthwatch Thurrock. The September 2021 Board was cancelled: {BOARD_CANCELLED}",
    )
    approve = add(
        strategy,
        board,
        Purpose.APPROVE,
        admin,
        [scrutinise, consult],
        note="Approved by the Board in June 2022, says Thurrock Council's strategy page "
        f"({STRATEGY_PAGE}); the day and the resolution are not in the records used",
    )
    note = add(
        strategy,
        full_council,
        Purpose.NOTE,
        admin,
        [approve],
        note="Noted by Council on Wednesday 29 June 2022 (press release of 30 June 2022, "
        f"{PRESS_RELEASE})",
    )

    workflow.schedule_gate(scrutinise, scrutiny_meeting, admin)
    workflow.record_decision(
        scrutinise,
        admin,
        workflow.Outcome.COMMENTS,
        f"From the minutes: {POTHECARY}",
        decided_on=datetime.date(2021, 10, 7),
        decided_precision=Precision.DAY,
        recorded_later=True,
        recorded_from="the minutes of the Cleaner, Greener and Safer Overview and Scrutiny "
        f"Committee, 7 October 2021 ({SCRUTINY_MEETING})",
    )
    workflow.schedule_gate(approve, board_meeting, admin)
    workflow.schedule_gate(note, council_meeting, admin)


def _decisions(strategy: Strategy, admin: User) -> None:
    """The Board's approval (June 2022, to the month) and Council's noting (29 June 2022), once
    the consultation they wait for is recorded."""
    approve = strategy.gates.get(purpose=Purpose.APPROVE)
    if approve.state != Gate.State.SCHEDULED:
        return
    workflow.record_decision(
        approve,
        admin,
        workflow.Outcome.APPROVED,
        "Approved the Thurrock Health and Wellbeing Strategy 2022-2026 (the wording of the "
        "resolution is not in the records used).",
        decided_on=datetime.date(2022, 6, 1),
        decided_precision=Precision.MONTH,
        recorded_later=True,
        recorded_from="Thurrock Council's strategy page: “It was approved by Thurrock's "
        f"Health and Wellbeing Board in June 2022” ({STRATEGY_PAGE})",
    )
    workflow.record_decision(
        strategy.gates.get(purpose=Purpose.NOTE),
        admin,
        workflow.Outcome.NOTED,
        "Noted the strategy (the wording of the resolution is not in the records used).",
        decided_on=datetime.date(2022, 6, 29),
        decided_precision=Precision.DAY,
        recorded_later=True,
        recorded_from="Thurrock Council's press release of 30 June 2022: “noted at the "
        f"meeting of Council last night (Wednesday 29 June)” ({PRESS_RELEASE})",
    )


def _consultation(strategy: Strategy, orgs: dict[str, Organisation], admin: User) -> None:
    """The consultation with its real dates and partners, planned at its gate. It is not
    recorded as having run: record_window asks for the number of responses its records give,
    and the records used give none but an interim "over 50"."""
    if strategy.consultations.exists():
        return
    window = consultation.save_window(
        ConsultationWindow(
            strategy=strategy,
            gate=Gate.objects.get(strategy=strategy, purpose=Purpose.CONSULT),
            title="Health and Wellbeing Strategy refresh: eight week consultation",
            slug="thurrock-hws-2021",
            summary=(
                "Thurrock Council's consultation on the refresh of its Health and Wellbeing "
                f"Strategy, online at {CONSULTATION_HUB} and at places of engagement. From the "
                f"council's records ({CONSULTATION_ITEM}): {CONSULTATION_DATES} {CVS_ROLE} The "
                "final number of responses is in the consultation's report, not in the records "
                "used."
            ),
            opens_on=datetime.date(2021, 10, 13),
            closes_on=datetime.date(2021, 12, 3),
            date_precision=Precision.DAY,
            for_public=True,
            for_stakeholders=True,  # "engaging with stakeholders"
            for_partners=False,
        ),
        admin,
        f"{REASON}: {CONSULTATION_ITEM}",
    )
    for slug, role in (
        ("thurrock-cvs", "attending places of engagement and engaging with stakeholders"),
        ("healthwatch-thurrock", "helping the CVS lead the engagement"),
    ):
        partner = WindowPartner(window=window, organisation=orgs[slug], role=role)
        editing.with_reason(partner, f"{REASON}: {CONSULTATION_ITEM}").save()
    consultation.record_window(
        window,
        admin,
        consultation.RunRecord(
            opens_on=datetime.date(2021, 10, 13),
            closes_on=datetime.date(2021, 12, 3),
            result="Over 50 individual responses had been received while it ran, with "
            "several hundred visits to the consultation's web page; the final number is in "
            "the consultation's report, not in the records used.",
            recorded_from=f"the agenda item on the strategy's refresh ({CONSULTATION_ITEM})",
            count_not_on_record=True,
            no_reason_on_record=True,
        ),
    )


@transaction.atomic
def load(stdout=None) -> None:
    orgs = _organisations()
    strategy = _strategy(orgs["thurrock-council"])
    admin = User.objects.get(username="admin")
    _route(strategy, admin)
    _consultation(strategy, orgs, admin)
    _decisions(strategy, admin)
