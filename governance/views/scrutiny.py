"""The executive's response to a scrutiny committee's comments or recommendations, recorded on
the decision's page (governance.workflow.record_executive_response keeps the rules)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import workflow
from ..response_forms import ExecutiveResponseForm
from ..workflow import WorkflowError
from .common import add_refusal
from .decisions import _visible_decision


@login_required
@require_http_methods(["GET", "POST"])
def record_response(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _visible_decision(request, pk)
    if request.method == "GET" and workflow.response_to(decision) is not None:
        messages.info(request, "The executive's response has been recorded: here it is.")
        return redirect(decision)  # e.g. Back after recording it
    if refusal := workflow.executive_response_refusal(request.user, decision):
        raise PermissionDenied(refusal)
    form = ExecutiveResponseForm(request.POST or None, decision=decision)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.record_executive_response(decision, request.user, **form.cleaned_data)
            messages.success(request, "The executive's response has been recorded.")
            return redirect(decision)
        except WorkflowError as refusal:
            add_refusal(form, refusal)
    return render(request, "governance/response_form.html", {"decision": decision, "form": form})
