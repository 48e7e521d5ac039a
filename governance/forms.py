"""Governance forms validate input; governance.workflow makes the moves."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.forms.models import construct_instance

from strategies.concurrency import FingerprintFormMixin, VersionedFormMixin
from strategies.forms import REASON_HELP, DateInput
from strategies.models import Priority, Strategy

from .dates import Precision, plausible
from .day_and_time import DayAndTimeField, StartFields
from .models import Body, CommitteeReport, Decision, Gate, Meeting, Purpose
from .record_forms import AgendaPlaceFields, DecisionReferenceFields, show_problem
from .workflow import (
    ALTERNATIVES_NEEDED,
    REASONS_NEEDED,
    approved_parts_problems,
    meeting_problems,
    outcomes_offered,
)


def named_with_organisation(body: Body) -> str:
    """How a body picker names each body: "Cabinet (Dudley MBC)" (Body.with_organisation)."""
    return body.with_organisation


class PlanFields(forms.Form):
    planned_date = forms.DateField(
        required=False, widget=DateInput(), label="Planned date", validators=[plausible]
    )
    planned_precision = forms.ChoiceField(
        choices=Precision.choices,
        initial=Precision.NOT_SET,
        label="How exact is the date",
        help_text="For a month, quarter or season give any day in it.",
    )

    key_decision = forms.BooleanField(
        required=False,
        label="Key decision",
        help_text="An executive key decision: Waymark checks its Forward Plan notice.",
    )
    forward_plan_published_on = forms.DateField(
        required=False,
        widget=DateInput(),
        label="Key decision notice published on",
        validators=[plausible],
        help_text="When the decision was first listed on the Forward Plan, once it has been.",
    )
    forward_plan_reference = Gate._meta.get_field("forward_plan_reference").formfield()

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("planned_precision") != Precision.NOT_SET
            and not cleaned.get("planned_date")
            and "planned_date" not in self.errors  # a date was typed, and said to be wrong
        ):
            self.add_error("planned_date", "Give a date, or choose “Not yet set”.")
        if cleaned.get("forward_plan_published_on") and not cleaned.get("key_decision"):
            self.add_error(
                "forward_plan_published_on", "Only a key decision has a Forward Plan notice."
            )
        if cleaned.get("forward_plan_reference") and not cleaned.get("key_decision"):
            self.add_error(
                "forward_plan_reference", "Only a key decision has a Forward Plan reference."
            )
        return cleaned


class GateForm(PlanFields):
    body = forms.ModelChoiceField(queryset=Body.objects.none(), empty_label="Choose a body")
    purpose = forms.ChoiceField(choices=Purpose.choices)
    waits_for = forms.ModelMultipleChoiceField(
        queryset=Gate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Waits for",
        help_text="Gates that must pass before this one can be decided.",
    )
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, strategy: Strategy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        orgs = [
            strategy.lead_organisation_id,
            *strategy.partner_links.values_list("organisation_id", flat=True),
        ]
        self.fields["body"].queryset = Body.objects.filter(organisation_id__in=orgs).select_related(
            "organisation"
        )
        self.fields["body"].label_from_instance = named_with_organisation
        self.fields["waits_for"].queryset = strategy.gates.exclude(
            state=Gate.State.REMOVED
        ).select_related("body")
        self.order_fields(
            [
                "body",
                "purpose",
                "waits_for",
                "planned_date",
                "planned_precision",
                "key_decision",
                "forward_plan_published_on",
                "forward_plan_reference",
                "note",
            ]
        )


class ReplanForm(PlanFields):
    note = forms.CharField(max_length=300, required=False)
    comment = forms.CharField(max_length=300, required=False, label="Reason for the change")
    # The plan the form was opened on (governance.workflow.plan_of), against lost updates.
    seen_plan = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)

    def __init__(self, *args, gate: Gate | None = None, **kwargs) -> None:
        """With `gate` (one gate, not the admin's several), also what it waits for: the other
        gates of its route, live or, if it already waits for them, since removed."""
        super().__init__(*args, **kwargs)
        if gate is None:
            return
        field = forms.ModelMultipleChoiceField(
            queryset=gate.strategy.gates.exclude(pk=gate.pk)
            .filter(~Q(state=Gate.State.REMOVED) | Q(unlock_links__from_gate=gate))
            .distinct()
            .select_related("body"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Waits for",
            help_text="Gates that must pass before this one can be decided.",
        )
        field.label_from_instance = lambda g: (
            f"{g} (removed from the route)" if g.state == Gate.State.REMOVED else str(g)
        )
        if field.queryset.exists():  # a route of one gate has nothing to wait for
            self.fields["waits_for"] = field
        self.order_fields(
            [
                "planned_date",
                "planned_precision",
                "key_decision",
                "forward_plan_published_on",
                "forward_plan_reference",
                "waits_for",
                "note",
                "comment",
            ]
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Reason")


class MeetingChecks(StartFields):
    """For the model forms of meetings, the browser's and the admin's (before
    forms.ModelForm): the meeting as typed is checked by workflow.meeting_problems, each problem
    beside its field, in the same words at both doors."""

    def clean(self):
        cleaned = super().clean()
        if "starts_at" in self.fields and not {"body", "starts_at"} & set(self.errors):
            meeting = self.instance
            construct_instance(self, meeting, self._meta.fields, self._meta.exclude)
            for problem in meeting_problems(meeting):
                show_problem(self, problem)
        return cleaned


class MeetingForm(FingerprintFormMixin, MeetingChecks, forms.ModelForm):
    """A new meeting, or a meeting's edit page: without what has become part of the record
    (`fixed`, workflow.meeting_fields_fixed) and with a reason for the change."""

    starts_at = DayAndTimeField()

    class Meta:
        model = Meeting
        fields = ["body", "starts_at", "date_precision", "venue", "minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "minutes": "Once the meeting is held: its minutes as approved, or where they are "
            "published. Every version is kept in the meeting's history."
        }

    def __init__(self, *args, bodies, fixed: list[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["body"].label_from_instance = named_with_organisation
        self.fields["minutes"].max_length = 50_000
        self.fields["minutes"].validators.append(MaxLengthValidator(50_000))
        for name in fixed:
            self.fields.pop(name, None)
        if self.instance.pk:
            self.fields["reason"] = forms.CharField(
                label="Reason for the change", max_length=300, required=False, help_text=REASON_HELP
            )


class ScheduleForm(AgendaPlaceFields):
    gate = forms.ModelChoiceField(queryset=Gate.objects.none(), label="Strategy and gate")

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gate"].queryset = (
            Gate.objects.to_put_on_meetings()
            .filter(body=meeting.body)
            .exclude(meeting=meeting)
            .select_related("strategy", "body")
        )
        self.fields["gate"].label_from_instance = lambda g: (
            f"{g.strategy.title_with_period}: {g.get_purpose_display()} ({g.planned})"
        )
        self.order_fields(["gate", "agenda_item", "report_number"])


class PublishAgendaForm(forms.Form):
    published_on = forms.DateField(
        widget=DateInput(), label="Agenda published on", validators=[plausible]
    )


class DecisionRecordFields(DecisionReferenceFields):
    """What a decision record says, as regulations 12-13 of SI 2012/2089 ask, with the council's
    references and where it came from; shared by the decision form and the correction form."""

    decided_on = forms.DateField(
        widget=DateInput(), label="Date of the decision", validators=[plausible]
    )

    resolution = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, help_text="As minuted."
    )
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text="Required when the body defers, refers back or rejects.",
    )
    alternatives_considered = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
        label="Alternatives considered and rejected",
    )
    conflicts_declared = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
        label="Conflicts of interest declared (and any dispensation)",
    )


class DecisionForm(DecisionRecordFields):
    outcome = forms.ChoiceField(choices=Decision.Outcome.choices)
    approved_parts = forms.ModelMultipleChoiceField(
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="It approved only these priorities",
        help_text="Leave all unticked for a decision on the whole strategy. Tick those it "
        "approved alone: their words now are kept, and a later change is marked.",
    )
    published_on = forms.DateField(
        widget=DateInput(),
        label="Decision notice published on",
        required=False,
        validators=[plausible],
        help_text="An executive decision's call-in period runs from its publication; when left "
        "blank it runs from the decision date.",
    )

    def __init__(self, *args, gate: Gate, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gate = gate
        self.order_record(["outcome"], gate.body.is_executive)
        labels = dict(Decision.Outcome.choices)  # comments only where a body is asked for them
        self.fields["outcome"].choices = [(v, labels[v]) for v in outcomes_offered(gate)]
        priorities = self.fields["approved_parts"]
        priorities.queryset = gate.strategy.priorities.order_by("position")
        priorities.label_from_instance = lambda priority: priority.title
        if not priorities.queryset.exists():  # nothing to name yet
            del self.fields["approved_parts"]
        if gate.meeting:
            self.fields["decided_on"].initial = gate.meeting.local_day
            self.fields["decided_precision"].initial = gate.meeting.date_precision
        if gate.body.is_executive:  # SI 2012/2089 reg 13: marked required from the start
            for name, help_text in [
                ("reasons", "An executive decision's record gives its reasons."),
                ("alternatives_considered", "Or say there were none."),
            ]:
                self.fields[name].required = True
                self.fields[name].help_text = help_text
            # The rules' own words, not "This field is required."
            self.fields["reasons"].error_messages["required"] = REASONS_NEEDED
            self.fields["alternatives_considered"].error_messages["required"] = ALTERNATIVES_NEEDED

    def clean(self):
        cleaned = super().clean()
        gate = self.gate
        executive = gate.body.is_executive
        self.add_decision_problems(gate.meeting, cleaned.get("outcome", ""), executive, gate=gate)
        for problem in approved_parts_problems(
            gate.strategy, cleaned.get("outcome", ""), cleaned.get("approved_parts") or []
        ):
            show_problem(self, problem)
        return cleaned


class CorrectionForm(DecisionRecordFields):
    published_on = forms.DateField(
        widget=DateInput(),
        label="Decision notice published on",
        required=False,
        validators=[plausible],
        help_text="Add it once the notice is out: the call-in period runs from then.",
    )
    comment = forms.CharField(max_length=300, label="What the correction is for")

    def __init__(self, *args, decision: Decision, **kwargs) -> None:
        """Opened on `decision`'s record, to change what needs correcting."""
        record = [name for name in self.base_fields if name != "comment"]
        kwargs.setdefault("initial", {name: getattr(decision, name) for name in record})
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.fields["decided_on"].required = False  # left out: the record's date stands
        self.order_record([], decision.gate.body.is_executive)

    def clean(self):
        cleaned = super().clean()
        decision = self.decision
        executive = decision.gate.body.is_executive
        self.add_decision_problems(
            decision.meeting, decision.outcome, executive, corrected=decision
        )
        return cleaned


# Committee reports ----------------------------------------------------------------------------

PARAGRAPH_HELP = (
    "Leave a blank line between paragraphs: each is numbered for you. Start a line with “- ” "
    "for a bullet point."
)
TEXT_LIMIT = 20_000  # characters in one section; a council report's section is far shorter


class CommitteeReportForm(VersionedFormMixin, forms.ModelForm):
    """The officer's edits to a committee report; groups its fields for the page."""

    reason = forms.CharField(
        label="Reason for the change", max_length=300, required=False, help_text=REASON_HELP
    )

    HEADING = ["title", "meeting_line", "author_name", "author_title"]
    OFFICER = [
        "purpose",
        "recommendations",
        "background",
        "key_issues",
        "finance",
        "law",
        "equality",
    ]
    KNOWN = ["evidence", "route_so_far", "strategy_content", "consultation", "timetable"]
    CLOSING = ["contact_name", "contact_phone", "contact_email", "appendices"]

    class Meta:
        model = CommitteeReport
        fields = [
            "title",
            "meeting_line",
            "author_name",
            "author_title",
            "purpose",
            "recommendations",
            "background",
            "key_issues",
            "finance",
            "law",
            "equality",
            "evidence",
            "route_so_far",
            "strategy_content",
            "consultation",
            "timetable",
            "contact_name",
            "contact_phone",
            "contact_email",
            "appendices",
        ]

    def __init__(self, *args, strategy: Strategy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.OFFICER + self.KNOWN + ["appendices"]:
            field = self.fields[name]
            field.max_length = TEXT_LIMIT
            field.validators.append(MaxLengthValidator(TEXT_LIMIT))
            rows = 3 if name in {"recommendations", "appendices", "finance", "law"} else 6
            field.widget = forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_LIMIT})
            if name not in {"recommendations", "appendices"}:
                field.help_text = PARAGRAPH_HELP
        self.fields["strategy_content"].label = f"{strategy.top_level_label_plural} and objectives"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"

    def groups(self) -> list[tuple[str, str, list]]:
        """(heading, explanation, bound fields) for each fieldset of the page."""
        return [
            ("Heading", "", [self[n] for n in self.HEADING]),
            ("The sections you write", "", [self[n] for n in self.OFFICER]),
            (
                "What Waymark knows",
                "Written from the strategy, its route and its consultation. You may reword "
                "them; “Refresh from Waymark” on the report's page writes the ones you choose "
                "again, and leaves your other sections alone.",
                [self[n] for n in self.KNOWN],
            ),
            ("Contact officer and appendices", "", [self[n] for n in self.CLOSING]),
            ("Your change", "", [self["reason"], self["version"]]),
        ]


class RefreshReportForm(forms.Form):
    sections = forms.MultipleChoiceField(
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        label="Sections to write again",
        error_messages={"required": "Choose at least one section to refresh."},
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = choices
