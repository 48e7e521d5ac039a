"""The forms for a call-in of an executive decision: recording that it was called in, and what
came of it. The rules are governance.workflow's (call_ins.py); each refusal is shown beside its
field by the view."""

from __future__ import annotations

from django import forms

from strategies.forms import DateInput

from .dates import plausible
from .models import Body, CallIn


def _model_field(name: str, **kwargs) -> forms.Field:
    return CallIn._meta.get_field(name).formfield(**kwargs)


class CallInForm(forms.Form):
    called_in_on = forms.DateField(
        widget=DateInput(),
        label="Called in on",
        required=False,  # the workflow asks for it unless recorded after the fact
        validators=[plausible],
        help_text="When the call-in request was made: within the call-in period. Recorded "
        "after the fact, leave it empty if the records do not give the day.",
    )
    called_in_by = _model_field("called_in_by")
    recorded_later = _model_field(
        "recorded_later",
        help_text="Entered from the council's records after the call-in period ended.",
    )
    recorded_from = _model_field(
        "recorded_from",
        help_text="Where it was taken from, e.g. “the minutes of the Scrutiny Committee of 20 "
        "April 2023”.",
    )


class CallInOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="What came of it")
    heard_by = forms.ModelChoiceField(queryset=Body.objects.none(), label="Heard by")
    heard_on = forms.DateField(
        widget=DateInput(),
        label="Heard on",
        required=False,  # the workflow asks for it unless what came of it is not on record
        validators=[plausible],
    )
    outcome_notes = _model_field("outcome_notes", label="What was resolved")
    minute_reference = _model_field("minute_reference")

    def __init__(self, *args, call_in: CallIn, **kwargs) -> None:
        """For `call_in`: heard by a scrutiny committee of the decision's organisation, or, once
        referred to full council, by any of its bodies (the council's outcome)."""
        super().__init__(*args, **kwargs)
        organisation = call_in.decision.gate.body.organisation_id
        bodies = Body.objects.filter(organisation_id=organisation)
        choices = [(value, label) for value, label in CallIn.Outcome.choices if value != "pending"]
        if not call_in.recorded_later:
            choices = [c for c in choices if c[0] != CallIn.Outcome.NOT_ON_RECORD]
        if call_in.outcome == CallIn.Outcome.REFERRED_TO_COUNCIL:
            choices = [c for c in choices if c[0] != CallIn.Outcome.REFERRED_TO_COUNCIL]
            self.fields["heard_by"].label = "Considered by (full council)"
        else:
            bodies = bodies.filter(kind=Body.Kind.SCRUTINY)
        self.fields["outcome"].choices = [("", "---------"), *choices]
        self.fields["heard_by"].queryset = bodies.order_by("name")
