"""Governance downloads: the CSV of gates and decisions across the strategies a user may read
(filtered like the approval timeline)."""

from __future__ import annotations

import csv
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from strategies.spreadsheets import neutralise

from ..filters import filter_strategies
from ..models import Decision, Gate, effective_decisions

CSV_HEADER = [
    "strategy",
    "strategy address",
    "lead organisation",
    "stage",
    "step",
    "body",
    "body's organisation",
    "purpose",
    "gate state",
    "planned",
    "meeting",
    "key decision",
    "decided on",
    "outcome",
    "resolution",
    "reasons",
    "corrected",
    "decision notice published on",
    "recorded by",
]


@login_required
@require_GET
def gates_csv(request: HttpRequest) -> HttpResponse:
    """One row per gate and decision (a gate not yet decided has one row without a decision),
    for the strategies the user may read; removed gates are left out. A fixed number of queries
    however many rows."""
    filtering = filter_strategies(request.user, request.GET)
    gates = (
        Gate.objects.filter(strategy__in=filtering.strategies)
        .exclude(state=Gate.State.REMOVED)
        .select_related("strategy__lead_organisation", "body__organisation", "meeting__body")
        .order_by("strategy__title", "strategy_id", "position")
    )
    decisions: dict[int, list[Decision]] = defaultdict(list)
    for decision in (
        Decision.objects.filter(gate__strategy__in=filtering.strategies)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    ):
        decisions[decision.gate_id].append(decision)
    http = HttpResponse(content_type="text/csv; charset=utf-8")
    http["Content-Disposition"] = (
        f'attachment; filename="waymark-gates-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    writer = csv.writer(http)
    writer.writerow(CSV_HEADER)
    for gate in gates:
        strategy = gate.strategy
        base = [
            strategy.title,
            strategy.slug,
            strategy.lead_organisation.name,
            strategy.get_stage_display(),
            gate.position,
            gate.body.name,
            gate.body.organisation.name,
            gate.get_purpose_display(),
            gate.get_state_display(),
            gate.planned,
            str(gate.meeting) if gate.meeting else "",
            "yes" if gate.key_decision else "",
        ]
        taken = effective_decisions(decisions[gate.pk])
        for decision in taken or [None]:
            if decision is None:
                row = base + [""] * 7
            else:
                row = base + [
                    decision.decided_on.isoformat(),
                    decision.get_outcome_display(),
                    decision.resolution,
                    decision.reasons,
                    "yes" if decision.corrects_id else "",
                    decision.published_on.isoformat() if decision.published_on else "",
                    decision.recorded_by.display_name,
                ]
            writer.writerow([neutralise(value) for value in row])
    return http
