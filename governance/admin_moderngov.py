"""The admin's Modern.gov settings: each organisation's site and which of its committees are
which bodies (administrators keep both), an action to bring its meetings in now, and the agenda
items brought in, to read (a gate is matched to its item on the meeting's page)."""

from __future__ import annotations

from django.contrib import admin, messages

from strategies.admin_base import FingerprintedInline, HistoryAdmin, ReadOnlyMixin

from .admin_bodies import BodyChoices
from .models import AgendaItem, Body, CommitteeLink, ModernGovSite
from .moderngov.sync import sync_site


class CommitteeLinkInline(FingerprintedInline, BodyChoices, admin.TabularInline):
    """Modern.gov's number for each committee (the `CId=` of its pages) and the body it is.
    Offered: the bodies of the site's organisation; another's is refused beside the field."""

    model = CommitteeLink
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        self._site = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        site = getattr(self, "_site", None)
        if db_field.related_model is Body and site is not None:
            kwargs["queryset"] = Body.objects.filter(
                organisation_id=site.organisation_id
            ).select_related("organisation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ModernGovSite)
class ModernGovSiteAdmin(HistoryAdmin):
    list_display = ["organisation", "base_url", "enabled", "last_synced_at"]
    list_filter = ["enabled"]
    list_select_related = ["organisation"]
    readonly_fields = ["last_synced_at", "last_result"]
    inlines = [CommitteeLinkInline]
    actions = ["sync_now"]

    @admin.action(description="Bring in the selected sites' meetings now")
    def sync_now(self, request, queryset):
        for site in queryset.select_related("organisation"):
            report = sync_site(site)
            level = messages.ERROR if report.errors else messages.SUCCESS
            self.message_user(request, f"{site.organisation}: {report.summary()}", level)
            for line in report.errors:
                self.message_user(request, line, messages.ERROR)


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = ["number", "title", "meeting", "minute_number", "decision_date", "gate"]
    list_filter = ["is_decision", "meeting__body__organisation"]
    list_select_related = ["meeting__body", "gate__strategy", "gate__body"]
    search_fields = ["title", "number", "minute_number", "report_reference"]
