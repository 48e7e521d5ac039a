"""The admin's route templates: a template with its steps (gate templates) on one page.

Each step is a small form of its own, with labels (a stacked inline: no sideways scroll at
1280 px). What a step waits for is typed as the numbers of other steps ("2, 3"), so a new
template's steps can wait for each other in the same save, which a picker of saved rows could
not offer. Steps that wait for each other in a circle could never be decided, so such a
template is refused when it is saved, with the steps named (workflow.steps_in_circle, the same
check applying a template makes)."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from strategies.admin_base import VersionedAdmin

from . import workflow
from .admin_bodies import BodyChoices
from .models import GateTemplate, RouteTemplate

STEP_NUMBERS = re.compile(r"^\s*\d+(\s*[,;\s]\s*\d+)*\s*$")


class GateTemplateForm(forms.ModelForm):
    waits_for_steps = forms.CharField(
        required=False,
        max_length=200,
        label="Waits for steps",
        help_text="The numbers of the steps it waits for, e.g. “2, 3”; empty for none.",
    )
    offset_days = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=3650,
        label="Usual days after",
        help_text="Days after the latest of the steps it waits for, or after the first date. "
        "Empty: a later step gets no date; a first step is on the first date.",
    )

    class Meta:
        model = GateTemplate
        fields = ["position", "purpose", "body", "body_kind", "waits_for_steps", "offset_days"]
        labels = {"position": "Step", "body": "Body", "body_kind": "Or a kind of body"}
        help_texts = {
            "position": "The step's number: the route is built in this order.",
            "body": "A named body, e.g. another organisation's CCG governing body.",
            "body_kind": "The lead organisation's body of this kind, so that the template "
            "serves any organisation with such a body.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            waits = sorted(step.position for step in self.instance.waits_for.all())
            self.initial["waits_for_steps"] = ", ".join(str(p) for p in waits)

    def clean_waits_for_steps(self) -> set[int]:
        text = self.cleaned_data["waits_for_steps"].strip()
        if not text:
            return set()
        if not STEP_NUMBERS.match(text):
            raise ValidationError("Give the steps' numbers separated by commas, e.g. “2, 3”.")
        return {int(number) for number in re.findall(r"\d+", text)}

    def has_changed(self) -> bool:
        # What it waits for is saved by the form set (save below), from every step's numbers.
        return bool(set(self.changed_data) - {"waits_for_steps"})


class GateTemplateFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check) -> str:
        return "Two steps have the same number: give each its own."

    def _kept(self) -> list[GateTemplateForm]:
        return [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not self._should_delete_form(form) and "position" in form.cleaned_data
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = self._kept()
        positions = {form.cleaned_data["position"] for form in kept}
        waits: dict[int, set[int]] = {}
        for form in kept:
            step, wanted = form.cleaned_data["position"], form.cleaned_data["waits_for_steps"]
            if step in wanted:
                form.add_error("waits_for_steps", "A step cannot wait for itself.")
            if unknown := sorted(wanted - positions):
                named = ", ".join(str(n) for n in unknown)
                form.add_error("waits_for_steps", f"This template has no step {named}.")
            waits[step] = wanted
        if any(self.errors):
            return
        if circle := workflow.steps_in_circle(waits):
            message = workflow.circle_message(circle)
            for form in kept:
                if form.cleaned_data["position"] in circle:
                    form.add_error("waits_for_steps", message)
            raise ValidationError(message)

    def save(self, commit: bool = True):
        # Steps renumbered among themselves (1 and 2 swapped) would meet the unique step number
        # half way: each moved step first steps aside, then takes its number.
        moved = [
            form
            for form in self.initial_forms
            if form.instance.pk
            and "position" in form.changed_data
            and not self._should_delete_form(form)
        ]
        if commit:
            for form in moved:
                stored = GateTemplate.objects.get(pk=form.instance.pk)
                stored.position = 1_000_000 + stored.pk  # no step's number
                stored._change_reason = "Renumbered with the other steps"
                stored.save(update_fields=["position"])
        saved = super().save(commit)
        if commit:
            kept = self._kept()
            by_position = {form.instance.position: form.instance for form in kept}
            for form in kept:
                steps = form.cleaned_data["waits_for_steps"]
                wanted = [by_position[step] for step in sorted(steps)]
                before = sorted(g.position for g in form.instance.waits_for.all())
                form.instance.waits_for.set(wanted)
                if before != sorted(steps) and (before or steps):
                    # What a step waits for is a link table without history of its own: the
                    # step's own history row says what changed, with who and when.
                    form.instance._change_reason = (
                        f"Waits for {_steps(sorted(steps))} (before: {_steps(before)})"
                    )
                    form.instance.save()
        return saved


def _steps(positions: list[int]) -> str:
    if not positions:
        return "no step"
    return ("step " if len(positions) == 1 else "steps ") + ", ".join(map(str, positions))


class GateTemplateInline(BodyChoices, admin.StackedInline):
    # Steps are edited only here, and every save moves the template's version on: it guards them.
    model = GateTemplate
    form = GateTemplateForm
    formset = GateTemplateFormSet
    extra = 1
    verbose_name = "step"
    verbose_name_plural = "steps of the route"
    fields = [("position", "purpose"), ("body", "body_kind"), ("waits_for_steps", "offset_days")]
    autocomplete_fields = ["body"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("body").prefetch_related("waits_for")


@admin.register(RouteTemplate)
class RouteTemplateAdmin(VersionedAdmin):
    list_display = ["name", "organisation", "steps"]
    list_filter = ["organisation"]
    search_fields = ["name", "description"]
    inlines = [GateTemplateInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("organisation").prefetch_related("gates")
        )

    @admin.display(description="steps")
    def steps(self, template: RouteTemplate) -> int:
        return len(template.gates.all())
