"""The form for the executive's response to a scrutiny committee's comments or recommendations;
governance.workflow (scrutiny.py) keeps the rules and records it."""

from __future__ import annotations

from django import forms

from strategies.forms import DateInput

from .dates import plausible
from .models import Decision, ExecutiveResponse
from .record_forms import show_problem
from .workflow import responding_bodies, response_problems


def _model_field(name: str, **kwargs) -> forms.Field:
    return ExecutiveResponse._meta.get_field(name).formfield(**kwargs)


class ExecutiveResponseForm(forms.Form):
    body = forms.ModelChoiceField(
        queryset=None, label="Who responded", help_text="An executive body of the council."
    )
    responded_on = forms.DateField(
        widget=DateInput(), label="Date of the response", validators=[plausible]
    )
    response = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text="The response, as minuted or published.",
    )
    minute_reference = _model_field("minute_reference", help_text="E.g. “Minute 52/25”.")
    recorded_later = _model_field(
        "recorded_later",
        help_text="Entered now from the council's records of a response given earlier.",
    )
    recorded_from = _model_field(
        "recorded_from", help_text="E.g. “the minutes of the Cabinet of 10 April 2025”."
    )

    def __init__(self, *args, decision: Decision, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.decision = decision
        bodies = responding_bodies(decision)
        self.fields["body"].queryset = bodies
        self.fields["body"].label_from_instance = lambda body: body.name
        if len(bodies) == 1:
            self.fields["body"].initial = bodies[0].pk

    def clean(self):
        cleaned = super().clean()
        for problem in response_problems(
            self.decision,
            cleaned.get("responded_on"),
            cleaned.get("response", ""),
            cleaned.get("recorded_later", False),
            cleaned.get("recorded_from", ""),
        ):
            show_problem(self, problem)
        return cleaned
