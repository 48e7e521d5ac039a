"""Documents in the admin, under the same rules as the browser: adding one, changing its
details, uploading a new version and withdrawing it are documents.workflow's moves, so a refusal
says what the browser's pages say, beside the same field, and the form comes back with what was
typed (never an error page). Versions are shown, never changed; nothing is deleted here: a
document is withdrawn, and its files and history are kept."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from governance.admin import run_action_with_form
from governance.workflow import WorkflowError
from strategies.admin_base import ReadOnlyAdmin, VersionedAdmin

from . import workflow
from .models import Document, DocumentVersion

OWNERS = ["strategy", "gate", "decision", "window", "meeting"]
DETAILS = ["title", "kind", "language", "public", "description"]


def download_link(version: DocumentVersion) -> str:
    """A link to the file through the view that checks who may read it (never a public
    folder); its name alone while that view is not there."""
    try:
        url = reverse(
            "documents:download",
            kwargs={"pk": version.document_id, "number": version.number, "name": version.file_name},
        )
    except NoReverseMatch:
        return version.file_name
    return format_html('<a href="{}">{}</a>', url, version.file_name)


class RefusalBesideField:
    """Shows a refusal of the workflow's move (set by DocumentAdmin for the page it shows again)
    beside the field it names, or above the form."""

    refusal: WorkflowError | None = None
    file_field = "file"

    def clean(self):
        cleaned = super().clean()
        if self.refusal is not None:
            field = self.file_field if self.refusal.field == "file" else self.refusal.field
            self.add_error(field if field in self.fields else None, self.refusal.message)
        return cleaned


class DocumentAddForm(RefusalBesideField, forms.ModelForm):
    file = forms.FileField(help_text="PDF, Word, OpenDocument, Excel, CSV or a common image.")
    note = forms.CharField(label="About this version", required=False, widget=forms.Textarea)

    class Meta:
        model = Document
        fields = [*OWNERS, *DETAILS]
        help_texts = {
            "gate": "Leave the gate, decision and consultation empty for the strategy itself; "
            "choose a meeting instead of a strategy for a meeting's papers.",
        }

    def clean(self):
        cleaned = super().clean()
        strategy = cleaned.get("strategy")
        for name in ("gate", "decision", "window"):
            part = cleaned.get(name)
            if part is None or strategy is None:
                continue
            of = part.gate.strategy_id if name == "decision" else part.strategy_id
            if of != strategy.pk:
                self.add_error(name, f"This is not one of {strategy}'s.")
        return cleaned


class DocumentChangeForm(RefusalBesideField, forms.ModelForm):
    file_field = "new_file"
    new_file = forms.FileField(
        label="New version",
        required=False,
        help_text="Upload a file to add it as the next version; the versions before stay.",
    )
    note = forms.CharField(label="What changed", required=False, widget=forms.Textarea)

    class Meta:
        model = Document
        fields = DETAILS


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    verbose_name_plural = "versions (kept as uploaded, never changed)"
    fields = readonly_fields = [
        "number", "uploaded_at", "uploaded_by", "format_label", "size", "sha256", "note",
        "download",
    ]  # fmt: skip
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="file")
    def download(self, version: DocumentVersion) -> str:
        return download_link(version)


class WithdrawnFilter(admin.SimpleListFilter):
    title = "withdrawn"
    parameter_name = "withdrawn"

    def lookups(self, request, model_admin):
        return [("no", "In use"), ("yes", "Withdrawn")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(withdrawn_at__isnull=self.value() == "no")
        return queryset


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the history with who withdrew it. The files are kept.",
    )


@admin.register(Document)
class DocumentAdmin(VersionedAdmin):
    list_display = [
        "title", "kind", "belongs_to", "language", "public", "latest_format", "latest_size",
        "withdrawn",
    ]  # fmt: skip
    list_filter = ["kind", "public", WithdrawnFilter]
    list_select_related = [
        "strategy", "gate__body", "decision__gate__body", "window", "meeting__body", "latest",
    ]  # fmt: skip
    search_fields = ["title", "strategy__title"]
    autocomplete_fields = OWNERS
    actions = ["withdraw"]
    added = ["belongs_to", "created_at", "created_by", "latest"]
    withdrawal = ["withdrawn_at", "withdrawn_by", "withdrawn_reason"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = DocumentChangeForm if obj is not None else DocumentAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"refusal": getattr(request, "refusal", None)})

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*OWNERS, *DETAILS, "file", "note"]
        if obj.is_withdrawn:
            return [*self.added, *DETAILS, *self.withdrawal]
        # `version`, hidden, carries the copy the person opened (the conflict check).
        return [*self.added, *DETAILS, "new_file", "note", "version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.added, *self.withdrawal] + (DETAILS if obj.is_withdrawn else [])

    def get_inlines(self, request, obj):
        return [VersionInline] if obj is not None else []

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_withdrawn:
            return False  # kept as it was when withdrawn
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # withdrawn, never deleted: the record keeps it

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as refusal:
            # The transaction is rolled back: nothing was saved. The page comes again with what
            # was typed and the refusal beside its field (get_form hands it to the form).
            request.refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            target = obj.owner
            details = {name: data[name] for name in DETAILS}
            saved = workflow.add_document(
                request.user, target, upload=data["file"], note=data["note"], **details
            )
            for field in Document._meta.concrete_fields:
                setattr(obj, field.attname, getattr(saved, field.attname))
            obj._state.adding = False
            return
        details = {name: data[name] for name in DETAILS if name in data}
        saved = workflow.change_details(
            request.user, obj, expected_version=data.get("version"), **details
        )
        if data.get("new_file"):
            workflow.add_version(request.user, saved, data["new_file"], data["note"])

    @admin.display(description="belongs to")
    def belongs_to(self, document: Document) -> str:
        if document.strategy_id and not document.meeting_id:
            return f"{document.strategy}: {document.owner_label}"
        return document.owner_label

    @admin.display(description="format", ordering="latest__format_label")
    def latest_format(self, document: Document) -> str:
        return document.latest.format_label if document.latest else ""

    @admin.display(description="size", ordering="latest__size")
    def latest_size(self, document: Document) -> str:
        return filesizeformat(document.latest.size) if document.latest else ""

    @admin.display(description="withdrawn", boolean=True, ordering="withdrawn_at")
    def withdrawn(self, document: Document) -> bool:
        return document.is_withdrawn

    @admin.action(description="Withdraw the selected documents")
    def withdraw(self, request, queryset):
        def apply(document, data):
            workflow.withdraw(request.user, document, data["reason"])
            return "withdrawn; its files are kept"

        return run_action_with_form(
            self,
            request,
            queryset,
            WithdrawForm,
            title="Withdraw documents",
            intro="Each document is taken out of use: no longer listed or public. Its versions, "
            "their files and its history are kept.",
            submit_label="Withdraw",
            apply=apply,
        )


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    """Every file as uploaded, with its SHA-256 (what verify_audit checks the bytes against)."""

    list_display = ["document", "number", "format_label", "size", "sha256", "uploaded_at"]
    list_select_related = ["document"]
    search_fields = ["document__title", "sha256", "file_name"]
    fields = [
        "document", "number", "download", "original_name", "content_type", "format_label",
        "size", "sha256", "note", "uploaded_at", "uploaded_by",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="file")
    def download(self, version: DocumentVersion) -> str:
        return download_link(version)
