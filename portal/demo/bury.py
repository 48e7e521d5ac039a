"""Demo: Bury Council's Housing Strategy, brought into Waymark after the fact from Bury Council's
public records and nothing else: a decision called in, with the council's references.

The records used:

- the Overview and Scrutiny Committee's agenda item on the call-in,
  https://councildecisions.bury.gov.uk/mgAi.aspx?ID=11003 (the Notice of Call-in from
  Councillor Harris, "within the required deadline", of the Cabinet's decision in Minute CA.8 of
  14 October 2020, and the wording of that decision);
- that committee's meeting, https://councildecisions.bury.gov.uk/ieListDocuments.aspx?CId=138&MId=2804&Ver=4
  (its minutes OSC.278 to OSC.280: the call-in was heard there);
- the consultation page, https://www.bury.gov.uk/housingstrategyconsultation (who was invited,
  and the consultation's dates);
- the issue's page, https://councildecisions.bury.gov.uk/ieIssueDetails.aspx?IId=16382&PlanId=0&Opt=3
  (Cabinet of 26 May 2021, item 75, "Draft Bury Housing Strategy": the decision adopting it, word
  for word, and the consultation's twelve weeks);
- the strategy's pages, https://www.bury.gov.uk/index.aspx?articleid=16298 and
  https://www.bury.gov.uk/index.aspx?articleid=16299 ("Housing for Bury 2030").

What they do not give is left out or said to be missing, never made up: the day of the call-in,
what the committee resolved, the day it met, the meetings' times and venues, any key decision
or Forward Plan reference, and the number of responses. The strategy's years are Waymark's
reading of its pages: adopted in 2021, for "Housing for Bury 2030".
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from consultation import workflow as consultation
from consultation.models import ConsultationWindow
from governance import workflow
from governance.dates import Precision
from governance.models import Body, CallIn, Gate, Meeting, Purpose
from strategies import editing
from strategies.models import Organisation, Priority, Strategy, User
from strategies.revisions import take_revision

from .records import found_or_made

SLUG = "bury-housing-strategy"
REASON = "Demo data from Bury Council's public records"
NOT_IN_RECORDS = "Not in the records used"

CALL_IN_ITEM = "https://councildecisions.bury.gov.uk/mgAi.aspx?ID=11003"
SCRUTINY_MEETING = (
    "https://councildecisions.bury.gov.uk/ieListDocuments.aspx?CId=138&MId=2804&Ver=4"
)
CONSULTATION_PAGE = "https://www.bury.gov.uk/housingstrategyconsultation"
ISSUE_PAGE = "https://councildecisions.bury.gov.uk/ieIssueDetails.aspx?IId=16382&PlanId=0&Opt=3"
STRATEGY_PAGE = "https://www.bury.gov.uk/index.aspx?articleid=16298"
VISION_PAGE = "https://www.bury.gov.uk/index.aspx?articleid=16299"

# Two of the outcomes the strategy seeks, as Bury Council's pages name them.
OUTCOMES = [
    "More homes to meet the needs of a growing population",
    "More affordable housing",
]

FOR_CONSULTATION = (
    "“Cabinet agrees to: 1. Acknowledge the work to date on developing the draft Housing "
    "Strategy. 2. Approve the draft Housing Strategy at Appendix 1 for public consultation for "
    "a period of six weeks. …” (the rest of the decision is not quoted in the records used)"
)
CALL_IN = (
    "“Following the receipt of a Notice of Call-in within the required deadline, from "
    "Councillor Harris calling in the decision of the Cabinet set out in Minute CA.8 of the "
    "meeting held on the 14th October 2020, a meeting of the Committee has been convened”"
)
OPTIONS = (
    "The committee's options, as its agenda set them out: to offer no comments (the decision "
    "stands), to offer comments or objections to the Cabinet of 11 November 2020, or to refer "
    "the Notice to the Council of 25 November 2020. Which it chose is not in the records used; "
    "the consultation began on 30 November 2020."
)
ADOPTION = (
    "That Cabinet: 1. Notes the findings of the public consultation and the post consultation "
    "revisions, comments and updates. 2. Adopts the Housing Strategy and proposed arrangements "
    "for implementation and governance as set out within this report."
)
REASONS = (
    "“The new Housing Strategy contributes towards meeting the Council's priorities across a "
    "range of policy areas including climate change.” (the first of the reasons given)"
)


def _at(year: int, month: int, day: int) -> datetime.datetime:
    """A meeting's day; the records used give no time (Meeting.time_known off)."""
    return timezone.make_aware(datetime.datetime(year, month, day))


def _council() -> Organisation:
    return found_or_made(
        Organisation,
        REASON,
        {"slug": "bury-council"},
        name="Bury Council",
        kind=Organisation.Kind.COUNCIL,
    )


def _strategy(council: Organisation) -> Strategy:
    strategy = Strategy.objects.filter(slug=SLUG).first()
    if strategy is not None:
        return strategy
    strategy = editing.create_strategy(
        Strategy(
            slug=SLUG,
            title="Bury Housing Strategy",
            start_year=2021,
            end_year=2030,
            top_level_term=Strategy.TopLevelTerm.PRIORITY,
            vision=f"{NOT_IN_RECORDS}: the strategy's pages describe it as housing's part in "
            f"the borough's ten-year vision, “Housing for Bury 2030” ({VISION_PAGE}).",
            summary=(
                "Bury Council's strategy for housing across all tenures. In the words of its "
                f"page ({STRATEGY_PAGE}), it “sets out the scale of housing issues and "
                "challenges facing the borough” and “covers the key aspects of affordability, "
                "supply and quality of housing in the borough”. Its years are Waymark's reading "
                "of those pages: adopted in 2021, for Housing for Bury 2030. Two of the "
                "outcomes it seeks are entered here as its priorities; the rest are not."
            ),
        ),
        council,
        [],
        REASON,
    )
    for title in OUTCOMES:
        editing.add_item(
            Priority(
                strategy=strategy,
                title=title,
                description="One of the outcomes the strategy seeks, as Bury Council's pages "
                "name it.",
            ),
            REASON,
        )
    take_revision(strategy, "The strategy as Bury Council's public pages describe it (demo)")
    return strategy


def _body(council: Organisation, name: str, kind: str, executive: bool) -> Body:
    named = {"organisation": council, "name": name}
    return found_or_made(Body, REASON, named, kind=kind, is_executive=executive)


def _meeting(body: Body, starts_at: datetime.datetime) -> Meeting:
    """A Cabinet meeting held before the strategy came into Waymark."""
    meeting = Meeting.objects.filter(body=body, starts_at=starts_at).first()
    if meeting is None:
        meeting = Meeting(
            body=body,
            starts_at=starts_at,
            date_precision=Precision.DAY,
            time_known=False,
            status=Meeting.Status.HELD,
            venue=NOT_IN_RECORDS,
        )
        editing.with_reason(meeting, REASON).save()
    return meeting


def _route(strategy: Strategy, admin: User) -> None:
    """Cabinet's approval of the draft for consultation (Minute CA.8), called in and heard by
    the Overview and Scrutiny Committee; the consultation; Cabinet's adoption (item 75)."""
    if strategy.gates.exists():
        return
    council = strategy.lead_organisation
    cabinet = _body(council, "Cabinet", Body.Kind.CABINET, executive=True)
    scrutiny = _body(council, "Overview and Scrutiny Committee", Body.Kind.SCRUTINY, False)
    add = workflow.add_gate
    draft = add(
        strategy,
        cabinet,
        Purpose.APPROVE_CONSULTATION,
        admin,
        note="The draft Housing Strategy, for public consultation",
    )
    consult = add(
        strategy,
        cabinet,
        Purpose.CONSULT,
        admin,
        [draft],
        note="Cabinet approved six weeks; the consultation ran twelve (the records used do not "
        "say why)",
    )
    add(
        strategy,
        cabinet,
        Purpose.ADOPT,
        admin,
        [consult],
        note="The report “Draft Bury Housing Strategy”, from the Cabinet Member for Housing "
        "Services",
    )
    workflow.schedule_gate(draft, _meeting(cabinet, _at(2020, 10, 14)), admin)
    decision = workflow.record_decision(
        draft,
        admin,
        workflow.Outcome.APPROVED,
        FOR_CONSULTATION,
        reasons=f"{NOT_IN_RECORDS} (they are in the decision's record, not quoted there)",
        alternatives_considered=NOT_IN_RECORDS,
        decided_on=datetime.date(2020, 10, 14),
        decided_precision=Precision.DAY,
        minute_reference="CA.8",
        recorded_later=True,
        recorded_from=f"the Overview and Scrutiny Committee's agenda item on the call-in "
        f"({CALL_IN_ITEM})",
    )
    row = workflow.record_call_in(
        decision,
        admin,
        None,  # "within the required deadline": the day is not in the records used
        "Councillor Harris",
        recorded_later=True,
        recorded_from=f"the Overview and Scrutiny Committee's agenda item ({CALL_IN_ITEM})",
    )
    workflow.record_call_in_outcome(
        row,
        admin,
        CallIn.Outcome.NOT_ON_RECORD,
        scrutiny,
        None,  # the meeting's day is not in the records used
        outcome_notes=f"From the committee's agenda: {CALL_IN}. Heard at the meeting whose "
        f"minutes run from OSC.278 ({SCRUTINY_MEETING}). {OPTIONS}",
    )


def _consultation(strategy: Strategy, admin: User) -> None:
    """The consultation with its real dates, recorded as having run; its number of responses
    is not in the records used ("the response levels were adequate", said the Cabinet Member)."""
    if strategy.consultations.exists():
        return
    window = consultation.save_window(
        ConsultationWindow(
            strategy=strategy,
            gate=Gate.objects.get(strategy=strategy, purpose=Purpose.CONSULT),
            title="Bury draft Housing Strategy consultation",
            slug="bury-housing-strategy-2020",
            summary=(
                "Bury Council's formal public consultation on its draft Housing Strategy "
                f"({CONSULTATION_PAGE}). Invited: “All residents and stakeholders including "
                "housing developers, housing providers, tenant organisations, elected members, "
                "voluntary and faith sectors, community groups, health and care providers and "
                "the Greater Manchester Combined Authority”. It closed at 5.00 pm on 22 "
                "February 2021."
            ),
            opens_on=datetime.date(2020, 11, 30),
            closes_on=datetime.date(2021, 2, 22),
            date_precision=Precision.DAY,
            for_public=True,
            for_stakeholders=True,
            for_partners=False,
        ),
        admin,
        f"{REASON}: {CONSULTATION_PAGE}",
    )
    consultation.record_window(
        window,
        admin,
        consultation.RunRecord(
            opens_on=datetime.date(2020, 11, 30),
            closes_on=datetime.date(2021, 2, 22),
            result="Its findings were reported to the Cabinet of 26 May 2021 with the "
            "revisions made after it; the Cabinet Member said the response levels were "
            "adequate to give meaningful feedback. The number of responses is not in the "
            "records used.",
            # The pages' addresses are in the window's summary and the module's docstring.
            recorded_from="the Cabinet's minutes of 26 May 2021 (item 75) and Bury Council's "
            "consultation page",
            count_not_on_record=True,
        ),
    )


def _adoption(strategy: Strategy, admin: User) -> None:
    """The Cabinet's adoption on 26 May 2021 (item 75), once the consultation is recorded."""
    gate = strategy.gates.get(purpose=Purpose.ADOPT)
    if not gate.is_open:
        return
    cabinet = gate.body
    workflow.schedule_gate(gate, _meeting(cabinet, _at(2021, 5, 26)), admin, agenda_item="75")
    workflow.record_decision(
        Gate.objects.get(pk=gate.pk),
        admin,
        workflow.Outcome.APPROVED,
        ADOPTION,
        decided_on=datetime.date(2021, 5, 26),
        decided_precision=Precision.DAY,
        reasons=REASONS,
        alternatives_considered=NOT_IN_RECORDS,
        recorded_later=True,
        recorded_from=f"the Cabinet's minutes of 26 May 2021, item 75 ({ISSUE_PAGE})",
    )


@transaction.atomic
def load(stdout=None) -> None:
    strategy = _strategy(_council())
    admin = User.objects.get(username="admin")
    _route(strategy, admin)
    _consultation(strategy, admin)
    _adoption(strategy, admin)
