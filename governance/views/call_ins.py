"""Call-ins: recording that an executive decision was called in, and what came of it. Each page
is offered when the move's check allows it (governance.workflow.call_ins), and asks it again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from strategies import access as strategy_access

from .. import workflow
from ..call_in_forms import CallInForm, CallInOutcomeForm
from ..models import CallIn, Decision
from ..workflow import WorkflowError
from .common import add_refusal


def _visible(request, decision: Decision) -> None:
    strategy_access.get_visible_strategy(request.user, decision.gate.strategy.slug)


@login_required
@require_http_methods(["GET", "POST"])
def record_call_in(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        Decision.objects.select_related("gate__strategy", "gate__body__organisation", "corrects"),
        pk=pk,
    )
    _visible(request, decision)
    if refusal := workflow.record_call_in_refusal(request.user, decision):
        raise PermissionDenied(refusal)
    form = CallInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.record_call_in(decision, request.user, **form.cleaned_data)
            messages.success(request, "Call-in recorded: the decision waits for its outcome.")
            return redirect(decision)
        except WorkflowError as refusal:
            add_refusal(form, refusal)
    return render(request, "governance/call_in_form.html", {"decision": decision, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def record_call_in_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    call_in = get_object_or_404(
        CallIn.objects.select_related(
            "decision__gate__strategy", "decision__gate__body__organisation"
        ),
        pk=pk,
    )
    decision = call_in.decision
    _visible(request, decision)
    if refusal := workflow.record_call_in_outcome_refusal(request.user, call_in):
        raise PermissionDenied(refusal)
    form = CallInOutcomeForm(request.POST or None, call_in=call_in)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.record_call_in_outcome(call_in, request.user, **form.cleaned_data)
            messages.success(request, "What came of the call-in is recorded.")
            return redirect(decision)
        except WorkflowError as refusal:
            add_refusal(form, refusal)
    return render(
        request,
        "governance/call_in_outcome_form.html",
        {"decision": decision, "call_in": call_in, "form": form},
    )
