"""A strategy's delivery plan: its Delivery tab (every action by priority and objective, with
its latest update, trend and milestones, the counts, filters and what changed since a day),
each action's page (its updates newest first, its milestones), and the forms of those who keep
the plan (delivery/plan.py decides who and when; the pages offer what it allows)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.views.common import add_refusal
from governance.workflow import WorkflowError
from strategies import access
from strategies.forms import DateInput
from strategies.models import Action, Strategy

from .. import plan, progress
from ..models import Milestone, ProgressUpdate
from ..plan_forms import CorrectionForm, MilestoneForm, UpdateForm, reason_field

# How far back "what changed" looks when no day is given.
CHANGES_DAYS = 90


class FilterForm(forms.Form):
    rag = forms.ChoiceField(
        label="RAG rating",
        required=False,
        choices=[
            ("", "Any"),
            *((value, f"{label} ({progress.RAG_MEANING[value].lower()})")
              for value, label in Action.Rag.choices),
            ("none", "Not rated"),
        ],
    )  # fmt: skip
    overdue = forms.BooleanField(label="Overdue only", required=False)
    lead = forms.IntegerField(
        label="Lead organisation", required=False, min_value=1, max_value=2**31 - 1
    )
    since = forms.DateField(label="What changed since", required=False, widget=DateInput())


def _action(strategy: Strategy, pk: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("lead_organisation", "objective__priority"),
        pk=pk,
        objective__priority__strategy=strategy,
    )


def _may(refusal: str | None) -> None:
    if refusal:
        raise PermissionDenied(refusal)


@login_required
@require_GET
def delivery_plan(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = access.get_visible_strategy(request.user, slug)
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    since = chosen.get("since") or today - datetime.timedelta(days=CHANGES_DAYS)
    return render(
        request,
        "delivery/plan.html",
        {
            "strategy": strategy,
            "tab": "delivery",
            "filters": filters,
            "plan": progress.delivery_plan(
                strategy,
                today,
                rag=chosen.get("rag") or None,
                overdue_only=bool(chosen.get("overdue")),
                lead=chosen.get("lead"),
            ),
            "changes": progress.changes_since(strategy, since),
            "meaning": progress.RAG_MEANING,
            "can_plan": plan.milestone_refusal(request.user, strategy) is None,
        },
    )


def _action_page(request, strategy, action, update_form=None, milestone_form=None) -> HttpResponse:
    user = request.user
    may_milestones = plan.milestone_refusal(user, strategy) is None
    update_refusal = plan.update_refusal(user, strategy)
    row = progress.action_history(action)
    corrected = set(
        ProgressUpdate.history.filter(action_id=action.pk, history_type="~").values_list(
            "id", flat=True
        )
    )
    if update_refusal is None and update_form is None:
        update_form = UpdateForm(
            strategy=strategy,
            initial={"as_of": timezone.localdate(), "status": action.status, "rag": action.rag},
        )
    if may_milestones and milestone_form is None:
        milestone_form = MilestoneForm(instance=Milestone(action=action))
    return render(
        request,
        "delivery/action.html",
        {
            "strategy": strategy,
            "tab": "delivery",
            "row": row,
            "action": action,
            "corrected": corrected,
            "may_milestones": may_milestones,
            "may_update": update_refusal is None,
            # Said to those who keep the plan, not to readers, who are simply shown it.
            "update_refusal": update_refusal if may_milestones else None,
            "update_form": update_form,
            "milestone_form": milestone_form,
            "meaning": progress.RAG_MEANING,
        },
    )


@login_required
@require_GET
def action_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy = access.get_visible_strategy(request.user, slug)
    return _action_page(request, strategy, _action(strategy, pk))


@login_required
@require_POST
def add_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy = access.get_visible_strategy(request.user, slug)
    action = _action(strategy, pk)
    _may(plan.update_refusal(request.user, strategy))
    form = UpdateForm(request.POST, instance=ProgressUpdate(action=action), strategy=strategy)
    if form.is_valid():
        try:
            plan.record_update(form.save(commit=False), request.user)
        except WorkflowError as refusal:  # the strategy moved on a moment ago
            add_refusal(form, refusal)
        else:
            messages.success(request, "Progress update recorded.")
            return redirect("delivery:action", slug=strategy.slug, pk=action.pk)
    return _action_page(request, strategy, action, update_form=form)


@login_required
@require_POST
def add_milestone(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy = access.get_visible_strategy(request.user, slug)
    action = _action(strategy, pk)
    _may(plan.milestone_refusal(request.user, strategy))
    form = MilestoneForm(request.POST, instance=Milestone(action=action))
    if form.is_valid():
        try:
            plan.save_milestone(form.save(commit=False), request.user, form.cleaned_data["reason"])
        except WorkflowError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Milestone added.")
            return redirect("delivery:action", slug=strategy.slug, pk=action.pk)
    return _action_page(request, strategy, action, milestone_form=form)


def _milestone(request, slug: str, pk: int) -> tuple[Strategy, Milestone]:
    strategy = access.get_visible_strategy(request.user, slug)
    milestone = get_object_or_404(
        Milestone.objects.select_related("action"),
        pk=pk,
        action__objective__priority__strategy=strategy,
    )
    _may(plan.milestone_refusal(request.user, strategy))
    return strategy, milestone


def _back(strategy: Strategy, action_id: int) -> str:
    return reverse("delivery:action", kwargs={"slug": strategy.slug, "pk": action_id})


@login_required
@require_http_methods(["GET", "POST"])
def edit_milestone(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy, milestone = _milestone(request, slug, pk)
    if request.method == "POST":
        with transaction.atomic():  # the version check and the save together
            form = MilestoneForm(request.POST, instance=milestone)
            if form.is_valid():
                try:
                    plan.save_milestone(
                        form.save(commit=False), request.user, form.cleaned_data["reason"]
                    )
                except WorkflowError as refusal:
                    add_refusal(form, refusal)
                else:
                    messages.success(request, f"Milestone “{milestone.title}” saved.")
                    return redirect(_back(strategy, milestone.action_id))
    else:
        form = MilestoneForm(instance=milestone)
    return render(
        request,
        "delivery/milestone_form.html",
        {"strategy": strategy, "milestone": milestone, "form": form,
         "back": _back(strategy, milestone.action_id)},
    )  # fmt: skip


@login_required
@require_POST
def complete_milestone(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy, milestone = _milestone(request, slug, pk)
    try:
        plan.complete_milestone(milestone, request.user)
    except WorkflowError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Milestone “{milestone.title}” marked complete today.")
    return redirect(_back(strategy, milestone.action_id))


class RemoveForm(forms.Form):
    reason = reason_field()


@login_required
@require_http_methods(["GET", "POST"])
def remove_milestone(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy, milestone = _milestone(request, slug, pk)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan.remove_milestone(milestone, request.user, form.cleaned_data["reason"])
        except WorkflowError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, f"Milestone “{milestone.title}” removed.")
        return redirect(_back(strategy, milestone.action_id))
    return render(
        request,
        "delivery/milestone_remove.html",
        {"strategy": strategy, "milestone": milestone, "form": form,
         "refusal": plan.removal_refusal(milestone),
         "back": _back(strategy, milestone.action_id)},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def correct_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy = access.get_visible_strategy(request.user, slug)
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("action", "recorded_by"),
        pk=pk,
        action__objective__priority__strategy=strategy,
    )
    _may(plan.update_refusal(request.user, strategy))
    back = _back(strategy, update.action_id)
    saved = ProgressUpdate.objects.select_related("recorded_by").get(pk=update.pk)  # as stored
    form = CorrectionForm(request.POST or None, instance=update, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            plan.correct_update(
                form.save(commit=False),
                request.user,
                form.cleaned_data["reason"],
                seen=form.cleaned_data.get("seen"),
            )
        except WorkflowError as refusal:
            add_refusal(form, refusal)
            # What is saved now is shown beside the form; saving again after reading it is
            # deliberate, so the form now remembers the newest correction.
            form.data = form.data.copy()
            form.data["seen"] = plan.latest_history_id(saved)
        else:
            messages.success(request, "Progress update corrected.")
            return redirect(back)
    return render(
        request,
        "delivery/update_form.html",
        {"strategy": strategy, "saved": saved, "form": form, "back": back},
    )
