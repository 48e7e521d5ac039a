"""Consultation forms: the staff's windows, events, partners, themes and "you said, we did",
and the public response form."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone

from governance.forms import MeetingTimeField, plausible
from governance.models import Body, Gate, Purpose
from strategies.concurrency import VersionedFormMixin
from strategies.forms import DateInput
from strategies.models import Revision, Strategy

from .models import (
    ConsultationWindow,
    Event,
    PriorityAnswer,
    Response,
    Theme,
    WindowPartner,
    YouSaidWeDid,
)
from .workflow import event_date_problem, same_theme, theme_name, window_problems

TEXT_LIMIT = 5000  # characters in any one free-text answer


class CloseWindowForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        label="Reason for closing now",
        help_text="Kept with the consultation. Needed if closing now makes it shorter than the "
        "policy's minimum.",
    )


class WindowForm(VersionedFormMixin, forms.ModelForm):
    opens_on = forms.DateField(required=False, widget=DateInput(), validators=[plausible])
    closes_on = forms.DateField(required=False, widget=DateInput(), validators=[plausible])

    class Meta:
        model = ConsultationWindow
        fields = [
            "title",
            "slug",
            "gate",
            "summary",
            "opens_on",
            "closes_on",
            "date_precision",
            "period_note",
            "for_public",
            "for_stakeholders",
            "for_partners",
            "short_window_reason",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "short_window_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, strategy: Strategy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
        if self.instance.minimum_days is None:
            self.instance.minimum_days = strategy.lead_organisation.consultation_minimum_days
        taken = ConsultationWindow.objects.exclude(pk=self.instance.pk).exclude(gate=None)
        self.fields["gate"].queryset = (
            Gate.objects.filter(strategy=strategy, purpose=Purpose.CONSULT)
            .filter(~Q(state=Gate.State.REMOVED) | Q(pk=self.instance.gate_id))
            .exclude(pk__in=taken.values("gate_id"))
            .select_related("body")
        )
        self.fields["gate"].help_text = "The consultation gate of the route (purpose “consult”)."
        if self.instance.pk and self.instance.state != "planned":
            # Fixed once open: the public address, the dates people were given, the gate.
            for name in ("slug", "gate", "opens_on", "closes_on", "date_precision", "period_note"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixed once the consultation has opened."
        self.fields["short_window_reason"].help_text = (
            f"Needed if the window is shorter than the {self.instance.minimum_days}-day minimum "
            f"in {strategy.lead_organisation}'s policy."
        )

    def clean(self):
        cleaned = super().clean()
        self.instance.opens_on = cleaned.get("opens_on")
        self.instance.closes_on = cleaned.get("closes_on")
        self.instance.short_window_reason = cleaned.get("short_window_reason", "")
        for problem in window_problems(self.instance, opening=False):
            self.add_error(problem.field, problem.message)
        return cleaned


class EventForm(forms.ModelForm):
    starts_at = MeetingTimeField()

    class Meta:
        model = Event
        fields = [
            "title",
            "starts_at",
            "date_precision",
            "online",
            "place",
            "host_body",
            "host_organisation",
            "expected_attendance",
            "actual_attendance",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self, *args, strategy: Strategy, window: ConsultationWindow | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.window = window or getattr(self.instance, "window", None)
        orgs = [
            strategy.lead_organisation_id,
            *strategy.partner_links.values_list("organisation_id", flat=True),
        ]
        self.fields["host_body"].queryset = Body.objects.filter(organisation_id__in=orgs)

    def clean(self):
        cleaned = super().clean()
        starts = cleaned.get("starts_at")
        if self.window and starts:
            problem = event_date_problem(self.window, timezone.localtime(starts).date())
            if problem:
                self.add_error("starts_at", problem)
        # (A place typed but refused, too long say, has its own error already.)
        if not cleaned.get("online") and not cleaned.get("place") and "place" not in self.errors:
            self.add_error("place", "Give the place, or tick “online”.")
        return cleaned


class PartnerForm(forms.ModelForm):
    class Meta:
        model = WindowPartner
        fields = ["organisation", "role"]


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, window: ConsultationWindow | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.window = window

    def clean_name(self):
        name = theme_name(self.cleaned_data["name"])
        window = self.window or getattr(self.instance, "window", None)
        if window is not None and (same := same_theme(window, name, self.instance.pk)):
            raise forms.ValidationError(f"There is already a theme “{same.name}”.")
        return name


class YouSaidWeDidForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = YouSaidWeDid
        fields = ["theme", "you_said", "changed", "we_did", "revision", "why_not"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("you_said", "we_did", "why_not")}

    def __init__(self, *args, window: ConsultationWindow, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.window = window
        self.fields["theme"].queryset = window.themes.all()
        self.fields["revision"].queryset = Revision.objects.filter(strategy=window.strategy)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("changed"):
            if not cleaned.get("we_did", "").strip():
                self.add_error("we_did", "Say what changed in the strategy.")
            if not cleaned.get("revision"):
                self.add_error("revision", "Choose the revision that made the change.")
        elif not cleaned.get("why_not", "").strip():
            self.add_error("why_not", "Say why nothing changed.")
        return cleaned


class PublicResponseForm(forms.Form):
    """The public form: one agreement and comment per priority of the text consulted on."""

    respondent_type = forms.ChoiceField(
        label="I am responding as",
        choices=Response.RespondentType.choices,
        widget=forms.RadioSelect,
    )
    organisation_name = forms.CharField(
        label="Name of the organisation or group",
        max_length=200,
        required=False,
        help_text="Only if you respond for an organisation or a group.",
    )
    general_comments = forms.CharField(
        label="Any other comments",
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    consent = forms.BooleanField(
        label="I have read the privacy notice and agree to my response being used as it describes",
        error_messages={"required": "Please confirm you have read the privacy notice."},
    )
    # A field people never see; automated senders fill it in (see the view).
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, priorities: list[dict], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.priorities = priorities
        for p in priorities:
            self.fields[f"agree_{p['id']}"] = forms.TypedChoiceField(
                label=f"How far do you agree with “{p['title']}”?",
                choices=[("", "No answer"), *PriorityAnswer.Agreement.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"comment_{p['id']}"] = forms.CharField(
                label=f"Comments on “{p['title']}”",
                max_length=TEXT_LIMIT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.order_fields(
            [
                "respondent_type",
                "organisation_name",
                *[f for p in priorities for f in (f"agree_{p['id']}", f"comment_{p['id']}")],
                "general_comments",
                "consent",
                "website",
            ]
        )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("respondent_type")
        if (
            kind in (Response.RespondentType.ORGANISATION, Response.RespondentType.GROUP)
            and not cleaned.get("organisation_name", "").strip()
        ):
            self.add_error("organisation_name", "Give the name of the organisation or group.")
        return cleaned

    def answers(self) -> list[tuple[int, str, int | None, str]]:
        return [
            (
                p["id"],
                p["title"],
                self.cleaned_data.get(f"agree_{p['id']}"),
                self.cleaned_data.get(f"comment_{p['id']}", ""),
            )
            for p in self.priorities
        ]

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website", "").strip())
