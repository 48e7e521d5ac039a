"""The council's own references, and where a record came from, as the forms ask for them: a
gate's place on its meeting's agenda (report number, agenda item), and what a decision's record
says besides its wording (how exactly its date is known, the minute's and the decision notice's
references, whether it was recorded after the fact and from what). governance/forms.py builds
the schedule, decision and correction forms with these; governance.workflow keeps the rules.
"""

from __future__ import annotations

from django import forms

from strategies.forms import REASON_HELP

from .dates import Precision
from .models import Decision, Gate
from .workflow import decision_problems


def _model_field(model, name: str, **kwargs) -> forms.Field:
    """The model field's own form field: its label, length limit and help, in one place."""
    return model._meta.get_field(name).formfield(**kwargs)


def _precision_of(meeting) -> str:
    return meeting.date_precision if meeting is not None else Precision.DAY


class AgendaPlaceFields(forms.Form):
    """A gate's place on its meeting's agenda, as the council numbers it."""

    report_number = _model_field(Gate, "report_number")
    agenda_item = _model_field(Gate, "agenda_item")


class AgendaReferencesForm(AgendaPlaceFields):
    comment = forms.CharField(
        max_length=300, required=False, label="Reason for the change", help_text=REASON_HELP
    )


class DecisionReferenceFields(forms.Form):
    """What a decision's record says besides its outcome and wording (forms.py's
    DecisionRecordFields builds on these)."""

    # Not given (a request that leaves it out): as exactly as the meeting's date is known, or for
    # a correction as the record has it.
    decided_precision = _model_field(
        Decision,
        "decided_precision",
        required=False,
        empty_value=None,
        help_text="“Month only” when the minutes give just the month: give any day in it, and "
        "the decision is quoted as the month everywhere.",
    )
    minute_reference = _model_field(Decision, "minute_reference")
    decision_notice_reference = _model_field(Decision, "decision_notice_reference")
    recorded_later = _model_field(
        Decision,
        "recorded_later",
        help_text="Entered now from the council's records (minutes, decision notice) of a "
        "decision taken before the strategy came into Waymark.",
    )
    recorded_from = _model_field(Decision, "recorded_from")

    # Where each goes among the decision forms' fields, after the date and before the wording;
    # "recorded after the fact" closes the form.
    AFTER_DATE = ["decided_precision", "minute_reference"]
    NOTICE = ["published_on", "decision_notice_reference"]
    PROVENANCE = ["recorded_later", "recorded_from"]

    def order_record(self, first: list[str], executive: bool) -> None:
        """The fields in the order of the record; an executive body's decision notice fields
        only at an executive body."""
        if not executive:
            for name in self.NOTICE:
                self.fields.pop(name, None)
        placed = [*first, "decided_on", *self.AFTER_DATE, *self.NOTICE]
        last = [*self.PROVENANCE, "comment"]
        rest = [name for name in self.fields if name not in {*placed, *last}]
        self.order_fields([*placed, *rest, *last])

    def add_decision_problems(
        self, meeting, outcome: str, executive: bool, gate=None, corrected=None
    ) -> None:
        """The decision rules (workflow.decision_problems) on whatever was given, beside the
        fields' own problems, so that every problem shows at once; a field with a problem of its
        own shows only that one. `corrected`: the decision a correction is of."""
        cleaned = self.cleaned_data
        precision = cleaned.get("decided_precision") or (
            corrected.decided_precision if corrected else _precision_of(meeting)
        )
        for problem in decision_problems(
            meeting,
            outcome,
            cleaned.get("decided_on"),
            cleaned.get("resolution", ""),
            cleaned.get("reasons", ""),
            cleaned.get("published_on"),
            executive=executive,
            alternatives=cleaned.get("alternatives_considered", ""),
            gate=gate,
            precision=precision,
            recorded_later=cleaned.get("recorded_later", False),
            recorded_from=cleaned.get("recorded_from", ""),
        ):
            show_problem(self, problem)


def show_problem(form, problem) -> None:
    """A rule's problem beside its field (above the form when the form has no such field),
    unless that field already says what is wrong with it."""
    if problem.field not in form.errors:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)
