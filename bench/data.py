"""Benchmark data in proportion: strategies with content, routes, decisions, consultations with
responses, and history, built in bulk so that 500 strategies take seconds rather than hours.

`grow_to(n)` adds strategies until there are `n` bench strategies, so one database can be
measured at 10 and then at 500. Each strategy has 3 priorities, 9 objectives, 18 actions, a
route of four gates (review passed with a decision, a consultation window with responses, a key
decision at Cabinet due soon, and an overdue scrutiny gate), four progress updates on each
action, an indicator with twenty years of quarterly values, and about 400 history rows (its
content's creation and a run of edits), so 500 strategies carry about 200,000 history rows.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from consultation.models import ConsultationWindow, PriorityAnswer, Response
from delivery.models import IndicatorValue, ProgressUpdate
from governance.models import Body, BodySecretary, Decision, Gate, Meeting, Purpose
from strategies.models import (
    Action,
    Objective,
    Organisation,
    OutcomeIndicator,
    Priority,
    Revision,
    Strategy,
    User,
)

PASSWORD = "bench-password"
EDITS_PER_ACTION = 11
UPDATES_PER_ACTION = 4
VALUES_PER_INDICATOR = 80  # twenty years of quarters
EDITS_PER_OBJECTIVE = 10
EDITS_PER_PRIORITY = 10
EDITS_PER_STRATEGY = 20
RESPONSES_PER_WINDOW = 12


def _day(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _at(days: int, hour: int = 10) -> datetime.datetime:
    day = _day(days)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def setup_people() -> dict:
    """The bench organisation, its bodies and one user of each role (idempotent)."""
    org, _ = Organisation.objects.get_or_create(
        slug="bench-council", defaults={"name": "Bench Borough Council", "kind": "council"}
    )
    users = {}
    for role in ["officer", "secretary", "manager", "administrator"]:
        user, created = User.objects.get_or_create(
            username=f"bench-{role}",
            defaults={"organisation": org, "role": role, "is_staff": role == "administrator"},
        )
        if role == "administrator":
            user.is_superuser = True
        user.set_password(PASSWORD)
        user.save()
        users[role] = user
    bodies = {}
    for kind, name, executive in [
        ("hwb", "Bench Health and Wellbeing Board", False),
        ("cabinet", "Bench Cabinet", True),
        ("scrutiny", "Bench Scrutiny Committee", False),
    ]:
        bodies[kind], _ = Body.objects.get_or_create(
            organisation=org, name=name, defaults={"kind": kind, "is_executive": executive}
        )
        BodySecretary.objects.get_or_create(body=bodies[kind], user=users["secretary"])
    meetings = {}
    for kind, days in [("hwb", -40), ("cabinet", 45), ("scrutiny", -20)]:
        meetings[kind], _ = Meeting.objects.get_or_create(
            body=bodies[kind],
            starts_at=_at(days),
            defaults={"status": "held" if days < 0 else "scheduled"},
        )
    return {"org": org, "users": users, "bodies": bodies, "meetings": meetings}


def _edits(objects, count: int, user, when: datetime.datetime) -> int:
    """`count` historical "changed" rows for each object, as a run of edits would leave."""
    if not objects:
        return 0
    model = type(objects[0]).history.model
    names = [
        f.attname
        for f in model._meta.fields
        if not f.name.startswith("history_") and hasattr(objects[0], f.attname)
    ]
    rows = [
        model(
            **{name: getattr(obj, name) for name in names},
            history_date=when + datetime.timedelta(minutes=n),
            history_type="~" if n else "+",
            history_user_id=user.pk,
            history_change_reason="Bench edit" if n else "Created",
        )
        for obj in objects
        for n in range(count + 1)
    ]
    model.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _bench_count() -> int:
    return Strategy.objects.filter(slug__startswith="bench-").count()


@transaction.atomic
def grow_to(total: int) -> dict:
    """Add bench strategies until there are `total`; returns counts of what exists."""
    people = setup_people()
    org, users, bodies, meetings = (
        people["org"],
        people["users"],
        people["bodies"],
        people["meetings"],
    )
    officer = users["officer"]
    start = _bench_count()
    when = timezone.now() - datetime.timedelta(days=100)
    for first in range(start, total, 100):
        numbers = range(first, min(first + 100, total))
        strategies = Strategy.objects.bulk_create(
            Strategy(
                title=f"Bench strategy {i}",
                slug=f"bench-{i}",
                start_year=2026,
                end_year=2031,
                lead_organisation=org,
                vision=f"Healthier lives in place {i}.",
                stage=Strategy.Stage.OUT_TO_CONSULTATION,
            )
            for i in numbers
        )
        strategies = list(Strategy.objects.filter(slug__in=[f"bench-{i}" for i in numbers]))
        priorities = Priority.objects.bulk_create(
            Priority(strategy=s, position=p, title=f"Priority {p}")
            for s in strategies
            for p in range(1, 4)
        )
        priorities = list(Priority.objects.filter(strategy__in=strategies))
        objectives = Objective.objects.bulk_create(
            Objective(priority=p, position=o, title=f"Objective {o}")
            for p in priorities
            for o in range(1, 4)
        )
        objectives = list(Objective.objects.filter(priority__in=priorities))
        Action.objects.bulk_create(
            Action(objective=o, position=a, title=f"Action {a}", lead_team="Public health")
            for o in objectives
            for a in range(1, 3)
        )
        actions = list(Action.objects.filter(objective__in=objectives))
        _delivery(strategies, actions, officer, when)
        _edits(strategies, EDITS_PER_STRATEGY, officer, when)
        _edits(priorities, EDITS_PER_PRIORITY, officer, when)
        _edits(objectives, EDITS_PER_OBJECTIVE, officer, when)
        _edits(actions, EDITS_PER_ACTION, officer, when)

        revisions = Revision.objects.bulk_create(
            Revision(
                strategy=s,
                number=1,
                label="Papers for the Board",
                content={"title": s.title},
                content_hash=hashlib.sha256(s.title.encode()).hexdigest(),
                created_by=officer,
            )
            for s in strategies
        )
        revisions = {r.strategy_id: r for r in Revision.objects.filter(strategy__in=strategies)}
        gates = []
        for s in strategies:
            gates += [
                Gate(strategy=s, position=1, body=bodies["hwb"], purpose=Purpose.REVIEW,
                     meeting=meetings["hwb"], state=Gate.State.PASSED,
                     planned_date=_day(-40), planned_precision="day"),
                Gate(strategy=s, position=2, body=bodies["hwb"], purpose=Purpose.CONSULT,
                     state=Gate.State.SCHEDULED),
                Gate(strategy=s, position=3, body=bodies["cabinet"], purpose=Purpose.ADOPT,
                     planned_date=_day(25), planned_precision="day", key_decision=True),
                Gate(strategy=s, position=4, body=bodies["scrutiny"],
                     purpose=Purpose.SCRUTINISE, planned_date=_day(-20),
                     planned_precision="month"),
            ]  # fmt: skip
        Gate.objects.bulk_create(gates)
        gates = list(Gate.objects.filter(strategy__in=strategies))
        by_strategy = {}
        for g in gates:
            by_strategy.setdefault(g.strategy_id, {})[g.position] = g
        _edits(gates, 2, officer, when)
        Gate.waits_for.through.objects.bulk_create(
            Gate.waits_for.through(from_gate_id=g[later].pk, to_gate_id=g[earlier].pk)
            for g in by_strategy.values()
            for later, earlier in [(2, 1), (3, 2), (4, 1)]
        )
        Decision.objects.bulk_create(
            Decision(
                gate=g[1],
                meeting=meetings["hwb"],
                decided_on=_day(-40),
                outcome="endorsed",
                resolution="Endorsed for consultation.",
                revision=revisions[sid],
                recorded_by=users["secretary"],
                recorded_at=timezone.now() - datetime.timedelta(days=40),
                record_hash=hashlib.sha256(str(sid).encode()).hexdigest(),
            )
            for sid, g in by_strategy.items()
        )
        windows = ConsultationWindow.objects.bulk_create(
            ConsultationWindow(
                strategy_id=sid,
                gate=g[2],
                title=f"Consultation on bench strategy {sid}",
                slug=f"bench-consult-{sid}",
                opens_on=_day(-30),
                closes_on=_day(10 + sid % 60),
                minimum_days=84,
                state="open",
                revision=revisions[sid],
            )
            for sid, g in by_strategy.items()
        )
        windows = list(ConsultationWindow.objects.filter(strategy__in=strategies))
        counter = itertools.count(Response.objects.count())
        Response.objects.bulk_create(
            Response(
                window=w,
                reference=f"B{next(counter):07d}",
                submitted_at=timezone.now() - datetime.timedelta(days=r % 20),
                respondent_type="individual",
                general_comments="More support for carers, please.",
                consent=True,
            )
            for w in windows
            for r in range(RESPONSES_PER_WINDOW)
        )
        responses = list(Response.objects.filter(window__in=windows).select_related("window"))
        first_priority = {p.strategy_id: p for p in priorities if p.position == 1}
        PriorityAnswer.objects.bulk_create(
            PriorityAnswer(
                response=r,
                window=r.window,
                priority_id=first_priority[r.window.strategy_id].pk,
                priority_title=first_priority[r.window.strategy_id].title,
                agreement=1 + r.pk % 5,
            )
            for r in responses
        )
    return counts()


def _delivery(strategies, actions, officer, when) -> None:
    """Each action's progress updates (UPDATES_PER_ACTION, a quarter apart, the ratings moving)
    and each strategy's indicator with 20 years of quarterly values: what the delivery pages
    read."""
    statuses = ["not_started", "in_progress", "in_progress", "delayed"]
    ratings = ["", "green", "amber", "red"]
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            action=a,
            as_of=datetime.date(2026, 1, 1) + datetime.timedelta(days=91 * n),
            status=statuses[n % 4],
            rag=ratings[(a.pk + n) % 4],
            commentary=f"Update {n + 1} on {a.title}.",
            recorded_by=officer,
            recorded_at=when,
        )
        for a in actions
        for n in range(UPDATES_PER_ACTION)
    )
    indicators = OutcomeIndicator.objects.bulk_create(
        OutcomeIndicator(
            strategy=s,
            position=1,
            framework="local",
            title="Smoking at time of delivery",
            unit="%",
            baseline=Decimal("15"),
            baseline_date=datetime.date(2006, 3, 31),
            target=Decimal("6"),
            target_date=datetime.date(2031, 3, 31),
            polarity="lower",
        )
        for s in strategies
    )
    indicators = OutcomeIndicator.objects.filter(strategy__in=strategies)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=i,
            period=f"{2006 + q // 4} Q{q % 4 + 1}",
            period_start=datetime.date(2006 + q // 4, 3 * (q % 4) + 1, 1),
            period_end=datetime.date(2006 + q // 4, 3 * (q % 4) + 3, 28),
            value=Decimal(15) - Decimal(q) / 10,
            lower_ci=Decimal(14) - Decimal(q) / 10,
            upper_ci=Decimal(16) - Decimal(q) / 10,
            source="Bench data",
        )
        for i in indicators
        for q in range(VALUES_PER_INDICATOR)
    )


def counts() -> dict:
    history = sum(
        model.history.model.objects.count()
        for model in (Strategy, Priority, Objective, Action, Gate)
    )
    return {
        "strategies": _bench_count(),
        "gates": Gate.objects.count(),
        "decisions": Decision.objects.count(),
        "responses": Response.objects.count(),
        "history_rows": history,
    }
