"""Governance downloads: the CSV of gates and decisions across the strategies a user may read
(filtered like the approval timeline)."""

from __future__ import annotations

import csv
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import F, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from strategies.models import partner_links_prefetch
from strategies.spreadsheets import neutralise

from ..deadlines import note_call_in, recorded_call_in
from ..filters import filter_strategies
from ..models import Decision, Gate, effective_decisions
from ..route import gate_numbers, response_read
from ..workflow import COMMENTING, gate_state_label

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
    "Forward Plan reference",
    "agenda item",
    "report number",
    # Each decision's: "decided on" is a day (2017-09-13), or a month (2017-03) when the minutes
    # give only the month.
    "decided on",
    "outcome",
    "minute reference",
    "resolution",
    "reasons",
    "corrected",
    "decision notice published on",
    "decision notice reference",
    "recorded by",
    "recorded after the fact from",
    # For comments or recommendations: who responded for the executive, when, and what it said.
    "executive response",
    # For an executive decision called in: the day it was called in; what came of it.
    "call-in",
]
DECISION_COLUMNS = len(CSV_HEADER) - CSV_HEADER.index("decided on")


@login_required
@require_GET
def gates_csv(request: HttpRequest) -> HttpResponse:
    """One row per gate and decision (a gate not yet decided has one row without a decision),
    for the strategies the user may read; removed gates are left out. A fixed number of queries
    however many rows."""
    filtering = filter_strategies(request.user, request.GET)
    gates: dict[int, Gate] = {}
    waits: dict[int, set[int]] = defaultdict(set)
    for gate in (
        Gate.objects.filter(strategy__in=filtering.strategies)
        .exclude(state=Gate.State.REMOVED)
        .select_related("strategy__lead_organisation", "body__organisation", "meeting__body")
        # What each gate waits for, in the same query (a row for each link), for its number.
        .annotate(waits_on=F("wait_links__to_gate_id"))
        .order_by("strategy__title", "strategy_id", "position")
    ):
        gates.setdefault(gate.pk, gate)
        if gate.waits_on is not None:
            waits[gate.pk].add(gate.waits_on)
    routes: dict[int, list[Gate]] = defaultdict(list)
    for gate in gates.values():
        routes[gate.strategy_id].append(gate)
    numbers = {
        pk: number
        for route in routes.values()
        for pk, number in gate_numbers(route, lambda g: waits[g.pk]).items()
    }
    decisions: dict[int, list[Decision]] = defaultdict(list)
    for decision in (
        Decision.objects.filter(gate__strategy__in=filtering.strategies)
        .select_related(
            "recorded_by",
            "executive_response__body",
            "call_in__heard_by",
            "corrects__call_in__heard_by",
        )
        .order_by("recorded_at", "pk")
    ):
        decisions[decision.gate_id].append(decision)
        if decision.gate_id in gates:  # not a removed gate's
            decision.gate = gates[decision.gate_id]
    # Each strategy's stage as the pages name it ("Adopted, subject to call-in"), from the
    # decisions read; one strategy object for each, as the gates carry a copy each.
    strategies = {route[0].strategy_id: route[0].strategy for route in routes.values()}
    read = [d for ds in decisions.values() for d in ds if d.gate_id in gates]
    stages = {s.pk: s.stage_label for s in note_call_in(strategies.values(), decisions=read)}
    # Each strategy's leads as every page names them, joint leads included, in one query.
    prefetch_related_objects(list(strategies.values()), partner_links_prefetch())
    leads = {pk: strategy.leads_named for pk, strategy in strategies.items()}
    http = HttpResponse(content_type="text/csv; charset=utf-8")
    http["Content-Disposition"] = (
        f'attachment; filename="waymark-gates-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    writer = csv.writer(http)
    writer.writerow(CSV_HEADER)
    for gate in gates.values():
        strategy = gate.strategy
        taken = effective_decisions(decisions[gate.pk])
        response = response_read(decisions[gate.pk])
        base = [
            strategy.title,
            strategy.slug,
            leads[strategy.pk],
            stages[strategy.pk],
            numbers[gate.pk],
            gate.body.name,
            gate.body.organisation.name,
            gate.get_purpose_display(),
            gate_state_label(gate, taken[-1] if taken else None),
            gate.planned,
            str(gate.meeting) if gate.meeting else "",
            "yes" if gate.key_decision else "",
            gate.forward_plan_reference,
            gate.agenda_item,
            gate.report_number,
        ]
        for decision in taken or [None]:
            if decision is None:
                row = base + [""] * DECISION_COLUMNS
            else:
                day = decision.decided_on
                row = base + [
                    day.isoformat() if decision.decided_precision == "day" else f"{day:%Y-%m}",
                    decision.get_outcome_display(),
                    decision.minute_reference,
                    decision.resolution,
                    decision.reasons,
                    "yes" if decision.corrects_id else "",
                    decision.published_on.isoformat() if decision.published_on else "",
                    decision.decision_notice_reference,
                    decision.recorded_by.display_name,
                    decision.recorded_from if decision.recorded_later else "",
                    _response_cell(decision, response),
                    _call_in_cell(decision),
                ]
            writer.writerow([neutralise(value) for value in row])
    return http


def _response_cell(decision: Decision, response) -> str:
    """The executive's response to comments or recommendations, or that it is awaited."""
    if decision.outcome not in COMMENTING:
        return ""
    if response is None:
        return "awaiting the executive's response"
    return f"{response.body.name}, {response.responded_on.isoformat()}: {response.response}"


def _call_in_cell(decision: Decision) -> str:
    """ "2023-04-12; Referred to full council (Scrutiny Committee, 2023-04-20)", or ""."""
    row = recorded_call_in(decision)
    if row is None:
        return ""
    called = row.called_in_on.isoformat() if row.called_in_on else "day not on record"
    cell = f"{called}; {row.get_outcome_display()}"
    if row.heard_by_id:
        heard = row.heard_on.isoformat() if row.heard_on else "day not on record"
        cell += f" ({row.heard_by.name}, {heard})"
    return cell
