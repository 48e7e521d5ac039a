"""A strategy's route: the purposes a gate can serve, route templates, the gates themselves
(what each waits for, when it is planned, where it stands) and the links between them.

Only governance.workflow changes a gate's state.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate

from strategies.models import Organisation, Revision, Strategy
from strategies.models.base import Versioned, audit_history

from ..dates import Precision, describe, latest_day
from .bodies import Body, Meeting


class Purpose(models.TextChoices):
    DEVELOP = "develop", "Develop"
    DISCUSS = "discuss", "Discuss"
    REVIEW = "review", "Review"
    APPROVE_CONSULTATION = "approve_consultation", "Approve consultation"
    ENDORSE = "endorse", "Endorse"
    APPROVE = "approve", "Approve"
    ADOPT = "adopt", "Adopt"
    SIGN_OFF = "sign_off", "Sign off"
    SCRUTINISE = "scrutinise", "Scrutinise"
    # Asked for its comments before another body decides (an executive commenting before the
    # Board's final approval): what it gives is comments, which pass the gate.
    COMMENT = "comment", "Comment before another decides"
    NOTE = "note", "Note"
    # A body overseeing the strategy's delivery receives a progress report (delivery/).
    MONITOR = "monitor", "Monitor delivery"
    CONSULT = "consult", "Consult"  # a consultation window run for the body; see consultation/

    @classmethod
    def final_approvals(cls) -> set[str]:
        """Purposes whose passing approves the strategy's text as final."""
        return {cls.APPROVE, cls.SIGN_OFF}

    @classmethod
    def adopting(cls) -> set[str]:
        """Purposes whose passing can adopt the strategy: a final approval or adoption. Once
        every live gate has passed and one of them served one of these, the strategy is
        adopted (workflow.derive_stage), and its passing decisions are the adopting ones."""
        return cls.final_approvals() | {cls.ADOPT}


class RouteTemplate(Versioned):
    """A council's usual chain of bodies for a strategy. Versioned: two administrators editing
    one template (its steps are saved with it) are told, not overwritten."""

    name = models.CharField(max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="route_templates",
    )
    description = models.TextField(blank=True)

    history = audit_history(excluded_fields=["version"])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GateTemplate(models.Model):
    route = models.ForeignKey(RouteTemplate, on_delete=models.CASCADE, related_name="gates")
    position = models.PositiveIntegerField()
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="gate_templates"
    )
    body_kind = models.CharField(
        max_length=30,
        choices=Body.Kind.choices,
        blank=True,
        help_text="Used when no body is named: the lead organisation's body of this kind.",
    )
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    waits_for = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    offset_days = models.IntegerField(
        null=True, blank=True, help_text="Suggested days after the gates it waits for."
    )

    history = audit_history()

    class Meta:
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "position"], name="gate_template_place_unique"
            ),
            models.CheckConstraint(
                name="gate_template_names_a_body",
                condition=Q(body__isnull=False) | ~Q(body_kind=""),
                violation_error_message="Name a body or a kind of body.",
            ),
        ]

    def __str__(self) -> str:
        who = self.body.name if self.body else self.get_body_kind_display()
        return f"{self.position}. {who}: {self.get_purpose_display()}"


class GateQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for gate in objs:
            gate.planned_until = gate.plan_ends_on()
        return super().bulk_create(objs, *args, **kwargs)

    def to_put_on_meetings(self) -> GateQuerySet:
        """Open gates that a meeting decides: not a consultation, which runs with its
        consultation window (workflow.schedule_gate refuses it)."""
        return self.filter(state__in=Gate.State.open_values()).exclude(purpose=Purpose.CONSULT)

    def with_waits_for(self) -> GateQuerySet:
        """With the gates each waits for (and their bodies) in one more query."""
        return self.prefetch_related(
            models.Prefetch("waits_for", queryset=Gate.objects.select_related("body"))
        )

    def for_route(self) -> GateQuerySet:
        return self.select_related(
            "body__organisation", "meeting__body__organisation"
        ).with_waits_for()

    def awaiting_decision(self) -> GateQuerySet:
        """Gates still to be decided at a meeting, of strategies still on their route (a
        consultation gate runs with its window instead). One of these is overdue once its
        `Gate.due_day` has passed."""
        return (
            self.filter(state__in=Gate.State.open_values())
            .exclude(strategy__stage__in=Strategy.Stage.route_settled_values())
            .exclude(purpose=Purpose.CONSULT)
        )

    def with_due_day(self) -> GateQuerySet:
        """Annotated with `due_on`: `Gate.due_day` in the database (the meeting's day in the
        site's time zone, or the last day the plan can mean)."""
        return self.annotate(due_on=Coalesce(TruncDate("meeting__starts_at"), "planned_until"))

    def overdue(self, today: datetime.date) -> GateQuerySet:
        """Gates awaiting a decision whose day has passed (`Gate.is_overdue`, in the database)."""
        return self.awaiting_decision().with_due_day().filter(due_on__lt=today)


class Gate(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", "Planned"
        SCHEDULED = "scheduled", "On an agenda"
        PASSED = "passed", "Passed"
        REFERRED_BACK = "referred_back", "Referred back"
        REJECTED = "rejected", "Rejected"
        REMOVED = "removed", "Removed"

        @classmethod
        def open_values(cls) -> set[str]:
            return {cls.PLANNED, cls.SCHEDULED}

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="gates")
    position = models.PositiveIntegerField()
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="gates")
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    waits_for = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="unlocks",
        through="GateDependency",
        through_fields=("from_gate", "to_gate"),
    )
    planned_date = models.DateField(null=True, blank=True)
    planned_precision = models.CharField(
        max_length=10, choices=Precision.choices, default=Precision.NOT_SET
    )
    # The last day the plan can mean (the end of its month, quarter or season), kept by save()
    # from the two fields above so that the dashboard can find what is due and late in the
    # database; not part of the history, which has the plan itself.
    planned_until = models.DateField(null=True, blank=True, editable=False, db_index=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="gates"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.PLANNED)
    # The copy of the content sent in the meeting papers; the decision is taken on it.
    papers_revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    # Key decisions of an executive body need notice on the Forward Plan (shared/DEADLINES.md).
    key_decision = models.BooleanField(
        default=False,
        help_text="An executive key decision: it needs notice on the Forward Plan beforehand.",
    )
    forward_plan_published_on = models.DateField(
        "key decision notice published on",
        null=True,
        blank=True,
        help_text="When the decision was first listed on the Forward Plan.",
    )
    forward_plan_reference = models.CharField(
        "Forward Plan reference",
        max_length=60,
        blank=True,
        help_text="The key decision's reference on the Forward Plan, e.g. “KD/2017/041”.",
    )
    # The council's references for the gate's place on its meeting's agenda.
    report_number = models.CharField(
        max_length=60, blank=True, help_text="The committee report's number, e.g. “CAB 12/17”."
    )
    agenda_item = models.CharField(
        max_length=20, blank=True, help_text="The item's number on the agenda, e.g. “7” or “7b”."
    )

    history = audit_history(excluded_fields=["planned_until"])
    objects = GateQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "position"], name="gate_place_unique"),
            models.CheckConstraint(
                name="gate_planned_date_matches_precision",
                condition=Q(planned_precision="not_set", planned_date__isnull=True)
                | (~Q(planned_precision="not_set") & Q(planned_date__isnull=False)),
                violation_error_message="Give a date unless the date is not yet set.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.get_purpose_display()}"

    def save(self, **kwargs):
        self.planned_until = self.plan_ends_on()
        fields = kwargs.get("update_fields")
        if fields is not None and {"planned_date", "planned_precision"} & set(fields):
            kwargs["update_fields"] = {*fields, "planned_until"}
        super().save(**kwargs)

    @property
    def due_day(self) -> datetime.date | None:
        """The day the gate is due: its meeting's, or the last day its plan can mean
        (`GateQuerySet.with_due_day` is the same rule in the database)."""
        if self.meeting_id:
            return self.meeting.local_day
        return self.plan_ends_on()

    def is_overdue(self, today: datetime.date) -> bool:
        """Still awaiting its decision when its day has passed. Only for gates of
        `GateQuerySet.awaiting_decision`, which also knows the strategy's stage."""
        day = self.due_day
        return self.is_open and day is not None and day < today

    def plan_ends_on(self) -> datetime.date | None:
        """The last day the plan can mean; None while the date is not yet set."""
        if self.planned_date is None or self.planned_precision == Precision.NOT_SET:
            return None
        return latest_day(self.planned_date, self.planned_precision)

    @property
    def planned(self) -> str:
        return describe(self.planned_date, self.planned_precision)

    @property
    def state_label(self) -> str:
        """The state as pages name it: a consultation gate under way is not "On an agenda"
        (it runs with its window, not at a meeting)."""
        if self.purpose == Purpose.CONSULT and self.state == self.State.SCHEDULED:
            return "Consultation under way"
        return self.get_state_display()

    @property
    def when(self) -> str:
        """The meeting's date if it is on one, otherwise the plan."""
        return self.meeting.when if self.meeting else self.planned

    @property
    def is_open(self) -> bool:
        return self.state in self.State.open_values()

    @property
    def waiting_for(self) -> list[Gate]:
        """The gates this one waits for that have not passed (nor been removed): until they
        have, the only decision recorded here is a deferral. Uses `waits_for` as prefetched, if
        it is."""
        return [
            gate
            for gate in self.waits_for.all()
            if gate.state not in (self.State.PASSED, self.State.REMOVED)
        ]


class GateDependency(models.Model):
    """That a gate waits for another gate of its strategy to pass: a row with its own history,
    like the other links (decisions 0003 and 0012), changed one row at a time by
    workflow.add_gate, apply_route and set_waits_for. The table is the one Django made for the
    plain many-to-many field this replaced, so its columns keep their names."""

    from_gate = models.ForeignKey(Gate, on_delete=models.CASCADE, related_name="wait_links")
    to_gate = models.ForeignKey(Gate, on_delete=models.CASCADE, related_name="unlock_links")

    history = audit_history()

    class Meta:
        db_table = "governance_gate_waits_for"
        verbose_name_plural = "gate dependencies"
        # As the many-to-many field's table was made (and named) by Django.
        unique_together = [("from_gate", "to_gate")]

    def __str__(self) -> str:
        return f"{self.from_gate} waits for {self.to_gate}"
