"""Many strategies at once, built in bulk to keep tests quick: for the query counts pinned at
10 and at 500 strategies."""

from __future__ import annotations

import datetime

from django.utils import timezone

from consultation.models import ConsultationWindow
from governance.models import Gate, Meeting, Purpose
from strategies.models import Strategy
from tests.governance.conftest import at


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def bulk_strategies(lead_org, board, cabinet, count: int) -> None:
    """`count` strategies on their route, each with an overdue gate, a gate due soon, a key
    decision at Cabinet and an open consultation; built in bulk to keep the test quick."""
    strategies = Strategy.objects.bulk_create(
        Strategy(
            title=f"Strategy {i}",
            slug=f"bulk-{i}",
            start_year=2026,
            end_year=2030,
            lead_organisation=lead_org,
            stage=Strategy.Stage.IN_GOVERNANCE,
        )  # fmt: skip
        for i in range(count)
    )
    strategies = list(Strategy.objects.filter(slug__startswith="bulk-"))
    gates = []
    for s in strategies:
        gates += [
            Gate(strategy=s, position=1, body=board, purpose=Purpose.REVIEW,
                 planned_date=in_days(-7), planned_precision="day"),
            Gate(strategy=s, position=2, body=board, purpose=Purpose.CONSULT),
            Gate(strategy=s, position=3, body=cabinet, purpose=Purpose.ADOPT,
                 planned_date=in_days(20), planned_precision="day", key_decision=True),
        ]  # fmt: skip
    Gate.objects.bulk_create(gates)
    by_strategy = {}
    for gate in Gate.objects.filter(strategy__in=strategies):
        by_strategy.setdefault(gate.strategy_id, {})[gate.position] = gate
    Gate.waits_for.through.objects.bulk_create(
        Gate.waits_for.through(from_gate_id=g[3].pk, to_gate_id=g[2].pk)
        for g in by_strategy.values()
    )
    ConsultationWindow.objects.bulk_create(
        ConsultationWindow(
            strategy=s,
            gate=by_strategy[s.pk][2],
            title=f"Consultation {s.pk}",
            slug=f"bulk-consult-{s.pk}",
            opens_on=in_days(-70),
            closes_on=in_days(10),
            minimum_days=84,
            state="open",
        )  # fmt: skip
        for s in strategies
    )
    Meeting.objects.create(body=cabinet, starts_at=at(-60))
