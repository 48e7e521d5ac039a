"""The admin's records of theme suggestions: each run (who asked, when, how far it got, the
method) and each suggestion (its key terms, the responses it covers, and what an officer decided).
Read-only here, with their history: runs are asked for and decided on through the workflow,
on the consultation's suggestions page (consultation/workflow/suggestions.py)."""

from __future__ import annotations

from django.contrib import admin

from strategies.admin_base import HistoryAdmin, ReadOnlyMixin

from .models import SuggestionRun, ThemeSuggestion


class ThemeSuggestionInline(ReadOnlyMixin, admin.TabularInline):
    model = ThemeSuggestion
    fields = ["position", "label", "key_terms", "covers", "decision", "theme", "decided_by"]
    readonly_fields = fields
    extra = 0

    @admin.display(description="responses")
    def covers(self, suggestion):
        return len(suggestion.response_ids)


@admin.register(SuggestionRun)
class SuggestionRunAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = ["window", "state", "progress", "requested_by", "requested_at", "message"]
    list_filter = ["state", "requested_at"]
    list_select_related = ["window", "requested_by"]
    search_fields = ["window__title", "message"]
    inlines = [ThemeSuggestionInline]


@admin.register(ThemeSuggestion)
class ThemeSuggestionAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = ["label", "window", "covers", "decision", "theme", "decided_by", "decided_at"]
    list_filter = ["decision"]
    list_select_related = ["run__window", "theme", "decided_by"]
    search_fields = ["label", "run__window__title"]
    exclude = ["response_ids"]  # thousands of ids: the count says it (`covers`)

    @admin.display(description="consultation", ordering="run__window__title")
    def window(self, suggestion):
        return suggestion.run.window

    @admin.display(description="responses")
    def covers(self, suggestion):
        return len(suggestion.response_ids)
