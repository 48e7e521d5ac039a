"""The "you said, we did" entry's form, in the browser and (its fields) in the admin: which of
the strategy's items changed, as checkboxes grouped as the strategy's page groups them; the
"changed" box unticked until the person ticks it; and, once the response is published, the
reason for correcting an entry, which the workflow's `save_entry` asks for and its history
keeps. What the entry must be is the workflow's (workflow/entries.py), shown beside each field
through `CheckedByRules`."""

from __future__ import annotations

from django import forms

from strategies.concurrency import VersionedFormMixin
from strategies.models import Revision

from . import changes
from .forms import TEXT_LIMIT, CheckedByRules
from .models import ConsultationWindow, YouSaidWeDid
from .workflow import WorkflowError, correction_refusal, entry_problems


def changed_items_field() -> forms.MultipleChoiceField:
    """Declared on each form class (the admin renders only declared fields); its choices are
    the entry's strategy's items (`EntryFields.add_entry_fields`)."""
    return forms.MultipleChoiceField(
        label="Which items of the strategy changed",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def reason_field() -> forms.CharField:
    return forms.CharField(
        label="Why you are correcting it",
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed once the response is published: the correction is kept in the "
        "entry's history with this reason, and its public page says when it was updated.",
    )


class EntryFields(CheckedByRules):
    """What the browser's entry form and the admin's share: the items that changed, a new
    entry's "changed" box left for the person to tick, and the reason for a correction once the
    response is published. The window is the entry's (None while the admin's add form has
    none chosen yet)."""

    def add_entry_fields(self) -> None:
        window = self.instance.window if self.instance.window_id else None
        field = self.fields["changed_items"]
        if window is not None:
            field.choices = changes.item_choices(window)
            field.help_text = (
                "Only if the strategy changed. Each is shown with its text as consulted on "
                "beside its text in the revision that changed it."
            )
        else:
            field.help_text = "Choose the consultation and save first; then choose the items."
        self.initial["changed_items"] = [
            changes.value_of(key) for key in changes.keys_of(self.instance)
        ]
        if self.instance.pk is None and not self.is_bound:
            # Ticked only by the person who says the strategy changed: a box ticked for them
            # turned their "why nothing changed" into a refusal they could not see the cause of.
            self.initial["changed"] = False

    def clean_changed_items(self) -> list[dict]:
        keys = [changes.key_of(value) for value in self.cleaned_data.get("changed_items", [])]
        return changes.stored([key for key in keys if key is not None])

    def problems(self, entry):
        problems = entry_problems(entry)
        if entry.pk is not None and entry.window_id is not None:
            reason = self.cleaned_data.get("reason", "")
            if refusal := correction_refusal(entry.window, reason):
                problems.append(WorkflowError(refusal, field="reason"))
        return problems


class YouSaidWeDidForm(EntryFields, VersionedFormMixin, forms.ModelForm):
    changed_items = changed_items_field()
    reason = reason_field()

    class Meta:
        model = YouSaidWeDid
        fields = ["theme", "you_said", "changed", "we_did", "revision", "changed_items", "why_not"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("you_said", "we_did", "why_not")}

    def __init__(self, *args, window: ConsultationWindow, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.window = window
        self.fields["theme"].queryset = window.themes.all()
        self.fields["revision"].queryset = Revision.objects.filter(strategy=window.strategy)
        if window.revision is not None:
            self.fields["revision"].help_text = (
                f"The revision that made the change, taken after the text consulted on "
                f"(revision {window.revision.number})."
            )
        self.add_entry_fields()
        if window.state == ConsultationWindow.State.RESPONSE_PUBLISHED:
            self.fields["theme"].disabled = True  # a correction: the entry is its theme's
        else:
            del self.fields["reason"]  # asked only for a correction
