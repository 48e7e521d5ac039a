"""Decisions: recording a body's decision at a gate, reading a decision with what changed in
the text since the one before, and correcting a decision's record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from strategies import access as strategy_access
from strategies.revisions import compare

from .. import access, workflow
from ..deadlines import call_in, recorded_call_in
from ..forms import CorrectionForm, DecisionForm
from ..models import Decision, Gate
from ..workflow import WorkflowError
from .common import add_refusal


@login_required
@require_http_methods(["GET", "POST"])
def record_decision(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_secretary_role(request.user)
    gate = get_object_or_404(
        Gate.objects.select_related(
            "strategy", "body", "meeting", "meeting__body"
        ).with_waits_for(),
        pk=pk,
    )
    # A gate of a strategy this person cannot read does not exist for them.
    strategy_access.get_visible_strategy(request.user, gate.strategy.slug)
    if not workflow.is_secretary_of(request.user, gate.body):
        raise PermissionDenied(f"Only a secretary of the {gate.body} records its decisions.")
    if request.method == "GET" and not gate.is_open:  # e.g. Back after recording it
        decision = gate.decisions.order_by("-recorded_at", "-pk").first()
        if decision is None:
            raise PermissionDenied(f"This gate is {gate.get_state_display().lower()}.")
        messages.info(request, "This gate has been decided: here is the decision.")
        return redirect(decision)
    form = DecisionForm(request.POST or None, gate=gate)
    if request.method == "POST" and form.is_valid():
        try:
            decision = workflow.record_decision(gate, request.user, **form.cleaned_data)
            messages.success(request, f"Decision recorded: {decision.get_outcome_display()}.")
            return redirect(decision)
        except WorkflowError as refusal:
            add_refusal(form, refusal)
    return render(
        request,
        "governance/decision_form.html",
        {
            "gate": gate,
            "form": form,
            # A meeting still to come: its decision can be recorded from its day.
            "not_yet": workflow.decision_day_refusal(gate),
            "waiting": gate.waiting_for,
        },
    )


def _call_in_text(decision: Decision) -> str:
    period = call_in(decision)
    return period.message(timezone.localdate()) if period else ""


def _call_in_offers(user, decision: Decision) -> dict:
    """The call-in recorded of the decision, and what the page offers to record about it."""
    row = recorded_call_in(decision)
    return {
        "call_in_row": row,
        "can_call_in": row is None and workflow.record_call_in_refusal(user, decision) is None,
        "can_record_call_in_outcome": row is not None
        and workflow.record_call_in_outcome_refusal(user, row) is None,
    }


def _visible_decision(request, pk) -> Decision:
    decision = get_object_or_404(
        Decision.objects.select_related(
            "gate__strategy",
            "gate__body__organisation",
            "meeting__body",
            "revision",
            "recorded_by",
            "corrects",
            "corrected_by",
        ),
        pk=pk,
    )
    strategy_access.get_visible_strategy(request.user, decision.gate.strategy.slug)
    return decision


def _response_context(user, decision: Decision) -> dict:
    """The executive's response to comments or recommendations, and whether `user` may record
    it (governance/workflow/scrutiny.py); nothing for any other decision."""
    if decision.outcome not in workflow.COMMENTING:
        return {}
    response = workflow.response_to(decision)
    return {
        "response": response,
        "can_respond": response is None
        and workflow.executive_response_refusal(user, decision) is None,
    }


def _approved_parts(decision: Decision) -> list[dict]:
    """The priorities the decision approved, with what has become of each since."""
    return [
        {"part": part, "current": current, "state": state}
        for part, current, state in workflow.parts_since(decision)
    ]


def _papers_context(user, decision: Decision) -> dict:
    """The decision's papers (its documents not withdrawn, newest first, read through the
    reverse accessor the documents app gives it) and whether the page offers to add one: to
    those who keep them, as the add page's check (documents/access.py) has it, the strategy's
    planners and the secretaries of the gate's body, while the strategy's record is open."""
    strategy = decision.gate.strategy
    return {
        "papers": decision.documents.current().order_by("-created_at", "-pk"),
        "can_add_paper": not strategy.route_is_closed
        and (
            workflow.is_planner_of(user, strategy)
            or workflow.is_secretary_of(user, decision.gate.body)
        ),
    }


@login_required
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _visible_decision(request, pk)
    strategy = decision.gate.strategy
    # Decisions are numbered in the order they were recorded.
    previous = (
        Decision.objects.filter(gate__strategy=strategy, pk__lt=decision.pk, corrects__isnull=True)
        .exclude(gate=decision.gate)
        .select_related("revision", "gate__body")
        .order_by("-pk")
        .first()
    )
    changes = []
    if previous and previous.revision_id != decision.revision_id:
        changes = [
            row
            for row in compare(previous.revision, decision.revision)
            if row.status != "unchanged"
        ]
    return render(
        request,
        "governance/decision_detail.html",
        {
            "decision": decision,
            "strategy": strategy,
            "previous": previous,
            "changes": changes,
            "can_correct": workflow.correct_decision_refusal(request.user, decision) is None,
            "call_in": _call_in_text(decision),
            "approved_parts": _approved_parts(decision),
            **_response_context(request.user, decision),
            **_call_in_offers(request.user, decision),
            **_papers_context(request.user, decision),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct_decision(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _visible_decision(request, pk)
    if not workflow.is_secretary_of(request.user, decision.gate.body):
        raise PermissionDenied(
            f"Only a secretary of the {decision.gate.body} corrects its decisions."
        )
    form = CorrectionForm(request.POST or None, decision=decision)
    if request.method == "POST" and form.is_valid():
        try:
            correction = workflow.correct_decision(decision, request.user, **form.cleaned_data)
            messages.success(request, "Correction recorded; the original stays on record.")
            return redirect(correction)
        except WorkflowError as refusal:
            add_refusal(form, refusal)
    return render(request, "governance/correction_form.html", {"decision": decision, "form": form})
