"""Consultation forms: the staff's windows, events, partners and themes, and the public response
form ("you said, we did" has its own: entry_forms.py). What each thing must be is the
workflow's (workflow/rules.py): these forms, and the admin's, show its problems beside their
fields through `CheckedByRules`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms.models import InlineForeignKeyField, construct_instance

from governance.dates import plausible
from governance.day_and_time import DayAndTimeField, StartFields
from governance.workflow import WorkflowError
from strategies.concurrency import FingerprintFormMixin, VersionedFormMixin
from strategies.forms import DateInput
from strategies.models import Revision, Strategy

from .models import (
    ConsultationWindow,
    Event,
    PriorityAnswer,
    Response,
    Theme,
    WindowPartner,
)
from .workflow import (
    FIXED_ONCE_OPEN_MESSAGE,
    RunRecord,
    event_host_bodies,
    event_problems,
    fixed_fields,
    gate_choices,
    partner_problems,
    record_problems,
    record_refusal,
    theme_name,
    theme_problems,
    window_change_problems,
)

TEXT_LIMIT = 5000  # characters in any one free-text answer


class CheckedByRules:
    """A model form whose object, as typed, the workflow checks: each problem from `problems`
    is shown beside its field (above the form when the field is not on it), and `refusal`, who
    may make the change now, above the form. The browser's forms and the admin's both use it,
    so a rule holds, with the same words in the same place, whichever door is used."""

    # The person saving, for `refusal`; the admin sets it per request (the browser's views
    # check who before they show a form).
    acting_user = None

    def refusal(self, obj) -> str | None:
        return None

    def problems(self, obj) -> list[WorkflowError]:
        return []

    def _model_field(self, name: str):
        try:
            field = self.instance._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return field if field.concrete else None

    def clean(self):
        cleaned = super().clean()
        obj = self.instance
        construct_instance(self, obj, self._meta.fields, self._meta.exclude)
        for name, field in self.fields.items():
            if isinstance(field, InlineForeignKeyField) and name in cleaned:
                # An admin inline's row belongs to the object above it, as typed there.
                setattr(obj, name, cleaned[name])
        # The model's own validators first (a plausible year, say), so that a value both refuse
        # gets the same message at both doors; Django's later check passes over these fields.
        for name in self.fields:
            field = self._model_field(name)
            if field is not None and name not in self.errors:
                try:
                    field.run_validators(getattr(obj, field.attname))
                except ValidationError as error:
                    self.add_error(name, error)
        for name in self.errors:
            # A value refused counts as not given, rather than the one stored.
            field = self._model_field(name)
            if field is not None and field.null:
                setattr(obj, field.attname, None)
        if self.acting_user is not None and self.has_changed() and (refusal := self.refusal(obj)):
            self.add_error(None, refusal)
        for problem in self.problems(obj):
            field = problem.field if problem.field in self.fields else None
            if field is None or field not in self.errors:  # one problem at a time per field
                self.add_error(field, problem.message)
        return cleaned


class CloseWindowForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        label="Reason for closing now",
        help_text="Kept with the consultation. Needed if closing now makes it shorter than the "
        "policy's minimum.",
    )


class RecordWindowForm(forms.Form):
    """ "Record a consultation that has run": a planned window as the council's records give it,
    on the window's page and as the admin's action. Who may record it now
    (workflow.record_refusal) is said above the form, and what is wrong with what was typed
    (workflow.record_problems) beside each field, in the same words at both doors."""

    # What must be given, the workflow's rules say (in their words, at both doors).
    opens_on = forms.DateField(
        label="Opened on", required=False, widget=DateInput(), validators=[plausible]
    )
    closes_on = forms.DateField(
        label="Closed on", required=False, widget=DateInput(), validators=[plausible]
    )
    result = forms.CharField(
        label="Result",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What it found, as the council's records give it.",
    )
    reported_responses = forms.IntegerField(
        label="Responses received (as reported)",
        min_value=0,
        max_value=10_000_000,
        required=False,
        help_text="How many responses the records say it received: the responses themselves "
        "are not brought in one by one.",
    )
    count_not_on_record = forms.BooleanField(
        label="The number of responses is not on record",
        required=False,
        help_text="If the records give no final number (only interim counts, say): say so in "
        "the result rather than guess.",
    )
    recorded_from = forms.CharField(
        label="From",
        required=False,
        max_length=300,
        help_text="Where this is taken from, such as “the consultation report to the Board of "
        "4 July 2017”.",
    )
    short_window_reason = forms.CharField(
        label="Why it ran shorter than the minimum",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    no_reason_on_record = forms.BooleanField(
        label="No reason is on record",
        required=False,
        help_text="If it ran shorter than the minimum and the records give no reason: its page "
        "will say the rule was missed.",
    )
    revision = forms.ModelChoiceField(
        label="Text consulted on",
        queryset=Revision.objects.none(),
        required=False,
        empty_label="The text current when it opened",
        help_text="If known. Otherwise the latest revision taken before it opened, or, if "
        "there is none, the text as it stands now, marked as standing in for it.",
    )

    def __init__(self, *args, window: ConsultationWindow, by=None, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "opens_on": window.opens_on,
                "closes_on": window.closes_on,
                "short_window_reason": window.short_window_reason,
            },
        )
        super().__init__(*args, **kwargs)
        self.window, self.by = window, by
        self.fields["revision"].queryset = Revision.objects.filter(strategy=window.strategy_id)
        self.fields["short_window_reason"].help_text = (
            f"Needed if it ran shorter than the {window.minimum}-day minimum in the "
            f"organisation's policy: the reason the records give."
        )

    def record(self) -> RunRecord:
        """What was typed, as the workflow takes it (fields refused count as not given)."""
        data = self.cleaned_data
        return RunRecord(
            opens_on=data.get("opens_on"),
            closes_on=data.get("closes_on"),
            result=data.get("result") or "",
            recorded_from=data.get("recorded_from") or "",
            reported_responses=data.get("reported_responses"),
            short_window_reason=data.get("short_window_reason") or "",
            no_reason_on_record=bool(data.get("no_reason_on_record")),
            revision=data.get("revision"),
            count_not_on_record=bool(data.get("count_not_on_record")),
        )

    def clean(self):
        cleaned = super().clean()
        if self.by is not None and (refusal := record_refusal(self.window, self.by)):
            self.add_error(None, refusal)
        for problem in record_problems(self.window, self.record()):
            field = problem.field if problem.field in self.fields else None
            if field is None or field not in self.errors:  # one problem at a time per field
                self.add_error(field, problem.message)
        return cleaned


class WindowForm(CheckedByRules, VersionedFormMixin, forms.ModelForm):
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
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "short_window_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, strategy: Strategy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
        self.fields["gate"].queryset = gate_choices(self.instance).select_related("body")
        self.fields["gate"].help_text = "The consultation gate of the route (purpose “consult”)."
        for name in fixed_fields(self.instance):
            self.fields[name].disabled = True
            self.fields[name].help_text = FIXED_ONCE_OPEN_MESSAGE
        self.fields["short_window_reason"].help_text = (
            f"Needed if the window is shorter than the {self.instance.minimum}-day minimum "
            f"in {strategy.lead_organisation}'s policy."
        )

    def problems(self, window):
        return window_change_problems(window)


class EventForm(FingerprintFormMixin, StartFields, CheckedByRules, forms.ModelForm):
    starts_at = DayAndTimeField(label="Starts")
    ends_on = forms.DateField(
        label="Until",
        required=False,
        widget=DateInput(),
        validators=[plausible],
        help_text=Event._meta.get_field("ends_on").help_text,
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "starts_at",
            "ends_on",
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
        if window is not None:
            self.instance.window = window
        self.fields["host_body"].queryset = event_host_bodies(strategy)
        self.fields["host_body"].label_from_instance = lambda body: body.with_organisation

    def problems(self, event):
        return event_problems(event)


class PartnerForm(CheckedByRules, forms.ModelForm):
    class Meta:
        model = WindowPartner
        fields = ["organisation", "role"]

    def __init__(self, *args, window: ConsultationWindow | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if window is not None:
            self.instance.window = window

    def problems(self, partner):
        return partner_problems(partner)


class ThemeForm(CheckedByRules, forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, window: ConsultationWindow | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if window is not None:
            self.instance.window = window

    def clean_name(self):
        return theme_name(self.cleaned_data["name"])

    def problems(self, theme):
        return theme_problems(theme)


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
