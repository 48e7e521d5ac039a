"""More of everything the API lists, added to tests/world.py's world: for the filters, the pages
and the query counts pinned at two sizes."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from consultation import workflow as consultation
from consultation.models import ConsultationWindow
from delivery.models import IndicatorValue, ProgressUpdate
from governance import workflow
from governance.models import Meeting, Purpose
from strategies.models import Action, StrategyPartner
from tests.factories import full_strategy
from tests.world import World


def more(world: World, count: int) -> list:
    """`count` more strategies of the lead organisation, each with content at every level, a
    partner, a decided gate on a meeting of its own, an open consultation with a response,
    progress updates and indicator values."""
    officer, secretary = world.people["officer"], world.people["secretary"]
    today = timezone.localdate()
    opens, closes = today - datetime.timedelta(days=3), today + datetime.timedelta(days=90)
    made = []
    for i in range(count):
        strategy = full_strategy(world.lead_org, priorities=2, title=f"Strategy {i:03}")
        StrategyPartner.objects.create(strategy=strategy, organisation=world.other_org)
        gate = workflow.add_gate(strategy, world.board, Purpose.REVIEW, officer)
        meeting = Meeting.objects.create(
            body=world.board, starts_at=timezone.now() - datetime.timedelta(days=10 + i)
        )
        workflow.schedule_gate(gate, meeting, secretary)
        workflow.record_decision(gate, secretary, "endorsed", f"Endorsed {i}.")
        consult = workflow.add_gate(strategy, world.board, Purpose.CONSULT, officer, [gate])
        window = ConsultationWindow.objects.create(
            strategy=strategy, gate=consult, title=f"Consultation {i:03}", slug=f"more-{i}",
            opens_on=opens, closes_on=closes, minimum_days=84,
        )  # fmt: skip
        window = consultation.open_window(window, officer)
        priority = strategy.priorities.first()
        consultation.submit_response(window, "group", [(priority.pk, priority.title, 5, "")])
        for action in Action.objects.filter(objective__priority__strategy=strategy):
            for days_ago, rag in ((30, "amber"), (2, "green")):
                ProgressUpdate.objects.create(
                    action=action, as_of=today - datetime.timedelta(days=days_ago),
                    status="in_progress", rag=rag, recorded_at=timezone.now(),
                )  # fmt: skip
        for indicator in strategy.indicators.all():
            for year in (2021, 2022):
                IndicatorValue.objects.create(
                    indicator=indicator, period=str(year), value=Decimal("61.5"),
                    period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
                )  # fmt: skip
        made.append(strategy)
    return made
