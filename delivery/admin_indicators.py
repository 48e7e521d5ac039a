"""Indicator values and their imports in the admin. A value is added, corrected and removed
through delivery/indicators.py, as in the browser: the same refusals (beside the form, never a
500), the same history, the indicator's latest value following. Imports are records: read here,
never changed."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from strategies.admin_base import HistoryAdmin, ReadOnlyMixin

from . import indicators
from .models import IndicatorValue, IndicatorValueImport

FIELDS = ["indicator", *indicators.EDITABLE]


class ValueAdminForm(forms.ModelForm):
    # The value as it was read when the page was opened (delivery.indicators.fingerprint).
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = IndicatorValue
        fields = FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["fingerprint"] = indicators.fingerprint(self.instance)

    def clean(self):
        cleaned = super().clean()
        indicator = cleaned.get("indicator")
        if indicator is not None and (refusal := indicators.value_refusal(self.user, indicator)):
            self.add_error(None, refusal)
        for name in ("value", "lower_ci", "upper_ci"):
            if problem := indicators.figure_problem(cleaned.get(name)):
                self.add_error(name, problem)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        for name, message in indicators.value_problems(self.instance).items():
            self.add_error(name if name in self.fields else None, message)

    def validate_unique(self):
        return  # value_problems says it in words, beside the period

    def validate_constraints(self):
        return  # as above: value_problems checks the period and the interval


@admin.register(IndicatorValue)
class IndicatorValueAdmin(HistoryAdmin):
    form = ValueAdminForm
    guards_its_own_edits = True  # its fingerprint, compared by indicators.correct_value
    fields = [*FIELDS, "fingerprint", "imported_from"]
    readonly_fields = ["imported_from"]
    list_display = ["indicator", "period", "value", "lower_ci", "upper_ci", "source"]
    list_filter = ["indicator__strategy"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__title", "indicator__code", "period", "source"]
    autocomplete_fields = ["indicator"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = FIELDS + ["fingerprint"]
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the rules
        return actions

    def save_model(self, request, obj, form, change):
        figures = {name: form.cleaned_data.get(name) for name in indicators.EDITABLE}
        try:
            if change:
                stored = IndicatorValue.objects.get(pk=obj.pk)
                saved = indicators.correct_value(
                    stored,
                    request.user,
                    form.cleaned_data.get("fingerprint", ""),
                    "Corrected in the admin",
                    **figures,
                )
            else:
                saved = indicators.add_value(
                    form.cleaned_data["indicator"], request.user, "Added in the admin", **figures
                )
        except indicators.WorkflowError as refusal:
            # Only a change made meanwhile by someone else reaches here (the form asked first).
            self.message_user(request, refusal.message, messages.ERROR)
            return
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return super().has_delete_permission(request, obj) and not indicators.value_refusal(
            request.user, obj.indicator
        )

    def delete_model(self, request, obj):
        try:
            indicators.remove_value(
                obj, request.user, indicators.fingerprint(obj), "Removed in the admin"
            )
        except indicators.WorkflowError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)


@admin.register(IndicatorValueImport)
class IndicatorValueImportAdmin(ReadOnlyMixin, HistoryAdmin):
    """Each import of a file, with what it added and changed: a record, never edited."""

    list_display = ["file_name", "indicator", "imported_at", "imported_by", "added", "changed"]
    list_filter = ["indicator__strategy"]
    list_select_related = ["indicator", "imported_by"]
    search_fields = ["file_name", "sha256", "indicator__title"]
    date_hierarchy = "imported_at"
