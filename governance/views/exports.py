"""Governance downloads: the CSV of gates and decisions across the strategies a user may read
(filtered like the approval timeline). Every date column writes a date in one form for each
precision (dates.iso): a day 2017-09-13, a month 2017-09, a quarter 2017-Q3, a season in words
(summer 2017); a period joins its ends with a solidus (2021-10-13/2021-12-03)."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, F, OuterRef, QuerySet, prefetch_related_objects
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from strategies.models import partner_links_prefetch
from strategies.spreadsheets import neutralise

from ..dates import iso
from ..deadlines import note_call_in, recorded_call_in
from ..filters import filter_strategies
from ..gate_runs import GateRun, runs_at
from ..models import CallIn, Decision, Gate, Purpose, effective_decisions
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
    # When it is planned, at the plan's precision (empty while not yet set); for a consultation
    # gate, when its window runs or ran, opening to closing day (2021-10-13/2021-12-03).
    "planned",
    # The meeting's body and day: "Cabinet — 2017-09-13" (or "— 2017-09" when only the month).
    "meeting",
    "key decision",
    "Forward Plan reference",
    "agenda item",
    "report number",
    # Each decision's: "decided on" is a day (2017-09-13), or a month (2017-03) when the minutes
    # give only the month. A consultation gate's row gives its window's record here instead: the
    # day it closed, how many responded ("23 responses", "412 responses reported", "number of
    # responses not on record") as the outcome, its result in full as the resolution, and who
    # recorded it, from where, when it was recorded after the fact.
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
    # For an executive decision called in: the day it was called in; what came of it (the body
    # that heard it, the day); who called it in. A decision called in and referred back keeps its
    # row, on the gate taken off the route for it ("Removed: called in and referred back…"),
    # whose step is left empty; the gate that decides it again follows as a gate of its own.
    "call-in",
]
DECISION_COLUMNS = len(CSV_HEADER) - CSV_HEADER.index("decided on")


@login_required
@require_GET
def gates_csv(request: HttpRequest) -> StreamingHttpResponse:
    """One row per gate and decision (a gate not yet decided has one row without a decision),
    for the strategies the user may read; removed gates are left out, except a gate whose
    decision was called in and referred back, which was taken off the route to be decided
    again. Streamed a batch of strategies at a time (BATCH), each with its whole route: memory
    holds one batch, and each batch takes a fixed number of queries."""
    filtering = filter_strategies(request.user, request.GET)
    http = StreamingHttpResponse(
        _lines(filtering.strategies), content_type="text/csv; charset=utf-8"
    )
    http["Content-Disposition"] = (
        f'attachment; filename="waymark-gates-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return http


# Strategies read at once: a gate's number and its strategy's stage need the whole route.
BATCH = 200


class _Line:
    """A file that hands back what is written to it, for csv.writer to make one line."""

    def write(self, value: str) -> str:
        return value


def _lines(strategies: QuerySet) -> Iterator[str]:
    """The header, then each batch's rows, in the order of the strategies' titles."""
    writer = csv.writer(_Line())
    yield writer.writerow(CSV_HEADER)
    ids = strategies.prefetch_related(None).order_by("title", "pk").values_list("pk", flat=True)
    chunks = ids.iterator(chunk_size=BATCH)
    while batch := list(islice(chunks, BATCH)):
        for row in _rows(batch):
            yield writer.writerow([neutralise(value) for value in row])


def _rows(batch: list[int]) -> Iterator[list]:
    """The rows of the strategies `batch`, in a fixed number of queries."""
    gates: dict[int, Gate] = {}
    waits: dict[int, set[int]] = defaultdict(set)
    for gate in (
        Gate.objects.filter(strategy_id__in=batch)
        .annotate(referred_back=Exists(REFERRED_BACK.filter(decision__gate=OuterRef("pk"))))
        .exclude(state=Gate.State.REMOVED, referred_back=False)
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
        Decision.objects.filter(gate__strategy_id__in=batch)
        .select_related(
            "recorded_by",
            "executive_response__body",
            "call_in__heard_by",
            "corrects__call_in__heard_by",
        )
        .order_by("recorded_at", "pk")
    ):
        decisions[decision.gate_id].append(decision)
        if decision.gate_id in gates:  # not a removed gate's, unless referred back
            decision.gate = gates[decision.gate_id]
    # When each consultation gate's window runs and what came of it (none without such a gate).
    runs = runs_at(pk for pk, gate in gates.items() if gate.purpose == Purpose.CONSULT)
    # Each strategy's stage as the pages name it ("Adopted, subject to call-in"), from the
    # decisions read, at the gates on the route; one strategy object for each, as the gates
    # carry a copy each.
    strategies = {route[0].strategy_id: route[0].strategy for route in routes.values()}
    live = {pk for pk, gate in gates.items() if gate.state != Gate.State.REMOVED}
    read = [d for ds in decisions.values() for d in ds if d.gate_id in live]
    stages = {s.pk: s.stage_label for s in note_call_in(strategies.values(), decisions=read)}
    # Each strategy's leads as every page names them, joint leads included, in one query.
    prefetch_related_objects(list(strategies.values()), partner_links_prefetch())
    leads = {pk: strategy.leads_named for pk, strategy in strategies.items()}
    for gate in gates.values():
        strategy = gate.strategy
        taken = effective_decisions(decisions[gate.pk])
        response = response_read(decisions[gate.pk])
        run = runs.get(gate.pk)
        meeting = gate.meeting
        base = [
            strategy.title,
            strategy.slug,
            leads[strategy.pk],
            stages[strategy.pk],
            numbers.get(gate.pk, ""),  # none for a gate taken off the route
            gate.body.name,
            gate.body.organisation.name,
            gate.get_purpose_display(),
            _state_cell(gate, taken[-1] if taken else None),
            (run and run.iso_span) or iso(gate.planned_date, gate.planned_precision),
            f"{meeting.body} — {iso(meeting.local_day, meeting.date_precision)}" if meeting else "",
            "yes" if gate.key_decision else "",
            gate.forward_plan_reference,
            gate.agenda_item,
            gate.report_number,
        ]
        for decision in taken or [None]:
            if decision is None:
                yield base + (_run_cells(run) if run else [""] * DECISION_COLUMNS)
            else:
                yield base + [
                    iso(decision.decided_on, decision.decided_precision),
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


# The call-ins whose decision is referred back to the decision maker, its gate taken off the
# route for a new one (workflow.call_ins._decide_again): the CSV keeps that gate's row.
REFERRED_BACK = CallIn.objects.filter(outcome=CallIn.Outcome.REFERRED_BACK)


def _state_cell(gate: Gate, decision: Decision | None) -> str:
    """The gate's state as the route names it, or for a gate taken off the route because its
    decision was called in and referred back, that."""
    if gate.state == Gate.State.REMOVED and gate.referred_back:
        return "Removed: called in and referred back, to be decided again at a new gate"
    return gate_state_label(gate, decision)


def _run_cells(run: GateRun) -> list[str]:
    """A consultation gate's record where a decision's would be: the day its window closed,
    how many responded, its result, and who recorded it after the fact and from where."""
    cells = dict.fromkeys(CSV_HEADER[-DECISION_COLUMNS:], "")
    if run.closed:
        cells["decided on"] = iso(run.closes_on, run.precision)
    cells["outcome"] = run.outcome
    cells["resolution"] = run.result
    cells["recorded by"] = run.recorded_by
    cells["recorded after the fact from"] = run.recorded_from
    return list(cells.values())


def _response_cell(decision: Decision, response) -> str:
    """The executive's response to comments or recommendations, or that it is awaited."""
    if decision.outcome not in COMMENTING:
        return ""
    if response is None:
        return "awaiting the executive's response"
    return f"{response.body.name}, {response.responded_on.isoformat()}: {response.response}"


def _call_in_cell(decision: Decision) -> str:
    """ "2023-04-12; Referred to full council (Scrutiny Committee, 2023-04-20); called in by
    Councillors Ali and Jennings", or "" when it was not called in."""
    row = recorded_call_in(decision)
    if row is None:
        return ""
    called = row.called_in_on.isoformat() if row.called_in_on else "day not on record"
    cell = f"{called}; {row.get_outcome_display()}"
    if row.heard_by_id:
        heard = row.heard_on.isoformat() if row.heard_on else "day not on record"
        cell += f" ({row.heard_by.name}, {heard})"
    return f"{cell}; called in by {row.called_in_by}"
