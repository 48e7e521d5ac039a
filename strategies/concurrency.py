"""Optimistic locking: two people editing the same item never silently overwrite each other.

Every editable row carries a `version`. A form remembers the version it was opened on; on save
the row is locked and, if someone else saved in between, the form is refused with a conflict
that shows the saved version beside what this person typed (which stays in the form). Saving
again after reading the conflict is a deliberate choice and goes through.

Browser forms and admin forms both use VersionedFormMixin, so the rule holds whichever door a
user comes through. The caller must run validation and save in one transaction
(views do; the admin's change view already does).
"""

from __future__ import annotations

from django import forms
from django.db import models


class VersionedFormMixin:
    """For ModelForms of a strategies.models.base.Versioned model."""

    conflict: models.Model | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=self.instance.version
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        current = (
            type(self.instance)
            ._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .first()
        )
        if current is None:
            raise forms.ValidationError(
                "Someone else has deleted this item while you were editing it, so it cannot be "
                "saved. Copy anything you want to keep before leaving this page.",
                code="deleted",
            )
        submitted = cleaned.get("version")
        if submitted != current.version:
            self.conflict = current
            # Saving again after reading the conflict is deliberate: accept the newer version.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = current.version
            last = current.history.select_related("history_user").first()
            who = last.history_user.display_name if last and last.history_user else "Someone else"
            raise forms.ValidationError(
                f"{who} saved a change to this item while you were editing it. Nothing has been "
                f"overwritten: compare their saved version with yours below, then save again to "
                f"replace theirs with yours, or cancel to keep theirs.",
                code="conflict",
            )
        return cleaned

    def save(self, commit: bool = True):
        self.instance.version = (self.instance.version or 0) + 1 if self.instance.pk else 1
        return super().save(commit=commit)

    def conflict_rows(self) -> list[tuple[str, str, str]]:
        """(label, saved value, your value) for each field that differs."""
        if self.conflict is None:
            return []
        rows = []
        for name, field in self.fields.items():
            if name in {"version", "reason"} or name not in self.cleaned_data:
                continue
            try:
                saved = getattr(self.conflict, name)
            except (AttributeError, ValueError):
                continue
            mine = self.cleaned_data.get(name)
            if isinstance(saved, models.Manager):
                saved = ", ".join(str(o) for o in saved.all())
                mine = ", ".join(str(o) for o in mine or [])
            saved_text = "" if saved is None else str(saved)
            mine_text = "" if mine is None else str(mine)
            if saved_text != mine_text:
                rows.append((str(field.label or name), saved_text, mine_text))
        return rows
