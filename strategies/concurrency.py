"""Optimistic locking: two people editing the same item never silently overwrite each other.

Every row a person edits in a form is guarded one of two ways:

- A row that carries a `version` (strategies.models.base.Versioned): the form remembers the
  version it was opened on (VersionedFormMixin), and each save through a form adds one.
- Any other row: the form remembers a fingerprint of what the fields it shows held when it was
  opened (FingerprintFormMixin), so a change made by any door (another form, the admin, a
  command, an import) to one of those fields is seen, and a change to a field it does not show
  never stands in its way.

On save the row is locked and, if someone else saved in between, the form is refused with a
conflict that shows the saved version beside what this person typed (which stays in the form).
Saving again after reading the conflict is a deliberate choice and goes through.

Browser forms and admin forms both use these mixins, so the rule holds whichever door a user
comes through. The caller must run validation and save in one transaction (views do; the
admin's change view already does).
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.choices import flatten_choices
from django.utils.formats import date_format

from .templatetags.waymark import plain_number


class ConflictMixin:
    """The check, the refusal and the comparison shared by both kinds of guard: each says
    which hidden field remembers the row as read (`stamp_field`) and how to stamp a row."""

    conflict: models.Model | None = None
    conflict_said = ""  # "<who> saved a change to this item while you were editing it."
    stamp_field: str

    def _stamp(self, row: models.Model):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        current = self._current()
        if current is None:
            raise self._deleted()
        stamp = self._stamp(current)
        if cleaned.get(self.stamp_field) != stamp:
            self._refuse(current, self.stamp_field, stamp)
        return cleaned

    def _current(self) -> models.Model | None:
        """The row as stored now, locked until the transaction ends; None once deleted."""
        return (
            type(self.instance)
            ._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .first()
        )

    def _refuse(self, current: models.Model, field: str, seen_now) -> None:
        """Refuse the save: `current` was saved by someone else. The form now remembers
        `seen_now` in its hidden `field`, so that saving again replaces theirs on purpose."""
        self.conflict = current
        self.data = self.data.copy()
        self.data[self.add_prefix(field)] = seen_now
        history = getattr(current, "history", None)
        last = history.select_related("history_user").first() if history is not None else None
        who = last.history_user.display_name if last and last.history_user else "Someone else"
        self.conflict_said = f"{who} saved a change to this item while you were editing it."
        raise forms.ValidationError(
            f"{self.conflict_said} Nothing has been overwritten: compare their saved version "
            "with yours below, then save again to replace theirs with yours, or cancel to keep "
            "theirs.",
            code="conflict",
        )

    def _deleted(self) -> forms.ValidationError:
        return forms.ValidationError(
            "Someone else has deleted this item while you were editing it, so it cannot be "
            "saved. Copy anything you want to keep before leaving this page.",
            code="deleted",
        )

    def conflict_fields(self) -> list[tuple[str, str, str, str]]:
        """(field name, label, saved value, your value) for each field that differs, each value
        as a person reads it (a choice's label, a moment in the site's time zone)."""
        if self.conflict is None:
            return []
        rows = []
        for name, field in self.fields.items():
            if name in {"version", "fingerprint", "reason"} or name not in self.cleaned_data:
                continue
            try:
                saved = getattr(self.conflict, name)
            except (AttributeError, ValueError):
                continue
            mine = self.cleaned_data.get(name)
            if isinstance(saved, models.Manager):
                saved, mine = list(saved.all()), list(mine or [])
                differs = {o.pk for o in saved} != {o.pk for o in mine}
            else:
                differs = (saved if saved is not None else "") != (mine if mine is not None else "")
            if differs:
                label = str(field.label or name)
                rows.append((name, label, shown(field, saved), shown(field, mine)))
        return rows

    def conflict_rows(self) -> list[tuple[str, str, str]]:
        """(label, saved value, your value) for each field that differs."""
        return [(label, saved, mine) for _, label, saved, mine in self.conflict_fields()]

    def other_non_field_errors(self) -> list[str]:
        """The form's problems that belong to no field, but the conflict: a browser page says
        that once, in its comparison (templates/strategies/_conflict.html), and the form's own
        list of problems (templates/bootstrap5/errors.html) gives the rest. The admin, which
        has no comparison, lists them all."""
        errors = self.errors.as_data().get(forms.forms.NON_FIELD_ERRORS, [])
        return [message for error in errors if error.code != "conflict" for message in error]


def shown(field: forms.Field, value) -> str:
    """A value as the form's reader knows it."""
    if value is None or value == "":
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return plain_number(value)
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        return str(dict(flatten_choices(choices)).get(value, value))
    return str(value)


class VersionedFormMixin(ConflictMixin):
    """For ModelForms of a strategies.models.base.Versioned model."""

    stamp_field = "version"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=self.instance.version
        )

    def _stamp(self, row: models.Model) -> int:
        return row.version

    def save(self, commit: bool = True):
        self.instance.version = (self.instance.version or 0) + 1 if self.instance.pk else 1
        return super().save(commit=commit)


def fingerprint(instance: models.Model, names) -> str:
    """A digest of what `instance` holds in the model fields named (others are ignored)."""
    by_name = {f.name: f for f in instance._meta.get_fields() if f.concrete}
    parts = []
    for name in sorted(n for n in names if n in by_name):
        field = by_name[name]
        if field.many_to_many:
            value = sorted(getattr(instance, name).values_list("pk", flat=True))
        else:
            value = field.value_from_object(instance)
        parts.append(f"{name}={value!r}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class FingerprintField(forms.CharField):
    """The hidden fingerprint: bookkeeping, never one of the changes a person made."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data) -> bool:
        return False


class FingerprintFormMixin(ConflictMixin):
    """For ModelForms of a model without a `version`: the fields the form shows, as read."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Worked out when the form is drawn, once a subclass has settled the fields it shows.
        self.fields["fingerprint"] = FingerprintField(
            required=False, initial=lambda: self._fingerprint(self.instance)
        )

    stamp_field = "fingerprint"

    def _stamp(self, row: models.Model) -> str:
        return self._fingerprint(row)

    def _fingerprint(self, row: models.Model) -> str:
        if row.pk is None:
            return ""
        # The form class's fields (not those a state-dependent __init__ leaves), without the
        # fields the application stamps itself.
        stamped = {
            f.name
            for f in row._meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        }
        names = [
            n
            for n, f in self.base_fields.items()
            if n != "fingerprint" and not f.disabled and n not in stamped
        ]
        return fingerprint(row, names)


class AdminConflictMixin:
    """In the admin, which has no comparison table: their saved value beside each field."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            for name, _, saved, _ in self.conflict_fields():
                self.add_error(name, f"Their saved version: {saved or '(empty)'}")
            raise
