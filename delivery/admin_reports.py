"""Progress reports in the admin, under the same rules as the browser: a save is
delivery.reports' move (who may write it now, its period), refused beside the same field; a
sent report is read-only (it stays as it was sent) and reports are never deleted here, since a
sent one is part of the record and a draft's gate is on the route."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from strategies.admin_base import VersionedAdmin

from . import reports
from .admin_plan import RefusedAsMessage
from .models import ProgressReport
from .plan_forms import RuledForm, reason_field


class ProgressReportAdminForm(RuledForm, forms.ModelForm):
    reason = reason_field()

    def problems(self, report):
        if not report.strategy_id:
            return []
        return reports.period_problems(
            report.strategy, report.covers_from, report.covers_to, report.pk
        )

    def refusal(self, report):
        if not report.strategy_id:
            return None
        if report.pk is None:
            return reports.start_refusal(self.acting_user, report.strategy)
        return reports.edit_refusal(self.acting_user, report)


@admin.register(ProgressReport)
class ProgressReportAdmin(RefusedAsMessage, VersionedAdmin):
    form = ProgressReportAdminForm
    list_display = ["title", "strategy", "covers_from", "covers_to", "sent_at"]
    list_filter = ["strategy"]
    list_select_related = ["strategy"]
    search_fields = ["title", "strategy__title"]
    fields = [
        "strategy", "title", "covers_from", "covers_to", "summary", "recommendations",
        "commentary", "risks", "next_steps", "reason",
    ]  # fmt: skip
    readonly_fields = ["gate", "prepared_by", "created_at", "sent_at"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.sent_at is not None:
            return [f for f in self.fields if f != "reason"] + self.readonly_fields
        # The hidden version travels with a report still being written (VersionedAdmin).
        return [*self.fields, *(self.readonly_fields if obj else []), "version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.sent_at is not None:
            return [f for f in self.fields if f != "reason"] + self.readonly_fields
        return ["strategy", *self.readonly_fields]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.sent_at is not None:
            return False  # sent: it stays as it was sent
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("reason", "")
        if not change:
            saved = reports.start_report(
                obj.strategy, request.user, obj.title, obj.covers_from, obj.covers_to, reason
            )
            for name in ("summary", "recommendations", "commentary", "risks", "next_steps"):
                setattr(saved, name, getattr(obj, name))
            obj.pk, obj.version = saved.pk, saved.version
            reports.save_report(saved, request.user, reason)
        else:
            reports.save_report(obj, request.user, reason)
