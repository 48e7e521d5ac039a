"""Names for the admin's boxes that Django leaves without one (WCAG 1.3.1, 4.1.2)."""

from __future__ import annotations

from django.contrib.admin import widgets
from django.utils.text import capfirst


class LabelledDateTimesMixin:
    """A date and time field is two boxes, "Date:" and "Time:", and the field's label names
    neither (its <label> points at no box of the pair): each is named with the field's label and
    the word it shows ("Last login: date")."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, widgets.AdminSplitDateTime):
            name = capfirst(formfield.label)
            date, time = formfield.widget.widgets
            date.attrs["aria-label"] = f"{name}: date"
            time.attrs["aria-label"] = f"{name}: time"
        return formfield
