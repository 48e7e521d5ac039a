"""Forms validate; strategies.editing changes things. Errors stay beside their fields."""

from __future__ import annotations

from django import forms

from .concurrency import VersionedFormMixin
from .models import (
    Action,
    EvidenceSource,
    Objective,
    Organisation,
    OutcomeIndicator,
    Priority,
    Strategy,
)

REASON_HELP = "Optional. Shown in the history beside this change."


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ContentForm(VersionedFormMixin, forms.ModelForm):
    """Base for every form that edits a strategy or part of it."""

    reason = forms.CharField(
        label="Reason for the change", max_length=300, required=False, help_text=REASON_HELP
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The reason is last, after the content fields.
        self.order_fields([f for f in self.fields if f != "reason"] + ["reason"])


class StrategyForm(ContentForm):
    partners = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Organisations working with the lead organisation on this strategy.",
    )
    joint_leads = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Joint leads",
        help_text="Partners that lead the strategy with you (a joint strategy of a council and "
        "a CCG): their officers may plan and edit it too. A joint lead is a partner as well.",
    )

    class Meta:
        model = Strategy
        fields = [
            "title",
            "start_year",
            "end_year",
            "top_level_term",
            "vision",
            "summary",
            "author_name",
            "author_title",
            "contact_name",
            "contact_phone",
            "contact_email",
            "replaces",
        ]
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 4}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, lead_organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lead_organisation = lead_organisation
        others = Organisation.objects.exclude(pk=lead_organisation.pk)
        self.fields["partners"].queryset = others
        self.fields["joint_leads"].queryset = others
        if self.instance.pk:
            links = list(self.instance.partner_links.all())
            self.initial.setdefault("partners", [link.organisation_id for link in links])
            self.initial.setdefault(
                "joint_leads", [link.organisation_id for link in links if link.joint_lead]
            )
        replaceable = Strategy.objects.filter(lead_organisation=lead_organisation)
        if self.instance.pk:
            replaceable = replaceable.exclude(pk=self.instance.pk)
        self.fields["replaces"].queryset = replaceable
        self.fields["start_year"].widget.attrs.update({"min": 1990, "max": 2100})
        self.fields["end_year"].widget.attrs.update({"min": 1990, "max": 2100})
        self.order_fields(
            ["title", "start_year", "end_year", "partners", "joint_leads", "top_level_term"]
            + ["vision", "summary"]
            + [
                f
                for f in self.fields
                if f
                not in {
                    "title",
                    "start_year",
                    "end_year",
                    "partners",
                    "joint_leads",
                    "top_level_term",
                    "vision",
                    "summary",
                    "reason",
                }
            ]
            + ["reason"]
        )

    def validate_constraints(self):
        # The period constraint is reported beside "Last year" by clean(); the lead organisation
        # is set by the view after validation.
        return


class PriorityForm(ContentForm):
    class Meta:
        model = Priority
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ObjectiveForm(ContentForm):
    class Meta:
        model = Objective
        fields = ["title", "description", "commitment_level"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "commitment_level": "Optional: who does this — organisations, organisations with "
            "communities, or communities themselves."
        }


class ActionForm(ContentForm):
    """What an action is. How it stands (its status and RAG rating) is not edited here: each
    progress update on the Delivery tab sets them, so they are always the latest update's."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].empty_label = "No lead organisation"

    class Meta:
        model = Action
        fields = [
            "title",
            "lead_organisation",
            "lead_team",
            "due_date",
            "milestone",
        ]
        widgets = {"due_date": DateInput()}
        help_texts = {"lead_team": "A team or service, if not (only) an organisation."}


class OutcomeIndicatorForm(ContentForm):
    objectives = forms.ModelMultipleChoiceField(
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Objectives it measures",
    )

    class Meta:
        model = OutcomeIndicator
        fields = [
            "framework",
            "code",
            "title",
            "unit",
            "baseline",
            "baseline_date",
            "target",
            "target_date",
            "polarity",
            "latest_value",
            "latest_date",
        ]
        widgets = {
            "baseline_date": DateInput(),
            "target_date": DateInput(),
            "latest_date": DateInput(),
        }

    def __init__(self, *args, strategy: Strategy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Not judged until someone says which way is better.
        self.fields["polarity"].required = False
        self.fields["objectives"].queryset = Objective.objects.filter(
            priority__strategy=strategy
        ).order_by("priority__position", "position")
        if self.instance.pk:
            self.initial.setdefault(
                "objectives", [link.objective_id for link in self.instance.objective_links.all()]
            )

    def clean_polarity(self) -> str:
        return self.cleaned_data.get("polarity") or OutcomeIndicator.Polarity.NEITHER


class EvidenceSourceForm(ContentForm):
    class Meta:
        model = EvidenceSource
        fields = ["kind", "title", "year", "url"]


class SnapshotForm(forms.Form):
    label = forms.CharField(
        label="What this revision marks",
        max_length=200,
        help_text="e.g. “Draft for the Board on 28 June”",
    )
