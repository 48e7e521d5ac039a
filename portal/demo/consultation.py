"""Demo consultations of the two seed reports.

Milton Keynes: the 90-day consultation the Shadow Board approved, with the public, stakeholder
organisations and partners, and a consultation event hosted by the Board. The report gives no
exact dates; the demo places the 90 days before the Board's meeting of 27 September 2012 and
says so. Its responses are made up for the demo and marked as such. Dudley: engagement with the
voluntary sector council, the CCG, the communications team and public health "over the summer
and autumn period" 2017, still being planned, at season precision.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from consultation import workflow
from consultation.models import ConsultationWindow, Event, Theme, WindowPartner, YouSaidWeDid
from governance.dates import Precision
from governance.models import CommitteeReport, Gate, Purpose
from portal import reports
from strategies.models import Organisation, Strategy, User

COMMENTS = [
    "Demo response: more support to stay active in later life would help.",
    "Demo response: services are hard to reach without a car.",
    "Demo response: please say how this will reach the most deprived areas.",
    "Demo response: mental health should be named as a priority of its own.",
    "",
    "",
]


def _milton_keynes(admin: User) -> None:
    strategy = Strategy.objects.get(slug="milton-keynes-jhws-2012-2015")
    if strategy.consultations.exists():
        return
    gate = Gate.objects.get(strategy=strategy, purpose=Purpose.CONSULT)
    window = ConsultationWindow(
        strategy=strategy,
        gate=gate,
        title="Draft Joint Health and Wellbeing Strategy 2012–2015: 90 day consultation",
        slug="milton-keynes-jhws-2012",
        summary=(
            "The Shadow Health and Wellbeing Board is consulting on its draft strategy: three "
            "priorities and nine objectives, built from the Joint Strategic Needs Assessment, "
            "the MK Social Atlas and the Public Health Report. Exact dates are not given in the "
            "source report; the demo places the 90 days before the Board's meeting of 27 "
            "September 2012."
        ),
        opens_on=datetime.date(2012, 6, 25),
        closes_on=datetime.date(2012, 9, 22),
        minimum_days=strategy.lead_organisation.consultation_minimum_days,
    )
    window._change_reason = "Demo data from the seed report"
    window.save()
    board = gate.body
    Event.objects.create(
        window=window,
        title="Consultation event hosted by the Shadow Health and Wellbeing Board",
        starts_at=timezone.make_aware(datetime.datetime(2012, 7, 1)),
        date_precision=Precision.MONTH,
        time_known=False,
        place="Milton Keynes (venue not given in the source report)",
        host_body=board,
        notes="The report recommends that the Board hosts a consultation event; its date is "
        "not given, so the demo shows the month only.",
    )
    WindowPartner.objects.create(
        window=window,
        organisation=Organisation.objects.get(slug="milton-keynes-ccg"),
        role="Consulting stakeholders and partners with the Board",
    )
    window = workflow.open_window(window, admin, as_of=window.opens_on)

    themes = {
        name: Theme.objects.create(window=window, name=name)
        for name in ("Access to services", "Healthy lifestyles", "Poverty and inequality")
    }
    rng = random.Random(2012)  # the same demo every time
    priorities = window.revision.content["priorities"]
    types = ["individual"] * 6 + ["organisation"] * 2 + ["group"]
    for n in range(24):
        kind = rng.choice(types)
        answers = [
            (p["id"], p["title"], rng.choice([2, 3, 4, 4, 5, 5, None]), rng.choice(COMMENTS))
            for p in priorities
        ]
        day = window.opens_on + datetime.timedelta(days=rng.randrange(0, 90))
        response = workflow.submit_response(
            window,
            kind,
            answers,
            general_comments=rng.choice(COMMENTS),
            organisation_name="" if kind == "individual" else f"Demo organisation {n + 1}",
            is_demo=True,
            submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
        )
        for theme in rng.sample(list(themes.values()), rng.randrange(0, 3)):
            workflow.set_tag(response, theme, True)
    workflow.close_window(window, admin)
    entry = YouSaidWeDid(
        window=window,
        theme=themes["Access to services"],
        you_said="Demo entry: several responses said services are hard to reach without a car.",
        changed=False,
        why_not="Demo entry, not yet published: the officers are still considering this theme.",
    )
    entry._change_reason = "Demo data"
    entry.save()


def _dudley(officer: User) -> None:
    strategy = Strategy.objects.get(slug="dudley-hws-2017-2022")
    if strategy.consultations.exists():
        return
    window = ConsultationWindow(
        strategy=strategy,
        gate=Gate.objects.get(strategy=strategy, purpose=Purpose.CONSULT),
        title="Dudley's Health and Wellbeing Strategy: engagement and consultation",
        slug="dudley-hws-2017",
        summary="A process of engagement and consultation on the draft strategy, being developed "
        "with partners.",
        opens_on=datetime.date(2017, 6, 1),
        closes_on=datetime.date(2017, 11, 30),
        date_precision=Precision.SEASON,
        period_note="over the summer and autumn period 2017",
        minimum_days=strategy.lead_organisation.consultation_minimum_days,
    )
    window._change_reason = "Demo data from the seed report"
    window.save()
    council = strategy.lead_organisation
    for slug, role in (
        ("dudley-cvs", "Engagement with the voluntary and community sector"),
        ("dudley-ccg", "Engagement with NHS patients and partners"),
    ):
        WindowPartner.objects.create(
            window=window, organisation=Organisation.objects.get(slug=slug), role=role
        )
    WindowPartner.objects.create(
        window=window,
        organisation=council,
        role="Communications and Public Affairs (CAPA) and public health colleagues",
    )
    # The officer brings the Cabinet report up to date with the engagement now planned.
    report = CommitteeReport.objects.filter(gate__strategy=strategy, gate__body__name="Cabinet")
    report = report.select_related("gate__strategy", "gate__body").first()
    if report is not None and reports.report_refusal(officer, report.gate) is None:
        reports.refresh_report(report, officer, ["consultation", "timetable"])


@transaction.atomic
def load(stdout=None) -> None:
    for slug in ("milton-keynes-council", "dudley-council"):
        org = Organisation.objects.get(slug=slug)
        if org.consultation_minimum_days != 90:
            org.consultation_minimum_days = 90  # "the seeds use 90 days"
            org._change_reason = "Demo data: local policy of a 90 day minimum"
            org.save(update_fields=["consultation_minimum_days"])
    _milton_keynes(User.objects.get(username="admin"))
    _dudley(User.objects.get(username="officer"))
