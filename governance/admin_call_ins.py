"""The admin's call-ins: a read-only list, an action on the decisions list that records a
call-in of the selected decisions (workflow.record_call_in, as the decision's page does), and an
action that records what came of the selected call-ins through the same move
(workflow.record_call_in_outcome), their refusals coming back as admin messages."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from strategies.admin_base import HistoryAdmin, ReadOnlyMixin
from strategies.forms import DateInput

from . import workflow
from .admin import run_action_with_form
from .admin_bodies import BodyListFilter
from .admin_decisions import DecisionAdmin
from .call_in_forms import CallInForm
from .dates import plausible
from .deadlines import called_in_words
from .models import Body, CallIn


class CallInOutcomeAdminForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[c for c in CallIn.Outcome.choices if c[0] != CallIn.Outcome.PENDING]
    )
    heard_by = forms.ModelChoiceField(queryset=Body.objects.select_related("organisation"))
    heard_on = forms.DateField(
        widget=DateInput(),
        validators=[plausible],
        required=False,
        help_text="Leave empty only when what came of it is not on record and the records do "
        "not give the day.",
    )
    outcome_notes = forms.CharField(widget=forms.Textarea, required=False)
    minute_reference = forms.CharField(max_length=60, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["heard_by"].label_from_instance = lambda body: body.with_organisation


@admin.register(CallIn)
class CallInAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = [
        "decision",
        "called_in_on",
        "called_in_by",
        "outcome",
        "heard_by",
        "heard_on",
        "recorded_later",
    ]
    list_filter = ["outcome", "recorded_later", ("decision__gate__body", BodyListFilter)]
    list_select_related = ["decision__gate__body", "heard_by"]
    search_fields = ["called_in_by", "decision__gate__strategy__title", "minute_reference"]
    actions = ["record_outcome"]

    @admin.action(description="Record what came of the selected call-ins")
    def record_outcome(self, request, queryset):
        def apply(row, data):
            row = workflow.record_call_in_outcome(row, request.user, **data)
            return f"recorded ({row.get_outcome_display()})"

        return run_action_with_form(
            self,
            request,
            queryset.select_related("decision__gate__body__organisation"),
            CallInOutcomeAdminForm,
            title="Record what came of the call-ins",
            intro="Heard by a scrutiny committee of the decision's organisation; once referred "
            "to full council, the council's outcome (no further action or referred back).",
            submit_label="Record the outcome",
            apply=apply,
        )


@admin.action(description="Record a call-in of the selected decisions")
def record_call_in(modeladmin, request, queryset):
    def apply(decision, data):
        row = workflow.record_call_in(decision, request.user, **data)
        return f"{called_in_words(row.called_in_on).lower()} by {row.called_in_by}"

    return run_action_with_form(
        modeladmin,
        request,
        queryset.select_related("gate__body__organisation", "gate__strategy"),
        CallInForm,
        title="Record a call-in",
        intro="Executive decisions only, within their call-in period, or after it from the "
        "council's records (tick “recorded after the fact” and say where from).",
        submit_label="Record the call-in",
        apply=apply,
    )


DecisionAdmin.actions = [*(DecisionAdmin.actions or []), record_call_in]
