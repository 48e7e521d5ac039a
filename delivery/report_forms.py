"""The forms of progress reports: starting one (its title, period and, if it goes to a
meeting, the body and what the meeting does with it), writing its sections, and taking it to a
meeting later. They check what was typed; delivery/reports.py checks the rest, beside the same
fields, when the move is made."""

from __future__ import annotations

from django import forms

from governance.forms import named_with_organisation
from governance.models import Body
from strategies.concurrency import VersionedFormMixin
from strategies.forms import DateInput
from strategies.models import Priority, Strategy

from .models import ProgressReport
from .plan_forms import reason_field
from .reports import GATE_PURPOSES

PURPOSE_CHOICES = [(p.value, p.label) for p in GATE_PURPOSES]


def _bodies(strategy: Strategy):
    """The bodies of the strategy's lead and partner organisations, as the route's form offers."""
    orgs = [
        strategy.lead_organisation_id,
        *strategy.partner_links.values_list("organisation_id", flat=True),
    ]
    return Body.objects.filter(organisation_id__in=orgs).select_related("organisation")


class MeetingFields(forms.Form):
    body = forms.ModelChoiceField(
        queryset=Body.objects.none(),
        required=False,
        label="Take it to",
        help_text="The body overseeing delivery; a secretary puts it on one of its meetings.",
    )
    purpose = forms.ChoiceField(
        choices=PURPOSE_CHOICES, initial=GATE_PURPOSES[0].value, label="For the meeting to"
    )

    def __init__(self, *args, strategy: Strategy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _bodies(strategy)
        self.fields["body"].label_from_instance = named_with_organisation


class StartForm(MeetingFields):
    title = forms.CharField(max_length=300)
    covers_from = forms.DateField(label="Covers from", widget=DateInput())
    covers_to = forms.DateField(label="Covers to", widget=DateInput())

    field_order = ["title", "covers_from", "covers_to", "body", "purpose"]


class MeetingForm(MeetingFields):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].required = True


class ReportForm(VersionedFormMixin, forms.ModelForm):
    """The report's title, period and the officer's sections, with a commentary field for each
    priority (kept in `commentary` by priority id)."""

    reason = reason_field()

    class Meta:
        model = ProgressReport
        fields = [
            "title", "covers_from", "covers_to", "summary", "recommendations", "risks",
            "next_steps",
        ]  # fmt: skip
        widgets = {
            "covers_from": DateInput(),
            "covers_to": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "recommendations": forms.Textarea(attrs={"rows": 4}),
            "risks": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, priorities: list[Priority], label: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        saved = self.instance.commentary if isinstance(self.instance.commentary, dict) else {}
        self.commentary_fields = []
        for priority in priorities:
            name = f"commentary_{priority.pk}"
            self.fields[name] = forms.CharField(
                label=f"Commentary on {label} {priority.position}: {priority.title}",
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=saved.get(str(priority.pk), ""),
            )
            self.commentary_fields.append(name)
        for name in ("summary", "recommendations", "risks", "next_steps"):
            self.fields[name].max_length = 50_000
            self.fields[name].widget.attrs["maxlength"] = 50_000

    def clean(self):
        cleaned = super().clean()
        for name in ("summary", "recommendations", "risks", "next_steps"):
            if len(cleaned.get(name) or "") > 50_000:
                self.add_error(name, "Keep this under 50,000 characters.")
        return cleaned

    def save(self, commit: bool = True):
        report = super().save(commit=False)
        commentary = dict(report.commentary) if isinstance(report.commentary, dict) else {}
        for name in self.commentary_fields:
            text = (self.cleaned_data.get(name) or "").strip()
            key = name.removeprefix("commentary_")
            if text:
                commentary[key] = text
            else:
                commentary.pop(key, None)
        report.commentary = commentary
        if commit:
            report.save()
        return report
