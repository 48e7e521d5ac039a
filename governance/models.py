"""Bodies, meetings, routes of gates, decisions and the transitions between states.

Only governance/workflow.py changes a gate's state, a strategy's stage or records a decision.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse

from strategies.models import Organisation, Revision, Strategy
from strategies.models.base import Versioned, audit_history

from .dates import Precision, describe, latest_day


class Body(models.Model):
    class Kind(models.TextChoices):
        HEALTH_AND_WELLBEING_BOARD = "hwb", "Health and Wellbeing Board"
        SHADOW_BOARD = "shadow_hwb", "Shadow Health and Wellbeing Board"
        CABINET = "cabinet", "Cabinet"
        INFORMAL_CABINET = "informal_cabinet", "Informal Cabinet"
        PORTFOLIO_HOLDERS = "portfolio_holders", "Portfolio holders"
        CCG_GOVERNING_BODY = "ccg_governing_body", "CCG governing body"
        SCRUTINY = "scrutiny", "Scrutiny committee"
        CORPORATE_BOARD = "corporate_board", "Corporate board"
        STRATEGY_GROUP = "strategy_group", "Strategy development group"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bodies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    is_executive = models.BooleanField(
        "executive", default=False, help_text="Takes executive (e.g. key) decisions."
    )
    meets_in_public = models.BooleanField(default=True)
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="BodySecretary", related_name="bodies_served", blank=True
    )

    history = audit_history()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="body_name_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name


class BodySecretary(models.Model):
    """A board secretary serving a body (a row, so that who could decide when is on record)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="secretary_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="secretary_links"
    )

    history = audit_history()

    class Meta:
        verbose_name = "body secretary"
        constraints = [models.UniqueConstraint(fields=["body", "user"], name="body_secretary_once")]

    def __str__(self) -> str:
        return f"{self.user} for {self.body}"


class MeetingQuerySet(models.QuerySet):
    def for_secretary(self, user) -> MeetingQuerySet:
        if user.is_administrator:
            return self
        return self.filter(body__secretary_links__user=user)


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField("date and time")
    date_precision = models.CharField(
        max_length=10,
        choices=[(Precision.DAY, "Exact day"), (Precision.MONTH, "Month only")],
        default=Precision.DAY,
        help_text="“Month only” when the records give just the month (e.g. “March 2017”).",
    )
    venue = models.CharField(max_length=200, blank=True)
    agenda_published_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(blank=True)

    history = audit_history()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["body", "starts_at"], name="meeting_once_per_body_time")
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.when}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", kwargs={"pk": self.pk})

    @property
    def when(self) -> str:
        return describe(self.local_day, self.date_precision)

    @property
    def local_day(self) -> datetime.date:
        """The day of the meeting in the site's time zone."""
        from django.utils import timezone

        return timezone.localtime(self.starts_at).date()

    @property
    def day_reached(self) -> bool:
        """Its day has come (in the site's time zone): from then its decisions are recorded."""
        from django.utils import timezone

        return self.local_day <= timezone.localdate()

    @property
    def is_upcoming(self) -> bool:
        from django.utils import timezone

        return self.starts_at >= timezone.now() and self.status == self.Status.SCHEDULED


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
    NOTE = "note", "Note"
    CONSULT = "consult", "Consult"  # a consultation window run for the body; see consultation/

    @classmethod
    def final_approvals(cls) -> set[str]:
        """Purposes whose passing approves the strategy's text as final."""
        return {cls.APPROVE, cls.SIGN_OFF}


class RouteTemplate(models.Model):
    name = models.CharField(max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="route_templates",
    )
    description = models.TextField(blank=True)

    history = audit_history()

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


def effective_decisions(decisions) -> list[Decision]:
    """Decisions in the order they were taken, each replaced by its latest correction (a
    correction keeps the date and outcome of what it corrects and is recorded later). Takes the
    decisions with their corrections, in the order they were recorded."""
    decisions = list(decisions)
    correction_of = {d.corrects_id: d for d in decisions if d.corrects_id}
    effective = []
    for decision in decisions:
        if decision.corrects_id:
            continue
        while decision.pk in correction_of:
            decision = correction_of[decision.pk]
        effective.append(decision)
    return effective


class Decision(models.Model):
    """What a body decided at a gate. Append-only: a correction is a new row pointing back."""

    append_only = True  # its save() refuses a change (strategies/page_cache.py reads this)

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        APPROVED_WITH_AMENDMENTS = "approved_with_amendments", "Approved with amendments"
        ENDORSED = "endorsed", "Endorsed"
        NOTED = "noted", "Noted"
        DEFERRED = "deferred", "Deferred"
        REFERRED_BACK = "referred_back", "Referred back"
        REJECTED = "rejected", "Rejected"

        @classmethod
        def passing(cls) -> set[str]:
            return {cls.APPROVED, cls.APPROVED_WITH_AMENDMENTS, cls.ENDORSED, cls.NOTED}

        @classmethod
        def refusals(cls) -> set[str]:
            return {cls.DEFERRED, cls.REFERRED_BACK, cls.REJECTED}

    gate = models.ForeignKey(Gate, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    decided_on = models.DateField()
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    resolution = models.TextField(help_text="The resolution as minuted.")
    reasons = models.TextField(blank=True)
    alternatives_considered = models.TextField(blank=True)
    conflicts_declared = models.TextField(blank=True)
    published_on = models.DateField(
        "decision notice published on",
        null=True,
        blank=True,
        help_text="For an executive decision, when its record was published: call-in runs from "
        "then. When blank, from the decision date.",
    )
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text="The text decided on.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    previous_hash = models.CharField(max_length=64, blank=True)
    record_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            # One final decision per gate: deferrals and referrals back leave the gate open to
            # be decided again, and a correction points back to the decision it corrects.
            models.UniqueConstraint(
                fields=["gate"],
                condition=Q(corrects__isnull=True) & ~Q(outcome__in=["deferred", "referred_back"]),
                name="one_final_decision_per_gate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gate}: {self.get_outcome_display()} ({self.decided_on:%d %b %Y})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A decision is never changed once recorded; record a correction.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("governance:decision", kwargs={"pk": self.pk})


class Transition(models.Model):
    """A move of a gate's state or a strategy's stage: from, to, who, when and why."""

    append_only = True  # its save() refuses a change (strategies/page_cache.py reads this)

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="transitions")
    gate = models.ForeignKey(
        Gate, on_delete=models.CASCADE, null=True, blank=True, related_name="transitions"
    )
    from_state = models.CharField(max_length=30)
    to_state = models.CharField(max_length=30)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        what = f"gate {self.gate}" if self.gate_id else "strategy"
        return f"{what}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A transition is a record of the past and is never changed.")
        super().save(*args, **kwargs)

    def _label(self, value: str) -> str:
        choices = Gate.State if self.gate_id else Strategy.Stage
        return str(dict(choices.choices).get(value, value))

    @property
    def from_label(self) -> str:
        return self._label(self.from_state) if self.from_state else ""

    @property
    def to_label(self) -> str:
        return self._label(self.to_state)


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{5,23}[0-9]$",
    "Write a telephone number with digits, spaces and brackets only, e.g. 01384 816698.",
)


class CommitteeReport(Versioned):
    """The covering report a body reads with the strategy at a gate, in the standard shape of
    council committee reports. Waymark fills in what it knows (portal/reports/document.py); the
    officer writes the rest. Text sections are plain text: a blank line starts a new (numbered)
    paragraph and a line starting with "- " is a bullet point."""

    gate = models.OneToOneField(Gate, on_delete=models.CASCADE, related_name="report")
    title = models.CharField(max_length=300)
    meeting_line = models.CharField(
        "meeting",
        max_length=300,
        blank=True,
        help_text="e.g. “Meeting of the Cabinet – 13 September 2017”.",
    )
    author_name = models.CharField("author", max_length=200, blank=True)
    author_title = models.CharField(
        "author's job title",
        max_length=200,
        blank=True,
        help_text="The report is “of” this post: “Report of the Strategic Director People”.",
    )
    purpose = models.TextField("purpose of report", blank=True)
    recommendations = models.TextField(
        blank=True, help_text="One recommendation per line; they are numbered for you."
    )
    background = models.TextField(blank=True)
    key_issues = models.TextField("key issues", blank=True)
    finance = models.TextField(blank=True)
    law = models.TextField(blank=True)
    equality = models.TextField("equality impact", blank=True)
    # What Waymark knows; "Refresh from Waymark" writes these again (portal/reports/document.py).
    evidence = models.TextField(blank=True)
    route_so_far = models.TextField("the route so far", blank=True)
    strategy_content = models.TextField("priorities and objectives", blank=True)
    consultation = models.TextField(blank=True)
    timetable = models.TextField(blank=True)
    contact_name = models.CharField("contact officer", max_length=200, blank=True)
    contact_phone = models.CharField(
        "contact telephone", max_length=40, blank=True, validators=[phone_validator]
    )
    contact_email = models.EmailField("contact email", blank=True)
    appendices = models.TextField(
        blank=True, help_text="One appendix per line; they are lettered A, B, C for you."
    )

    history = audit_history(excluded_fields=["version"])

    class Meta:
        verbose_name = "committee report"

    def __str__(self) -> str:
        return f"Report to the {self.gate.body}: {self.title}"
