"""Django admin for consultations. It goes through the same rules as the browser: each change form
asks consultation.workflow what the browser's forms ask (who may change it now, and what each
thing must be), with the same message beside the same field; a window is saved, opened, closed
and published by the workflow's moves; deletes go one at a time, each asked first, and a window
that has opened is never deleted. Responses are read-only: the public writes them, officers tag
them on the analysis page."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from governance.admin import run_action_with_form
from governance.day_and_time import DayAndTimeField, StartFields
from governance.views.common import add_refusal
from governance.workflow import WorkflowError
from strategies.admin_base import (
    FingerprintedInline,
    HistoryAdmin,
    ReadOnlyAdmin,
    ReadOnlyMixin,
    VersionedAdmin,
)

from . import workflow
from .entry_forms import EntryFields, changed_items_field, reason_field
from .forms import CheckedByRules, CloseWindowForm, RecordWindowForm, ThemeForm
from .models import (
    ConsultationWindow,
    Event,
    PriorityAnswer,
    Response,
    ResponseImport,
    Theme,
    WindowPartner,
    YouSaidWeDid,
)


class CheckedAdmin:
    """Forms that know who is saving (for their `refusal`), and deletes one at a time, each
    refused with the workflow's reason (`delete_refusal`)."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user  # a class made for this request
        return form

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.form.acting_user = request.user  # likewise
            yield formset, inline

    def delete_refusal(self, request, obj) -> str | None:
        return None

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, each asked first
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and (refusal := self.delete_refusal(request, obj)):
            self.message_user(request, refusal, messages.ERROR)
            opts = obj._meta
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            return redirect(change)
        return super().delete_view(request, object_id, extra_context)


class WindowAdminForm(CheckedByRules, forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "gate" in self.fields:  # the gates it may run at (on a new window, of any strategy)
            self.fields["gate"].queryset = workflow.gate_choices(self.instance).select_related(
                "strategy", "body"
            )

    def refusal(self, window):
        return workflow.window_refusal(window, self.acting_user) if window.strategy_id else None

    def problems(self, window):
        return workflow.window_change_problems(window) if window.strategy_id else []


class EventAdminForm(StartFields, CheckedByRules, forms.ModelForm):
    starts_at = DayAndTimeField(label="Starts")

    def refusal(self, event):
        return workflow.plan_refusal(self.acting_user, event.window.strategy)

    def problems(self, event):
        return workflow.event_problems(event)


class PartnerAdminForm(CheckedByRules, forms.ModelForm):
    def refusal(self, partner):
        return workflow.plan_refusal(self.acting_user, partner.window.strategy)

    def problems(self, partner):
        return workflow.partner_problems(partner)


class WindowPartnerInline(FingerprintedInline, admin.TabularInline):
    model = WindowPartner
    form = PartnerAdminForm
    extra = 0


class EventInline(FingerprintedInline, admin.StackedInline):
    model = Event
    form = EventAdminForm
    exclude = ["time_known"]  # an empty time box says it (StartFields)
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["host_body"]
        if obj is not None:  # as in the browser: bodies of the lead organisation and partners
            field.queryset = workflow.event_host_bodies(obj.strategy)
        # Bodies of different organisations may share a name: each with its organisation.
        field.queryset = field.queryset.select_related("organisation")
        field.label_from_instance = lambda body: body.with_organisation
        return formset


@admin.register(ConsultationWindow)
class ConsultationWindowAdmin(CheckedAdmin, VersionedAdmin):
    form = WindowAdminForm
    list_display = ["title", "strategy", "opens_on", "closes_on", "state"]
    list_filter = ["state", "strategy__lead_organisation"]
    list_select_related = ["strategy"]
    search_fields = ["title", "summary", "strategy__title"]
    # The minimum comes from the organisation's policy when the window is planned; what a
    # consultation recorded after the fact is marked with is set by recording it (the action).
    readonly_fields = [
        "state",
        "minimum_days",
        "revision",
        "result",
        "response_published_on",
        "recorded_later",
        "recorded_from",
        "reported_responses",
    ]
    inlines = [WindowPartnerInline, EventInline]
    actions = ["open_windows", "close_windows", "record_windows", "publish_responses"]

    def get_readonly_fields(self, request, obj=None):
        # A window stays with the strategy it was planned for, as in the browser.
        return [*self.readonly_fields, "strategy"] if obj else self.readonly_fields

    def get_inlines(self, request, obj):
        # Events and partners are added once the window is planned, as on its page.
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # only its events or partners changed
        workflow.save_window(obj, request.user)

    def delete_refusal(self, request, obj):
        return workflow.removal_refusal(obj, request.user)

    def _run(self, request, queryset, move, done):
        for window in queryset:
            try:
                move(window, request.user)
                self.message_user(request, f"{window}: {done}", messages.SUCCESS)
            except WorkflowError as refusal:  # the move's own check said no
                self.message_user(request, f"{window}: {refusal.message}", messages.ERROR)

    @admin.action(description="Open the selected consultations")
    def open_windows(self, request, queryset):
        self._run(request, queryset, workflow.open_window, "opened")

    @admin.action(description="Close the selected consultations")
    def close_windows(self, request, queryset):
        return run_action_with_form(
            self,
            request,
            queryset,
            CloseWindowForm,
            title="Close consultations now",
            intro="Closing stops responses at once and passes the consultation gate. A reason is "
            "needed for a consultation that closing now makes shorter than the policy's minimum.",
            submit_label="Close",
            apply=lambda window, data: (
                workflow.close_window(window, request.user, data["reason"]) and "closed"
            ),
        )

    @admin.action(description=workflow.RECORD_MOVE)
    def record_windows(self, request, queryset):
        """The window page's form, for one consultation at a time (each has its own dates):
        the same form, with the same words beside the same fields, through the same move."""
        chosen = list(queryset[:2])
        if len(chosen) != 1:
            self.message_user(
                request,
                "Choose one consultation to record: each has its own dates.",
                messages.ERROR,
            )
            return None
        window = chosen[0]
        applying = "apply" in request.POST
        form = RecordWindowForm(request.POST if applying else None, window=window, by=request.user)
        if applying and form.is_valid():
            try:
                workflow.record_window(window, request.user, form.record())
            except WorkflowError as refusal:  # changed by someone else a moment ago
                add_refusal(form, refusal)
            else:
                self.message_user(request, f"{window}: recorded as it ran", messages.SUCCESS)
                return None
        return TemplateResponse(
            request,
            "admin/governance/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": workflow.RECORD_MOVE,
                "intro": "For a consultation that ran before the strategy came into Waymark: its "
                "real dates and result from the council's records. It is recorded as closed on "
                "those dates, its route gate passes, and it is marked as recorded after the fact.",
                "submit_label": "Record it as it ran",
                "form": form,
                "queryset": [window],
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )

    @admin.action(description="Publish “you said, we did” for the selected consultations")
    def publish_responses(self, request, queryset):
        """Asked to confirm first, as in the browser, naming the themes no entry speaks of."""
        unanswered = [
            f"{window}: {', '.join(t.name for t in workflow.themes_without_entry(window))}"
            for window in queryset
            if workflow.themes_without_entry(window).exists()
        ]
        return run_action_with_form(
            self,
            request,
            queryset,
            forms.Form,
            title="Publish “you said, we did”",
            intro="Publishing puts the entries on the consultation's public page at once. "
            + (
                "Themes without an entry (publishing is still allowed): " + "; ".join(unanswered)
                if unanswered
                else "Every theme has an entry."
            ),
            submit_label="Publish",
            apply=lambda window, data: (
                workflow.publish_response(window, request.user) and "response published"
            ),
        )


class ThemeAdminForm(ThemeForm):
    """The browser's theme form (its name tidied, once per window), with who may change it."""

    def refusal(self, theme):
        if theme.window_id is None:
            return None
        return workflow.plan_refusal(self.acting_user, theme.window.strategy)


@admin.register(Theme)
class ThemeAdmin(CheckedAdmin, HistoryAdmin):
    form = ThemeAdminForm
    fields = ["window", "name", "description"]
    list_display = ["name", "window"]
    list_filter = ["window"]
    search_fields = ["name", "description"]

    def get_readonly_fields(self, request, obj=None):
        # Its responses' tags and its entries belong to its window.
        return ["window"] if obj else []

    def delete_refusal(self, request, obj):
        return workflow.plan_refusal(request.user, obj.window.strategy)


class EntryAdminForm(EntryFields, forms.ModelForm):
    """The browser's entry fields (the items that changed as checkboxes, the "changed" box not
    ticked for the person, the reason for correcting a published entry), with who may save."""

    changed_items = changed_items_field()
    reason = reason_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_entry_fields()

    def refusal(self, entry):
        if entry.window_id is None:
            return None
        return workflow.entry_refusal(entry.window, self.acting_user, correcting=bool(entry.pk))


@admin.register(YouSaidWeDid)
class YouSaidWeDidAdmin(CheckedAdmin, VersionedAdmin):
    form = EntryAdminForm
    list_display = ["theme", "window", "changed", "revision"]
    list_filter = ["changed", "window"]
    list_select_related = ["theme", "window", "revision"]

    def get_readonly_fields(self, request, obj=None):
        # When a published entry was corrected is the workflow's to say; a published entry
        # keeps its theme (workflow.save_entry).
        if obj is None:
            return ["corrected_at"]
        published = obj.window.state == obj.window.State.RESPONSE_PUBLISHED
        return ["window", "corrected_at", *(["theme"] if published else [])]

    def save_model(self, request, obj, form, change):
        workflow.save_entry(obj, request.user, form.cleaned_data.get("reason", ""))

    def delete_refusal(self, request, obj):
        return workflow.entry_refusal(obj.window, request.user)


class PriorityAnswerInline(admin.TabularInline):
    model = PriorityAnswer
    extra = 0
    can_delete = False
    readonly_fields = ["priority_title", "agreement", "comment"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "window",
        "submitted_at",
        "respondent_type",
        "channel",
        "received_on",
        "late",
        "is_demo",
    ]
    list_filter = ["window", "respondent_type", "channel", "late", "is_demo"]
    list_select_related = ["window"]
    search_fields = ["reference", "organisation_name", "general_comments", "source_row_id"]
    inlines = [PriorityAnswerInline]


@admin.register(ResponseImport)
class ResponseImportAdmin(ReadOnlyMixin, HistoryAdmin):
    """A file imported from another survey tool, with its mapping and counts: read here, made
    only by the import pages (workflow.import_responses), never changed."""

    list_display = ["file_name", "window", "tool", "imported_at", "imported_by", "added"]
    list_filter = ["tool", "window"]
    list_select_related = ["window", "imported_by"]
    search_fields = ["file_name", "sha256"]


from . import admin_suggestions  # noqa: E402, F401  (the theme suggestions, read-only)
