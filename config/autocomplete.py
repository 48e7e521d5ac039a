"""The admin's autocomplete answers, each result named as its model admin names the object in
its lists and pickers: a model admin with `autocomplete_label(obj)` says how (the bodies name
their organisation, governance/admin.py); any other is named as Django does, by str(obj). The
site's own view, wrapped the same way, at the same address (config/urls.py)."""

from __future__ import annotations

from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if label := getattr(self.model_admin, "autocomplete_label", None):
            result["text"] = label(obj)
        return result
