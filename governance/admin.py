"""Django admin for governance. Every move is an action that calls governance.workflow; refusals
come back as admin messages. Decisions and transitions are read-only records."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from strategies.admin_base import HistoryAdmin, ReadOnlyMixin

from . import workflow
from .admin_bodies import (
    BodyChoices,
    BodyListFilter,
    BodySecretaryInline,
    body_with_organisation,
)
from .day_and_time import DayAndTimeField
from .forms import DecisionForm, MeetingChecks, ReplanForm
from .models import (
    Body,
    CommitteeReport,
    Gate,
    GateDependency,
    Meeting,
)
from .record_forms import AgendaPlaceFields
from .route_template_forms import ApplyRouteForm


def run_action_with_form(
    modeladmin,
    request,
    queryset,
    form_class,
    *,
    title,
    intro,
    submit_label,
    apply,
    form_kwargs=None,
):
    """Show an intermediate form for an admin action, then call `apply(obj, cleaned_data)`
    for each selected object, reporting each refusal as an admin message. If every selected
    object is refused, the form comes back with what was typed and the refusals above it."""
    form_kwargs = form_kwargs or {}
    if "apply" in request.POST:
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            done_any, refusals = False, []
            for obj in queryset:
                try:
                    done = apply(obj, form.cleaned_data)
                    modeladmin.message_user(request, f"{obj}: {done}", messages.SUCCESS)
                    done_any = True
                except workflow.WorkflowError as refusal:
                    refusals.append(f"{obj}: {refusal.message}")
            if done_any or not refusals:
                for refusal in refusals:
                    modeladmin.message_user(request, refusal, messages.ERROR)
                return None
            for refusal in refusals:
                form.add_error(None, refusal)
    else:
        form = form_class(**form_kwargs)
    return TemplateResponse(
        request,
        "admin/governance/action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "form": form,
            "queryset": queryset,
            "action": request.POST.get("action"),
            "opts": modeladmin.model._meta,
        },
    )


class ReasonAdminForm(forms.Form):
    reason = forms.CharField(max_length=300)


class RouteActionsMixin:
    """The workflow's moves of a whole strategy, as actions of the strategy admin (registered,
    with strategies' own admin of its content, by portal/admin.py)."""

    actions = ["apply_route", "withdraw", "publish"]

    @admin.action(description="Apply a route template to the selected strategies")
    def apply_route(self, request, queryset):
        return run_action_with_form(
            self,
            request,
            queryset,
            ApplyRouteForm,
            title="Apply a route template",
            intro="The template builds each selected strategy's whole route. A strategy that "
            "already has gates, or is led by an organisation other than the template's, is "
            "refused.",
            submit_label="Apply the route",
            apply=lambda s, d: (
                workflow.apply_route(
                    s, d["route"], request.user, d["starts_on"], d["skip_missing"]
                ).message
            ),
        )

    @admin.action(description="Withdraw the selected strategies")
    def withdraw(self, request, queryset):
        def apply(strategy, data):
            workflow.withdraw(strategy, request.user, data["reason"])
            return "withdrawn"

        return run_action_with_form(
            self,
            request,
            queryset,
            ReasonAdminForm,
            title="Withdraw strategies",
            intro="Open gates are removed and the strategy is marked withdrawn.",
            submit_label="Withdraw",
            apply=apply,
        )

    @admin.action(description="Publish the selected adopted strategies")
    def publish(self, request, queryset):
        for strategy in queryset:
            try:
                revision = workflow.publish(strategy, request.user)
                self.message_user(
                    request,
                    f"{strategy}: published as revision {revision.number}",
                    messages.SUCCESS,
                )
            except workflow.WorkflowError as refusal:
                self.message_user(request, f"{strategy}: {refusal.message}", messages.ERROR)


@admin.register(Body)
class BodyAdmin(HistoryAdmin):
    list_display = ["name", "organisation", "kind", "is_executive", "meets_in_public"]
    list_filter = ["kind", "organisation", "is_executive", "meets_in_public"]
    list_select_related = ["organisation"]
    search_fields = ["name", "organisation__name"]
    inlines = [BodySecretaryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")

    def autocomplete_label(self, body: Body) -> str:
        """How the admin's autocomplete names a body (accounts.views.AdminAutocompleteView)."""
        return body.with_organisation


class MeetingAdminForm(MeetingChecks, forms.ModelForm):
    """The meeting's date as the browser's form takes it (a time only if recorded), checked by
    the same rules (workflow.meeting_problems)."""

    starts_at = DayAndTimeField()


@admin.register(Meeting)
class MeetingAdmin(BodyChoices, HistoryAdmin):
    form = MeetingAdminForm
    exclude = ["time_known"]  # an empty time box says it (StartFields)
    list_display = [
        body_with_organisation,
        "starts_at",
        "time_known",
        "date_precision",
        "status",
        "agenda_published_on",
    ]
    list_filter = ["status", "starts_at", "body__organisation", ("body", BodyListFilter)]
    list_select_related = ["body__organisation"]
    search_fields = ["body__name", "venue", "minutes"]
    # Publication freezes the papers, so it goes through the workflow (the secretary's page).
    readonly_fields = ["agenda_published_on"]
    # Held or cancelled, as on the meeting's page: the same move, the same refusals.
    actions = ["mark_held", "mark_cancelled"]

    def get_readonly_fields(self, request, obj=None):
        # Once strategies are on its agenda, the meeting's body and time are part of the record,
        # and its status moves only by the actions below: the rule the secretaries' edit page
        # keeps too. A new meeting may be created as held, from old records.
        if obj is None:
            return self.readonly_fields
        return workflow.meeting_fields_fixed(obj)

    @admin.action(description="Mark the selected meetings as held")
    def mark_held(self, request, queryset):
        self._mark(request, queryset, Meeting.Status.HELD)

    @admin.action(description="Mark the selected meetings as cancelled")
    def mark_cancelled(self, request, queryset):
        self._mark(request, queryset, Meeting.Status.CANCELLED)

    def _mark(self, request, queryset, status: str) -> None:
        for meeting in queryset.select_related("body__organisation"):
            try:
                withdrawn = workflow.mark_meeting(meeting, status, request.user)
            except workflow.WorkflowError as refusal:
                self.message_user(request, f"{meeting}: {refusal.message}", messages.ERROR)
                continue
            done = f"marked {status}" + (
                f"; papers withdrawn: {', '.join(g.strategy.title for g in withdrawn)}"
                if withdrawn
                else ""
            )
            self.message_user(request, f"{meeting}: {done}", messages.SUCCESS)


class ScheduleAdminForm(AgendaPlaceFields):
    """The meeting, and (for one gate) its place on the agenda, as the meeting's page asks."""

    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.filter(status=Meeting.Status.SCHEDULED).select_related(
            "body__organisation"
        )
    )
    field_order = ["meeting", "agenda_item", "report_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].label_from_instance = lambda meeting: (
            f"{meeting.body.with_organisation} — {meeting.when}"
        )


class ReplanAdminForm(ReplanForm):
    """The browser's re-plan form: date, precision and whether it is a key decision (with its
    Forward Plan notice and reference). Not the note: each gate's own is edited on its page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["note"]


class DecisionAdminForm(DecisionForm):
    """The browser's decision form, checked against each selected gate when applied."""

    # One decision on several gates: the priorities it approved are named by their numbers,
    # found in each gate's strategy when it is applied (workflow.priorities_numbered).
    approved_numbers = forms.CharField(
        required=False,
        label="It approved only these priorities",
        help_text="Their numbers on the strategy page, e.g. “1, 3” or “1-3”. Leave empty when "
        "the decision is on the whole strategy.",
    )

    def __init__(self, *args, gate=None, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.gate = gate
        del self.fields["approved_parts"]
        self.order_record(["outcome"], executive=True)

    def clean(self):
        return forms.Form.clean(self)


@admin.register(GateDependency)
class GateDependencyAdmin(ReadOnlyMixin, HistoryAdmin):
    """What each gate waits for, with each link's history. Read only: links change on the
    gate's Re-plan page (workflow.set_waits_for), which refuses loops and decided gates."""

    list_display = ["from_gate", "to_gate"]
    list_select_related = ["from_gate__body", "to_gate__body"]
    search_fields = ["from_gate__strategy__title", "from_gate__body__name", "to_gate__body__name"]
    list_filter = ["from_gate__strategy"]


@admin.register(Gate)
class GateAdmin(HistoryAdmin):
    list_display = [
        "strategy",
        "position",
        body_with_organisation,
        "purpose",
        "planned_display",
        "meeting",
        "state",
    ]
    list_filter = ["state", "purpose", "body__organisation", ("body", BodyListFilter)]
    list_select_related = ["strategy", "body__organisation", "meeting", "meeting__body"]
    search_fields = ["strategy__title", "body__name", "note", "report_number"]
    actions = ["schedule", "replan", "record_decision"]
    # Gates are created by applying a route, and move only through the actions below.
    readonly_fields = [
        "strategy",
        "position",
        "body",
        "purpose",
        "waits_for",
        "planned_date",
        "planned_precision",
        "meeting",
        "state",
        "papers_revision",
        "key_decision",
        "forward_plan_published_on",
        "forward_plan_reference",
        "agenda_item",
        "report_number",
    ]
    fields = readonly_fields + ["note"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="planned")
    def planned_display(self, gate):
        return gate.planned

    @admin.action(description="Put the selected gates on a meeting")
    def schedule(self, request, queryset):
        return run_action_with_form(
            self,
            request,
            queryset,
            ScheduleAdminForm,
            title="Put gates on a meeting",
            intro="Each gate must be for the meeting's body.",
            submit_label="Schedule",
            apply=lambda g, d: (
                "on the agenda of "
                + str(
                    workflow.schedule_gate(
                        g,
                        d["meeting"],
                        request.user,
                        report_number=d["report_number"],
                        agenda_item=d["agenda_item"],
                    ).meeting
                )
            ),
        )

    @admin.action(description="Re-plan the selected gates")
    def replan(self, request, queryset):
        def apply(gate, data):
            workflow.replan_gate(
                gate,
                data["planned_date"],
                data["planned_precision"],
                request.user,
                data["comment"],
                key_decision=data["key_decision"],
                forward_plan_published_on=data["forward_plan_published_on"],
                forward_plan_reference=data["forward_plan_reference"],
            )
            return "re-planned"

        return run_action_with_form(
            self,
            request,
            queryset,
            ReplanAdminForm,
            title="Re-plan gates",
            intro="Give the planned date and how exact it is.",
            submit_label="Re-plan",
            apply=apply,
        )

    @admin.action(description="Record a decision on the selected gates")
    def record_decision(self, request, queryset):
        def apply(gate, data):
            data = dict(data)
            numbers = data.pop("approved_numbers", "")
            parts = workflow.priorities_numbered(gate.strategy, numbers) if numbers else []
            decision = workflow.record_decision(gate, request.user, approved_parts=parts, **data)
            return f"decision recorded ({decision.get_outcome_display().lower()})"

        return run_action_with_form(
            self,
            request,
            queryset,
            DecisionAdminForm,
            title="Record a decision",
            intro="The same decision is recorded on each selected gate.",
            submit_label="Record the decision",
            apply=apply,
        )


@admin.register(CommitteeReport)
class CommitteeReportAdmin(HistoryAdmin):
    """Read here, with their history; officers write them on the gate's report page, where the
    rules about published papers hold."""

    list_display = ["title", "gate", "author_name", "contact_name"]
    list_select_related = ["gate__strategy", "gate__body"]
    search_fields = ["title", "gate__strategy__title", "gate__body__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The call-ins' admin (admin_call_ins.py), which uses run_action_with_form above, registers
# itself on import; so do the route templates' (admin_route_templates.py).
from . import (  # noqa: E402, F401
    admin_call_ins,
    admin_decisions,
    admin_moderngov,
    admin_route_templates,
)
