"""Django admin for consultations. Responses are read-only: the public writes them, officers tag
them on the analysis page. Opening, closing and publishing go through consultation.workflow."""

from __future__ import annotations

from django.contrib import admin, messages

from governance.admin import run_action_with_form
from governance.workflow import WorkflowError
from strategies.admin import HistoryAdmin, ReadOnlyAdmin, VersionedAdmin

from . import workflow
from .forms import CloseWindowForm
from .models import (
    ConsultationWindow,
    Event,
    PriorityAnswer,
    Response,
    Theme,
    WindowPartner,
    YouSaidWeDid,
)


class WindowPartnerInline(admin.TabularInline):
    model = WindowPartner
    extra = 0


class EventInline(admin.StackedInline):
    model = Event
    extra = 0


@admin.register(ConsultationWindow)
class ConsultationWindowAdmin(VersionedAdmin):
    list_display = ["title", "strategy", "opens_on", "closes_on", "state"]
    list_filter = ["state", "strategy__lead_organisation"]
    list_select_related = ["strategy"]
    search_fields = ["title", "summary", "strategy__title"]
    readonly_fields = ["state", "revision", "result", "response_published_on"]
    inlines = [WindowPartnerInline, EventInline]
    actions = ["open_windows", "close_windows", "publish_responses"]

    def _run(self, request, queryset, move, done):
        for window in queryset:
            try:
                move(window, request.user)
                self.message_user(request, f"{window}: {done}", messages.SUCCESS)
            except WorkflowError as refusal:
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

    @admin.action(description="Publish “you said, we did” for the selected consultations")
    def publish_responses(self, request, queryset):
        self._run(request, queryset, workflow.publish_response, "response published")


@admin.register(Theme)
class ThemeAdmin(HistoryAdmin):
    list_display = ["name", "window"]
    list_filter = ["window"]
    search_fields = ["name", "description"]


@admin.register(YouSaidWeDid)
class YouSaidWeDidAdmin(VersionedAdmin):
    list_display = ["theme", "window", "changed", "revision"]
    list_filter = ["changed", "window"]
    list_select_related = ["theme", "window", "revision"]


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
    list_display = ["reference", "window", "submitted_at", "respondent_type", "is_demo"]
    list_filter = ["window", "respondent_type", "is_demo"]
    list_select_related = ["window"]
    search_fields = ["reference", "organisation_name", "general_comments"]
    inlines = [PriorityAnswerInline]
