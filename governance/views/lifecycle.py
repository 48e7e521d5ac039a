"""A strategy's moves after publication, each on a page of its own (offered on the route page):
into delivery, its review date, under review and back, and a refresh. The page shows what the
move's check says and, when the move refuses, the form again with what was typed and the
refusal beside its field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from strategies import access as strategy_access
from strategies.models import Strategy

from .. import lifecycle_forms as forms
from .. import workflow
from ..workflow import WorkflowError
from .common import add_refusal


@dataclass(frozen=True)
class Move:
    title: str
    intro: str
    submit: str
    form: type
    refusal: Any  # (user, strategy) -> str | None
    make: Any  # (strategy, user, cleaned data) -> message, or a Strategy to go to


def _refresh(strategy, user, data) -> Strategy:
    return workflow.start_refresh(
        strategy, user, data["title"], data["start_year"], data["end_year"], data["reason"]
    )


MOVES = {
    "start-delivery": Move(
        "Move into delivery",
        "The published strategy is being delivered. Give the day it is due for review.",
        "Move into delivery",
        forms.StartDeliveryForm,
        workflow.start_delivery_refusal,
        lambda s, u, d: (
            workflow.start_delivery(s, u, d["review_due_on"], d["reason"])
            or "The strategy is in delivery."
        ),
    ),
    "review-date": Move(
        "Set the review date",
        "Set or move the day the strategy is due for review, and say why.",
        "Save the review date",
        forms.ReviewDateForm,
        workflow.set_review_date_refusal,
        lambda s, u, d: (
            workflow.set_review_date(s, u, d["review_due_on"], d["reason"])
            or "The review date is saved."
        ),
    ),
    "start-review": Move(
        "Start the review",
        "The strategy goes under review: its text opens for change (the published text stays "
        "on the public page and is kept as a revision). End the review unchanged, take changes "
        "through the route, or start a refresh.",
        "Start the review",
        forms.StartReviewForm,
        workflow.start_review_refusal,
        lambda s, u, d: (
            workflow.start_review(s, u, d["reason"]) and "The strategy is under review."
        ),
    ),
    "end-review": Move(
        "End the review, keeping the strategy",
        "The review found the strategy still right: it goes back into delivery unchanged, with "
        "the day of its next review.",
        "End the review",
        forms.EndReviewForm,
        workflow.end_review_refusal,
        lambda s, u, d: (
            workflow.end_review(s, u, d["review_due_on"], d["reason"])
            or "The review has ended; the strategy is back in delivery."
        ),
    ),
    "refresh": Move(
        "Start a refresh",
        "A new draft strategy that will replace this one, starting from a copy of its "
        "priorities, objectives, actions, indicators, evidence and partners. This strategy stays "
        "as it is until the refresh is adopted; then it is marked superseded.",
        "Start the refresh",
        forms.RefreshForm,
        workflow.start_refresh_refusal,
        _refresh,
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def lifecycle_move(request: HttpRequest, slug: str, move: str) -> HttpResponse:
    if move not in MOVES:
        raise Http404("No such move.")
    step = MOVES[move]
    strategy = strategy_access.get_visible_strategy(request.user, slug)
    if refusal := workflow.planner_refusal(request.user, strategy):
        raise PermissionDenied(refusal)
    kwargs = {"strategy": strategy} if step.form is forms.RefreshForm else {}
    form = step.form(request.POST or None, **kwargs)
    refusal = step.refusal(request.user, strategy)
    status = 200
    if request.method == "POST" and refusal is None:
        if form.is_valid():
            try:
                done = step.make(strategy, request.user, form.cleaned_data)
            except WorkflowError as refused:
                add_refusal(form, refused)
            else:
                if isinstance(done, Strategy):
                    messages.success(
                        request, f"“{done.title}” started as a refresh of “{strategy.title}”."
                    )
                    return redirect(done)
                messages.success(request, done)
                return redirect("governance:route", slug=strategy.slug)
        status = 400
    return render(
        request,
        "governance/lifecycle_form.html",
        {"strategy": strategy, "form": form, "move": step, "refusal": refusal},
        status=status if refusal is None else 409 if request.method == "POST" else 200,
    )
