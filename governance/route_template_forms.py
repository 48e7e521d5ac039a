"""The form that applies a route template (workflow.apply_route): on the strategy's route page
and as the strategy admin's action."""

from __future__ import annotations

from django import forms
from django.db.models import Count, Q

from strategies.forms import DateInput
from strategies.models import Strategy

from .dates import plausible
from .models import RouteTemplate


def _template_label(template: RouteTemplate) -> str:
    """ "Dudley refresh 2017 (9 gates)": a template as the picker offers it."""
    return f"{template.name} ({template.steps} gate{'' if template.steps == 1 else 's'})"


class ApplyRouteForm(forms.Form):
    """Which template, from when, and whether to build the rest when a body is missing
    (workflow.apply_route). Each template is offered with how many gates it adds; for a
    strategy, only its lead organisation's templates and those of no organisation."""

    # Nothing is chosen until the officer chooses: a first template picked in advance would be
    # applied by anyone who pressed the button without reading it.
    route = forms.ModelChoiceField(
        queryset=RouteTemplate.objects.none(),
        label="Route template",
        empty_label="Choose a route template",
    )
    starts_on = forms.DateField(
        required=False,
        widget=DateInput(),
        label="First gate planned for",
        validators=[plausible],
        help_text="The others are planned from the template's usual gaps, to the month. Leave "
        "empty to plan the dates later.",
    )
    skip_missing = forms.BooleanField(
        required=False,
        label="If a body is missing, add the other gates without it",
        help_text="Otherwise nothing is added, and the steps whose bodies are missing are named.",
    )

    def __init__(self, *args, strategy: Strategy | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        templates = RouteTemplate.objects.annotate(steps=Count("gates")).order_by("name")
        if strategy is not None:
            templates = templates.filter(
                Q(organisation=strategy.lead_organisation_id) | Q(organisation__isnull=True)
            )
        field = self.fields["route"]
        field.queryset = templates
        field.label_from_instance = _template_label
