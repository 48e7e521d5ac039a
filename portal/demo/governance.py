"""Demo routes of the two seed reports, moved through the workflow as a secretary would.

Milton Keynes stands where its report leaves it: the Shadow Board is asked to approve the
90-day consultation; final approval on 27 September 2012, then Cabinet and the CCG in parallel,
are still to come. Dudley stands at its report's date, the Cabinet meeting of 13 September 2017:
the development session, the Board's review with amendments, the portfolio holders and informal
cabinet are decided; the corporate board (date not set), Cabinet, scrutiny and the Board's
December sign-off are to come. Dates the reports do not give are shown at month precision and
said so.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from governance import workflow
from governance.dates import Precision
from governance.models import (
    Body,
    BodySecretary,
    CommitteeReport,
    Gate,
    Meeting,
    Purpose,
)
from portal import reports
from portal.demo import route_templates
from strategies.models import Organisation, Strategy, User

NOT_GIVEN = "Date not given in the source report; the month is the demo's reading of it."
REPORT_REASON = "Demo data: the text of the seed report"

# The two seed reports' own words (shared/seeds), section by section. Sections a report does
# not have stay empty; what Waymark knows (the meeting, the strategy, its evidence, route,
# timetable and consultation) it writes itself.
MK_REPORT = {
    "title": "Joint Health and Wellbeing Strategy 2012 - 2015",
    "purpose": (
        "This report summarises the work undertaken so far to produce a three year Joint Health "
        "and Wellbeing Strategy (JHWS). It seeks approval from the Shadow Health and Wellbeing "
        "Board (the Board) to undertake a 90 day consultation process with the general public, "
        "stakeholder organisations and partners. Following the consultation period, the Board "
        "will meet in September at which final approval of the strategy will be sought. Once "
        "final approval is gained recommendations for the adoption of this strategy will be "
        "made to Milton Keynes Council's Cabinet and Milton Keynes Clinical Commissioning Group."
    ),
    "background": (
        "At the inaugural meeting of the Board on December 1st 2011 agreement was reached to "
        "develop a JHWS. A Strategy Development Group was established which began to utilise "
        "information from the Joint Strategic Needs Assessment 2011/12, the MK Social Atlas 2011 "
        "and the Public Health Report 2010. Over the ensuing weeks a number of themes and a clear "
        "set of priorities emerged. As a result three key strategic priorities and nine "
        "underlying objectives have been defined. This has culminated in a draft JHWS being "
        "developed (See Appendix A)."
    ),
    "key_issues": "\n\n".join(
        [
            "Through information derived from local assessments of need the draft Joint Health "
            "and Wellbeing Strategy identifies three priority areas:\n"
            "1. Improve Wellbeing\n"
            "2. Reduce early deaths and tackle major diseases\n"
            "3. Reduce health inequalities",
            "In order to meet these priorities nine objectives have been developed, to be "
            "delivered over the course of three years. These objectives are proposed as the main "
            "areas of focus in implementing the strategy. They range from supporting people to "
            "engage in healthier lifestyles, reducing unnecessary hospital admissions through to "
            "taking steps to reduce poverty.",
            "An implementation plan, including clear time scales, milestones to be achieved and "
            "the identification of teams/organisations responsible for putting the strategy into "
            "action, will all be developed following adoption of the strategy. Work has already "
            "begun on developing measurable outcomes through focussing on the three national "
            "outcomes frameworks for public health, the NHS and adult social care.",
            "A 90 day consultation period is proposed to ensure that all members of the public, "
            "stakeholder organisations and partners can contribute their views. Final approval of "
            "the strategy will be sought from the Board on September 27th 2012. Once final "
            "approval is gained, recommendations for the adoption of this strategy will be made "
            "to Milton Keynes Council's Cabinet and Milton Keynes Clinical Commissioning Group.",
        ]
    ),
    "recommendations": (
        "That the Board agrees to a 90 day consultation period\n"
        "That the Board takes an active role in consulting with the public, stakeholders and "
        "partners including hosting a consultation event"
    ),
    "appendices": "Draft Joint Health and Wellbeing Strategy",
}

DUDLEY_REPORT = {
    "title": "Dudley's Health and Wellbeing Strategy 2017-2022",
    "purpose": (
        "To update Cabinet on the progress towards refreshing Dudley's Health and Wellbeing "
        "Strategy for 2017-2022 and the governance process for adopting the strategy within the "
        "Council."
    ),
    "background": "\n\n".join(
        [
            "One of the key responsibilities of the Health and Wellbeing Board is to agree the "
            "health and wellbeing priorities for Dudley borough informed by the joint strategic "
            "needs assessment, establish a health and wellbeing strategy and oversee its "
            "implementation.",
            "The current health and wellbeing strategy covered the period of 2012 to 2016 and a "
            "process to refresh the strategy for the proceeding 5 year period began in September "
            "2016.",
            "A development session was held with the Board in March 2017 where the board agreed\n"
            "- a new vision,\n"
            "- 3 goals\n"
            "- a commitment to working differently based on alliances between agencies and "
            "communities, with people at the centre.",
            "The results of these discussions, along with feedback from the people's network and "
            "the age alliance have informed the development of the draft Health and Wellbeing "
            "Strategy 2017- 2022.",
            "It was recognised that a key element of working differently would be changing the "
            "narrative between organisations and communities, and a commitment to agreeing a "
            "common language that everyone understands, and we all use.",
            "The draft strategy emphasises this new relationship with communities which is "
            "reflected in the style of the strategy and in the strategic objectives which "
            "describe:\n"
            "- what we as organisations will do,\n"
            "- what we can do together with communities\n"
            "- what individuals and communities can do for themselves and each other",
            "The draft strategy was reviewed and refined at the Health and Wellbeing Board on "
            "28th June 2017 and a few amendments will be made as a result",
            "The draft strategy will be discussed with\n"
            "- Portfolio holders within the People Directorate on 10th July 2017\n"
            "- Informal cabinet on 24th July 2017.\n"
            "- Wider Corporate board- date to be determined\n"
            "- Cabinet– 13th September 2017\n"
            "- Health and adult social care scrutiny on 27th September 2017",
            "A process of engagement and consultation is being developed with the Dudley "
            "Community Voluntary Service (DCVS), Clinical Commissioning Group (CCG), "
            "Communications and Public Affairs (CAPA) and public health colleagues to run over "
            "the summer and autumn period",
            "Final sign- off by the health and wellbeing board will be at the December 2017 "
            "meeting",
        ]
    ),
    "finance": (
        "There are no direct financial implications arising from the contents of this report"
    ),
    "law": "There are no direct legal implications arising from the contents of this report",
    "equality": (
        "This report has no direct implications for the Council's commitment to equality and "
        "diversity."
    ),
    "recommendations": "It is recommended that Cabinet endorse the Health and Wellbeing Strategy.",
    "appendices": "Health and Wellbeing Strategy",
}


def _seed_report(gate: Gate, officer: User, text: dict) -> None:
    """The gate's committee report as its seed gives it: Waymark starts it, the officer writes
    the seed's words over the draft (both are in the report's history)."""
    if CommitteeReport.objects.filter(gate=gate).exists():
        return
    report = reports.start_report(gate, officer)
    reports.update_report(report, officer, REPORT_REASON, **text)


def _at(year, month, day, hour=14) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def _body(org: Organisation, name: str, kind: str, executive=False, public=True) -> Body:
    body, _ = Body.objects.get_or_create(
        organisation=org,
        name=name,
        defaults={"kind": kind, "is_executive": executive, "meets_in_public": public},
    )
    return body


def _meeting(body: Body, when: datetime.datetime, precision=Precision.DAY, minutes="") -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        body=body,
        starts_at=when,
        defaults={
            "date_precision": precision,
            "minutes": minutes,
            "venue": "" if precision == Precision.DAY else "Not given in the source report",
        },
    )
    return meeting


def _decide(gate, meeting, by, outcome, resolution, published=None, **more):
    if gate.body.is_executive:  # the record must give them; the seeds do not
        more.setdefault("reasons", "Not given in the source report.")
        more.setdefault("alternatives_considered", "Not given in the source report.")
    workflow.schedule_gate(gate, meeting, by)
    if published:
        workflow.publish_agenda(meeting, published, by)
    return workflow.record_decision(gate, by, outcome, resolution, **more)


def _milton_keynes(admin: User) -> None:
    strategy = Strategy.objects.get(slug="milton-keynes-jhws-2012-2015")
    if strategy.gates.exists():
        return
    council = strategy.lead_organisation
    ccg = Organisation.objects.get(slug="milton-keynes-ccg")
    board = _body(
        council, "Milton Keynes Shadow Health and Wellbeing Board", Body.Kind.SHADOW_BOARD
    )
    group = _body(
        council, "JHWS Strategy Development Group", Body.Kind.STRATEGY_GROUP, public=False
    )
    cabinet = _body(council, "Milton Keynes Council Cabinet", Body.Kind.CABINET, executive=True)
    ccg_board = _body(ccg, "Milton Keynes CCG Governing Body", Body.Kind.CCG_GOVERNING_BODY)
    # The administrator records Milton Keynes' past (administrators may act for any body's
    # secretaries); no one of theirs is a secretary in the demo.

    add = workflow.add_gate
    develop = add(
        strategy,
        board,
        Purpose.DEVELOP,
        admin,
        note="Inaugural meeting of the Board: agreement to develop a JHWS",
    )
    draft = add(
        strategy,
        group,
        Purpose.DEVELOP,
        admin,
        [develop],
        note="Drafted from the JSNA 2011/12, the MK Social Atlas 2011 and the Public "
        "Health Report 2010",
    )
    consult = add(
        strategy,
        board,
        Purpose.APPROVE_CONSULTATION,
        admin,
        [draft],
        note="Approval of a 90 day consultation with the public, stakeholders and partners",
    )
    consultation = add(
        strategy,
        board,
        Purpose.CONSULT,
        admin,
        [consult],
        note="90 day consultation with the public, stakeholder organisations and partners, "
        "including a consultation event hosted by the Board (run by portal/demo/consultation.py)",
    )
    final = add(
        strategy,
        board,
        Purpose.APPROVE,
        admin,
        [consultation],
        planned_date=datetime.date(2012, 9, 27),
        precision=Precision.DAY,
        note="Final approval after the consultation",
    )
    add(strategy, cabinet, Purpose.ADOPT, admin, [final], note="Adoption by the Council's Cabinet")
    add(
        strategy,
        ccg_board,
        Purpose.ADOPT,
        admin,
        [final],
        note="Adoption by the Clinical Commissioning Group",
    )

    _decide(
        develop,
        _meeting(board, _at(2011, 12, 1)),
        admin,
        "approved",
        "The Board agreed to develop a Joint Health and Wellbeing Strategy and to establish a "
        "Strategy Development Group.",
        decided_on=datetime.date(2011, 12, 1),
    )
    group_meeting = _meeting(group, _at(2012, 3, 1), Precision.MONTH, NOT_GIVEN)
    _decide(
        draft,
        group_meeting,
        admin,
        "endorsed",
        "The group endorsed the draft strategy (three priorities, nine objectives) for the Board.",
        decided_on=datetime.date(2012, 3, 1),
    )
    board_meeting = _meeting(board, _at(2012, 6, 1), Precision.MONTH, NOT_GIVEN)
    workflow.schedule_gate(consult, board_meeting, admin)
    # The seed report is the covering report for this meeting, written before its papers went.
    _seed_report(consult, User.objects.get(username="mk-officer"), MK_REPORT)
    workflow.publish_agenda(board_meeting, datetime.date(2012, 6, 1), admin)
    workflow.record_decision(
        consult,
        admin,
        "approved",
        "1. That the Board agrees to a 90 day consultation period. 2. That the Board takes an "
        "active role in consulting with the public, stakeholders and partners including hosting "
        "a consultation event.",
        decided_on=datetime.date(2012, 6, 1),
        reasons="To ensure that all members of the public, stakeholder organisations and partners "
        "can contribute their views.",
    )
    workflow.schedule_gate(final, _meeting(board, _at(2012, 9, 27)), admin)


def _dudley(secretary: User, officer: User) -> None:
    strategy = Strategy.objects.get(slug="dudley-hws-2017-2022")
    if strategy.gates.exists():
        return
    council = strategy.lead_organisation
    board = _body(
        council, "Dudley Health and Wellbeing Board", Body.Kind.HEALTH_AND_WELLBEING_BOARD
    )
    holders = _body(
        council,
        "Portfolio holders, People Directorate",
        Body.Kind.PORTFOLIO_HOLDERS,
        executive=True,
        public=False,
    )
    informal = _body(council, "Informal Cabinet", Body.Kind.INFORMAL_CABINET, public=False)
    corporate = _body(council, "Wider Corporate Board", Body.Kind.CORPORATE_BOARD, public=False)
    cabinet = _body(council, "Cabinet", Body.Kind.CABINET, executive=True)
    scrutiny = _body(council, "Health and Adult Social Care Scrutiny Committee", Body.Kind.SCRUTINY)
    for body in (board, holders, informal, corporate, cabinet, scrutiny):
        BodySecretary.objects.get_or_create(body=body, user=secretary)

    add = workflow.add_gate
    session = add(
        strategy,
        board,
        Purpose.DEVELOP,
        officer,
        note="Development session: a new vision, 3 goals, and working differently",
    )
    review = add(
        strategy, board, Purpose.REVIEW, officer, [session], note="Draft reviewed and refined"
    )
    ph = add(strategy, holders, Purpose.DISCUSS, officer, [review])
    ic = add(strategy, informal, Purpose.DISCUSS, officer, [ph])
    cb = add(strategy, corporate, Purpose.DISCUSS, officer, [ic], note="Date to be determined")
    cab = add(
        strategy,
        cabinet,
        Purpose.ENDORSE,
        officer,
        [ic],
        note="Recommendation: that Cabinet endorse the Health and Wellbeing Strategy",
    )
    scr = add(strategy, scrutiny, Purpose.SCRUTINISE, officer, [cab])
    engage = add(
        strategy,
        board,
        Purpose.CONSULT,
        officer,
        [review],
        planned_date=datetime.date(2017, 6, 1),
        precision=Precision.SEASON,
        note="Engagement and consultation with DCVS, the CCG, CAPA and public health colleagues "
        "over the summer and autumn period",
    )
    add(
        strategy,
        board,
        Purpose.SIGN_OFF,
        officer,
        [cb, scr, engage],
        planned_date=datetime.date(2017, 12, 1),
        precision=Precision.MONTH,
        note="Final sign-off at the December 2017 meeting",
    )

    _decide(
        session,
        _meeting(board, _at(2017, 3, 1), Precision.MONTH, NOT_GIVEN),
        secretary,
        "endorsed",
        "The Board agreed a new vision, 3 goals and a commitment to working "
        "differently based on alliances between agencies and communities, with people at the "
        "centre.",
        decided_on=datetime.date(2017, 3, 1),
    )
    _decide(
        review,
        _meeting(board, _at(2017, 6, 28)),
        secretary,
        "approved_with_amendments",
        "The draft strategy was reviewed and refined; a few amendments will be made as a result.",
        published=datetime.date(2017, 6, 20),
        decided_on=datetime.date(2017, 6, 28),
    )
    _decide(
        ph,
        _meeting(holders, _at(2017, 7, 10)),
        secretary,
        "noted",
        "Portfolio holders within the People Directorate discussed the draft strategy.",
        decided_on=datetime.date(2017, 7, 10),
    )
    _decide(
        ic,
        _meeting(informal, _at(2017, 7, 24)),
        secretary,
        "noted",
        "Informal cabinet discussed the draft strategy.",
        decided_on=datetime.date(2017, 7, 24),
    )
    workflow.schedule_gate(cab, _meeting(cabinet, _at(2017, 9, 13, 18)), secretary)
    workflow.schedule_gate(scr, _meeting(scrutiny, _at(2017, 9, 27, 18)), secretary)
    _seed_report(cab, officer, DUDLEY_REPORT)


def _dudley_report(officer: User) -> None:
    """For a database loaded before committee reports existed: Dudley's Cabinet report can
    still be written (its papers are not out); Milton Keynes' went with papers long decided."""
    gate = Gate.objects.filter(
        strategy__slug="dudley-hws-2017-2022", purpose=Purpose.ENDORSE, body__name="Cabinet"
    ).first()
    if gate is not None and reports.report_refusal(officer, gate) is None:
        _seed_report(gate, officer, DUDLEY_REPORT)


@transaction.atomic
def load(stdout=None) -> None:
    admin = User.objects.get(username="admin")
    _milton_keynes(admin)
    _dudley(User.objects.get(username="secretary"), User.objects.get(username="officer"))
    _dudley_report(User.objects.get(username="officer"))
    route_templates.load(stdout)  # the seeds' routes as templates, and one for any council
