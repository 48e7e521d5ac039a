from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from . import ledger
from .models import Entry
from .verify import verify


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """The ledger, to read and to check: nobody adds, changes or deletes an entry."""

    list_display = ["seq", "recorded_at", "what", "object_pk", "action"]
    list_filter = ["action", "kind"]
    search_fields = ["=object_pk", "=seq"]
    readonly_fields = [f.name for f in Entry._meta.fields]
    show_full_result_count = False
    change_list_template = "admin/audit/entry/change_list.html"

    @admin.display(description="record", ordering="kind")
    def what(self, entry: Entry) -> str:
        """The kind of row in words ("historical gate"), with its table for the technical."""
        try:
            model = apps.get_model(entry.kind)
        except (LookupError, ValueError):
            return entry.kind
        return f"{model._meta.verbose_name} ({entry.kind})"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        check = self.admin_site.admin_view(self.check_view)
        return [path("check/", check, name="audit_entry_check"), *super().get_urls()]

    def check_view(self, request):
        """What `manage.py verify_audit` says, for an administrator in the browser (without
        checkpoints: those stay with the auditor, outside the database and the app)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        sealed = ledger.seal_pending()
        findings = verify()
        context = {
            **self.admin_site.each_context(request),
            "title": "Check the audit ledger",
            "opts": self.model._meta,
            "findings": findings,
            "sealed": sealed,
            "entries": Entry.objects.count(),
        }
        return TemplateResponse(request, "admin/audit/entry/check.html", context)
