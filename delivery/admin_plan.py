"""Milestones and progress updates in the admin. They go through the same rules as the browser:
each form asks delivery.plan what the browser's forms ask (who may change the plan now, and what
each thing must be), with the same message beside the same field, and each save is the
workflow's move (a milestone saved or removed, an update recorded or corrected with the
reason). Updates are never deleted: they are the record of delivery, corrected instead."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.urls import reverse

from governance.workflow import WorkflowError
from strategies.admin_base import HistoryAdmin, VersionedAdmin
from strategies.models import Action

from . import plan
from .models import Milestone, ProgressUpdate
from .plan_forms import RuledForm, reason_field


def _action_choices(form: forms.ModelForm) -> None:
    """Actions of different strategies may share a title: each with its strategy."""
    field = form.fields.get("action")
    if field is not None:
        field.queryset = Action.objects.select_related("objective__priority__strategy")
        field.label_from_instance = lambda a: f"{a.title} ({a.objective.priority.strategy})"


class MilestoneAdminForm(RuledForm, forms.ModelForm):
    reason = reason_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _action_choices(self)

    def problems(self, milestone):
        return plan.milestone_problems(milestone)

    def refusal(self, milestone):
        if not milestone.action_id:
            return None
        return plan.milestone_refusal(self.acting_user, plan.strategy_of(milestone.action))


class UpdateAdminForm(RuledForm, forms.ModelForm):
    reason = reason_field(label="Reason (needed for a correction)")
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _action_choices(self)
        if self.instance.pk is None:
            self.fields.pop("seen", None)
        elif not self.is_bound:
            self.initial["seen"] = plan.latest_history_id(self.instance)

    def _strategy(self, update):
        return plan.strategy_of(update.action) if update.action_id else None

    def problems(self, update):
        problems = []
        reason = self.cleaned_data.get("reason", "")
        if self.instance.pk and (problem := plan.correction_reason_problem(reason)):
            problems.append(problem)
        strategy = self._strategy(update)
        return problems + (plan.update_problems(update, strategy) if strategy else [])

    def refusal(self, update):
        strategy = self._strategy(update)
        return plan.update_refusal(self.acting_user, strategy) if strategy else None


class RefusedAsMessage:
    """A move refused between the form's check and the save (someone else moved first) is a
    message on the form's page, not an error page; deletes go one at a time, each asked first."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user  # a class made for this request
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as refusal:  # the transaction is rolled back: nothing was saved
            self.message_user(request, refusal.message, messages.ERROR)
            return redirect(request.get_full_path())

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Milestone)
class MilestoneAdmin(RefusedAsMessage, VersionedAdmin):
    form = MilestoneAdminForm
    fields = ["action", "title", "due_on", "completed_on", "reason"]
    list_display = ["title", "action", "due_on", "completed_on"]
    list_filter = ["action__objective__priority__strategy"]
    list_select_related = ["action"]
    search_fields = ["title", "action__title"]

    def get_readonly_fields(self, request, obj=None):
        return ["action"] if obj else []  # a milestone stays with its action

    def save_model(self, request, obj, form, change):
        plan.save_milestone(obj, request.user, form.cleaned_data.get("reason", ""))

    def _refusal(self, request, obj) -> str | None:
        return plan.milestone_refusal(
            request.user, plan.strategy_of(obj.action)
        ) or plan.removal_refusal(obj)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and (refusal := self._refusal(request, obj)):
            self.message_user(request, refusal, messages.ERROR)
            return redirect(reverse("admin:delivery_milestone_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        plan.remove_milestone(obj, request.user, "Removed in the admin")


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(RefusedAsMessage, HistoryAdmin):
    form = UpdateAdminForm
    guards_its_own_edits = True  # the history row seen, compared by plan.correct_update
    list_display = ["action", "as_of", "status", "rag", "recorded_by"]
    list_filter = ["status", "rag", "action__objective__priority__strategy"]
    list_select_related = ["action", "recorded_by"]
    search_fields = ["action__title", "commentary"]

    def get_fields(self, request, obj=None):
        fields = ["as_of", "status", "rag", "commentary", "reason"]
        return ["action", *fields, "seen", "recorded_by", "recorded_at"] if obj else [
            "action", *fields
        ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return ["action", "recorded_by", "recorded_at"] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record of delivery: corrected, with the reason, never deleted

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("reason", "")
        if not change:
            plan.record_update(obj, request.user, reason)
        elif set(form.changed_data) - {"reason", "seen"}:
            plan.correct_update(obj, request.user, reason, seen=form.cleaned_data.get("seen"))
