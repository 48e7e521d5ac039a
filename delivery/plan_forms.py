"""The delivery plan's forms, for the browser and the admin alike: each checks what it is given
against the workflow's rules (delivery/plan.py) and shows each problem beside its field; the
pages and the admin then make the move, which asks the same rules again under its lock."""

from __future__ import annotations

from django import forms
from django.forms.models import construct_instance

from strategies.concurrency import VersionedFormMixin
from strategies.forms import REASON_HELP, DateInput
from strategies.models import Strategy

from . import plan
from .models import Milestone, ProgressUpdate


class RuledForm:
    """A model form whose object, as typed, the workflow checks (`problems`, beside their
    fields) and, when the form knows who is saving (`acting_user`, set by the admin), whether
    they may save it now (`refusal`, above the form)."""

    acting_user = None

    def problems(self, obj) -> list:
        return []

    def refusal(self, obj) -> str | None:
        return None

    def clean(self):
        cleaned = super().clean()
        obj = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        if self.acting_user is not None and (refusal := self.refusal(obj)):
            self.add_error(None, refusal)
        for problem in self.problems(obj):
            name = problem.field if problem.field in self.fields else None
            if name is None or name not in self.errors:  # one problem at a time per field
                self.add_error(name, problem.message)
        return cleaned


def reason_field(required: bool = False, label: str = "Reason") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=500,
        required=required,
        help_text="Kept in the history with who made the change." if required else REASON_HELP,
    )


class MilestoneForm(RuledForm, VersionedFormMixin, forms.ModelForm):
    reason = reason_field()

    class Meta:
        model = Milestone
        fields = ["title", "due_on", "completed_on"]
        widgets = {"due_on": DateInput(), "completed_on": DateInput()}
        help_texts = {"completed_on": "Leave empty until it is done."}

    def problems(self, milestone):
        return plan.milestone_problems(milestone)

    def refusal(self, milestone):
        return plan.milestone_refusal(self.acting_user, plan.strategy_of(milestone.action))


class UpdateForm(RuledForm, forms.ModelForm):
    """A progress update as the action's lead reports it."""

    class Meta:
        model = ProgressUpdate
        fields = ["as_of", "status", "rag", "commentary"]
        widgets = {"as_of": DateInput(), "commentary": forms.Textarea(attrs={"rows": 4})}
        labels = {"rag": "RAG rating"}
        help_texts = {
            "rag": "Green: on track. Amber: at risk. Red: off track.",
            "commentary": "What has been done, what is next, and what stands in the way.",
        }

    def __init__(self, *args, strategy: Strategy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.fields["rag"].choices = [
            ("", "Not rated"),
            *ProgressUpdate._meta.get_field("rag").choices,
        ]
        self.fields["commentary"].max_length = 10_000
        self.fields["commentary"].widget.attrs["maxlength"] = 10_000

    def problems(self, update):
        return plan.update_problems(update, self.strategy)

    def refusal(self, update):
        return plan.update_refusal(self.acting_user, self.strategy)


class CorrectionForm(UpdateForm):
    """A correction of an update: the reason is required, and the form remembers the newest
    history row it was opened on (`seen`), so that two corrections never overwrite each other
    unseen (plan.correct_update)."""

    reason = reason_field(label="Why is it corrected?")
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = "Needed: kept in the history with who corrected it."
        if not self.is_bound:
            self.initial["seen"] = plan.latest_history_id(self.instance)

    def problems(self, update):
        problem = plan.correction_reason_problem(self.cleaned_data.get("reason", ""))
        return [problem, *super().problems(update)] if problem else super().problems(update)
