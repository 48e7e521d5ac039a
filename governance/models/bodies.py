"""Bodies that decide, the secretaries who serve them, and their meetings."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from strategies.models import Organisation, User
from strategies.models.base import audit_history
from strategies.subqueries import count_of

from ..dates import Precision, describe


class Body(models.Model):
    class Kind(models.TextChoices):
        HEALTH_AND_WELLBEING_BOARD = "hwb", "Health and Wellbeing Board"
        SHADOW_BOARD = "shadow_hwb", "Shadow Health and Wellbeing Board"
        CABINET = "cabinet", "Cabinet"
        INFORMAL_CABINET = "informal_cabinet", "Informal Cabinet"
        PORTFOLIO_HOLDERS = "portfolio_holders", "Portfolio holders"
        CCG_GOVERNING_BODY = "ccg_governing_body", "CCG governing body"
        # CCGs were abolished in July 2022: their work passed to integrated care boards.
        ICB_BOARD = "icb_board", "Integrated care board (ICB)"
        ICP = "icp", "Integrated care partnership"
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

    @property
    def with_organisation(self) -> str:
        """ "Cabinet (Dudley MBC)": how pickers and the admin's lists name a body, since bodies
        of different organisations may share a name. Needs the organisation loaded."""
        return f"{self.name} ({self.organisation.display_name})"

    def possible_secretaries(self):
        """Who may serve the body as a secretary: the board secretaries of its organisation.
        Pickers offer these; BodySecretary.clean refuses anyone else (secretary_problem)."""
        return User.objects.filter(
            role=User.Role.SECRETARY, organisation_id=self.organisation_id
        ).select_related("organisation")

    def secretary_problem(self, user) -> str | None:
        """Why `user` may not serve the body as a secretary, or None (possible_secretaries)."""
        if user.role != User.Role.SECRETARY:
            return (
                f"{user.display_name} is {with_role(user)}, not a board secretary: only board "
                f"secretaries serve a body. If they now keep its business, change their role first."
            )
        if user.organisation_id != self.organisation_id:
            return (
                f"{user.display_name} is a board secretary of {user.organisation}, not of "
                f"{self.organisation}: a body's secretaries are its own organisation's."
            )
        return None


def with_role(user) -> str:
    """ "an officer", "a manager", "an administrator"."""
    role = user.get_role_display().lower()
    return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"


class BodySecretary(models.Model):
    """A board secretary serving a body (a row, so that who could decide when is on record)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="secretary_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="secretary_links"
    )

    history = audit_history()

    class Meta:
        verbose_name = "body secretary"
        verbose_name_plural = "body secretaries"
        constraints = [models.UniqueConstraint(fields=["body", "user"], name="body_secretary_once")]

    def __str__(self) -> str:
        return f"{self.user} for {self.body}"

    def clean(self) -> None:
        """Only a board secretary of the body's organisation serves it: beside the field, at
        every door that validates (the admin's inline, forms built on the model)."""
        body, user = getattr(self, "body", None), getattr(self, "user", None)
        if body is not None and user is not None and (problem := body.secretary_problem(user)):
            raise ValidationError({"user": problem})


class MeetingQuerySet(models.QuerySet):
    def for_secretary(self, user) -> MeetingQuerySet:
        if user.is_administrator:
            return self
        return self.filter(body__secretary_links__user=user)

    def with_gate_count(self) -> MeetingQuerySet:
        """Annotated with `gate_count`: how many gates the meeting's agenda holds."""
        gates = self.model._meta.get_field("gates").related_model  # Gate
        return self.annotate(gate_count=count_of(gates.objects.all(), "meeting"))


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
    time_known = models.BooleanField(
        "time recorded",
        default=True,
        help_text="Off when the records give the day but not the time it began.",
    )
    venue = models.CharField(max_length=200, blank=True)
    agenda_published_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(blank=True)
    # Brought in from the committee system (governance/moderngov/): its id for the meeting, and
    # the details as last brought in, which tell a change made in Waymark since (sync.py).
    moderngov_id = models.PositiveIntegerField(
        "Modern.gov meeting id", null=True, blank=True, editable=False
    )
    moderngov_imported = models.JSONField(null=True, blank=True, editable=False)

    history = audit_history(excluded_fields=["moderngov_imported"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "starts_at"], name="meeting_once_per_body_time"
            ),
            models.UniqueConstraint(
                fields=["body", "moderngov_id"],
                condition=models.Q(moderngov_id__isnull=False),
                name="moderngov_meeting_once_per_body",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.when}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", kwargs={"pk": self.pk})

    @property
    def when(self) -> str:
        return describe(self.local_day, self.date_precision)

    @property
    def on_or_in(self) -> str:
        """'on 13 September 2017', or 'in May 2021' when the records give only the month."""
        return f"{'on' if self.date_precision == Precision.DAY else 'in'} {self.when}"

    @property
    def local_day(self) -> datetime.date:
        """The day of the meeting in the site's time zone."""
        from django.utils import timezone

        return timezone.localtime(self.starts_at).date()

    def day_has_come(self, today: datetime.date | None = None) -> bool:
        """Its day has come (in the site's time zone; `today` if given): a decision taken at it
        is recorded from then, not before. The one rule for every page that offers to record
        one (workflow.decision_day_refusal says it in words)."""
        from django.utils import timezone

        return self.local_day <= (today or timezone.localdate())

    @property
    def is_upcoming(self) -> bool:
        from django.utils import timezone

        return self.starts_at >= timezone.now() and self.status == self.Status.SCHEDULED
