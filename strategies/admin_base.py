"""The admin classes every app's admin builds on: actions safe from hand-made requests, rows
that are only read, history shown but never reverted, and saves made on a stale copy refused
(strategies/concurrency.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from simple_history.admin import SimpleHistoryAdmin

from .admin_dates import SafeDatesMixin
from .admin_labels import LabelledDateTimesMixin
from .concurrency import (
    AdminConflictMixin,
    FingerprintField,
    FingerprintFormMixin,
    VersionedFormMixin,
)


class SafeActionsMixin(SafeDatesMixin):
    """An action posted with ids that are not ids (a hand-made request) is a message, not a 500."""

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(not (s.isascii() and s.isdigit()) for s in selected):
            self.message_user(request, "Choose the items from the list.", messages.WARNING)
            return None
        return super().response_action(request, queryset)


class ReadOnlyMixin:
    """Rows read in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, SafeActionsMixin, admin.ModelAdmin):
    """For records that are evidence (revisions, decisions, transitions, public responses):
    they can be read in the admin, never added, changed or deleted there."""


class HistoryAdmin(LabelledDateTimesMixin, SafeActionsMixin, SimpleHistoryAdmin):
    """History is shown (the History button) but can never be reverted: see settings. A row
    without a version is guarded by a fingerprint of the fields its change page shows
    (strategies/concurrency.py), unless its model guards its own corrections."""

    guards_its_own_edits = False  # True where the domain compares what was seen (its own door)

    def _fingerprinted(self, request, obj) -> bool:
        versioned = any(f.name == "version" for f in self.model._meta.fields)
        return (
            obj is not None
            and not versioned
            and not self.guards_its_own_edits
            and self.has_change_permission(request, obj)
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._fingerprinted(request, obj):
            return fieldsets
        return with_hidden(fieldsets, "fingerprint")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not self._fingerprinted(request, obj):
            return super().get_form(request, obj, change=change, **kwargs)
        kwargs["fields"] = fields_without(self, request, obj, kwargs, "fingerprint")
        form = super().get_form(request, obj, change=change, **kwargs)
        mark = FingerprintField(required=False)
        mixins = (AdminConflictMixin, FingerprintFormMixin, form)
        return type(f"Fingerprinted{form.__name__}", mixins, {"fingerprint": mark})

    def history_view(self, request, object_id, extra_context=None):
        # A mistyped id is "not found", as on Django's own admin pages, never an error.
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # One row of the history (…/history/<id>/): a mistyped id of either is "not found".
        if not (version_id.isascii() and version_id.isdigit() and len(version_id) < 19) or (
            self.get_object(request, unquote(object_id)) is None
        ):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class VersionedAdmin(HistoryAdmin):
    """Refuses a save made on a stale copy of the row (the change view runs in a transaction)."""

    def get_fields(self, request, obj=None):
        # The hidden version travels in every change page, even one that lists its fields.
        fields = super().get_fields(request, obj)
        return fields if "version" in fields else [*fields, "version"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # `version` is rendered (hidden) by the admin but not editable on the model, so it is
        # kept out of the model form's own fields and declared on the class below.
        kwargs["fields"] = fields_without(self, request, obj, kwargs, "version")
        form = super().get_form(request, obj, change=change, **kwargs)
        # Declared on the class (not only in __init__) so the admin renders the hidden input.
        version = forms.IntegerField(widget=forms.HiddenInput, required=False)
        mixins = (AdminConflictMixin, VersionedFormMixin, form)
        return type(f"Versioned{form.__name__}", mixins, {"version": version})


class FingerprintedInline:
    """An inline's rows, guarded as HistoryAdmin guards a change page: a row changed by someone
    else since the page was opened is refused on its line, not overwritten. For inlines whose
    rows have no version (every such inline that can be edited says so, by this mixin)."""

    def get_fieldsets(self, request, obj=None):
        return with_hidden(super().get_fieldsets(request, obj), "fingerprint")

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["fields"] = fields_without(self, request, obj, kwargs, "fingerprint")
        formset = super().get_formset(request, obj, **kwargs)
        mixins = (FingerprintFormMixin, formset.form)
        mark = {"fingerprint": FingerprintField(required=False)}
        formset.form = type(f"Fingerprinted{formset.form.__name__}", mixins, mark)
        return formset


def with_hidden(fieldsets, name: str) -> list:
    """`fieldsets` with the hidden field `name` in the first one (the admin draws only the
    fields its fieldsets name), unless it is there already."""
    if name in flatten_fieldsets(fieldsets):
        return fieldsets
    first, options = fieldsets[0]
    return [(first, {**options, "fields": [*options["fields"], name]}), *fieldsets[1:]]


def fields_without(model_admin, request, obj, kwargs: dict, name: str):
    """The fields to build the model form from, without the hidden `name` (not a field of the
    model: the form class declares it): those asked for, or those the fieldsets draw; None
    (every field, as Django's own calls ask) stays None."""
    fields = kwargs.get("fields", ...)
    if fields is ...:
        fields = flatten_fieldsets(model_admin.get_fieldsets(request, obj))
    return [f for f in fields if f != name] if fields else fields
