"""Consultation windows, their partners and events."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from governance.dates import Precision, describe, describe_span, latest_day, plausible
from governance.models import Body, Gate
from strategies.models import Organisation, Revision, Strategy
from strategies.models.base import Versioned, audit_history

from ..recorded import RecordedQuerySet, RecordedWindow


class WindowQuerySet(RecordedQuerySet, models.QuerySet):
    def public(self) -> WindowQuerySet:
        """Open windows, and closed ones from the last year, for the public list."""
        year_ago = timezone.localdate() - datetime.timedelta(days=365)
        return self.filter(
            Q(state=ConsultationWindow.State.OPEN)
            | Q(
                state__in=[
                    ConsultationWindow.State.CLOSED,
                    ConsultationWindow.State.RESPONSE_PUBLISHED,
                ],
                closes_on__gte=year_ago,
            )
        )


class ConsultationWindow(RecordedWindow, Versioned):
    class State(models.TextChoices):
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        RESPONSE_PUBLISHED = "response_published", "Response published"

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="consultations")
    gate = models.OneToOneField(
        Gate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation",
        help_text="The consultation gate of the route this window runs.",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The end of its public address, as in /consult/dudley-hws-2017/",
    )
    summary = models.TextField(blank=True, help_text="What is proposed, for the public page.")
    opens_on = models.DateField(null=True, blank=True, validators=[plausible])
    closes_on = models.DateField(null=True, blank=True, validators=[plausible])
    date_precision = models.CharField(
        max_length=10,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text="How exact the dates are while it is still being planned.",
    )
    period_note = models.CharField(
        max_length=200, blank=True, help_text="e.g. “over the summer and autumn period”."
    )
    minimum_days = models.PositiveSmallIntegerField(
        help_text="From the organisation's policy when the window is created."
    )
    short_window_reason = models.TextField(
        blank=True, help_text="Why the window is shorter than the minimum, when it is."
    )
    for_public = models.BooleanField("the public", default=True)
    for_stakeholders = models.BooleanField("stakeholder organisations", default=True)
    for_partners = models.BooleanField("partners", default=True)
    partners = models.ManyToManyField(
        Organisation, through="WindowPartner", related_name="consultations_run", blank=True
    )
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The text consulted on, fixed when the window opens.",
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.PLANNED)
    result = models.TextField(blank=True, help_text="Recorded when the window closes.")
    # A consultation that ran before the strategy came into Waymark, entered from the council's
    # records with its real dates: shown as such wherever it is.
    recorded_later = models.BooleanField(
        "recorded after the fact",
        default=False,
        help_text="Entered from the council's records after it ran.",
    )
    recorded_from = models.CharField(
        "from",
        max_length=300,
        blank=True,
        help_text="Where it was taken from, e.g. “the consultation report to the Board”.",
    )
    reported_responses = models.PositiveIntegerField(
        "responses received (as reported)",
        null=True,
        blank=True,
        help_text="For a consultation recorded after the fact whose responses are not "
        "brought in one by one: how many the council's report says it received.",
    )
    response_published_on = models.DateField(null=True, blank=True)
    # Who the public may ask about it: named on the public page and the thank-you page.
    contact_name = models.CharField("contact", max_length=200, blank=True)
    contact_email = models.EmailField("contact email", blank=True)
    contact_phone = models.CharField("contact telephone", max_length=40, blank=True)

    history = audit_history(excluded_fields=["version"])
    objects = WindowQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                name="window_closes_after_it_opens",
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                violation_error_message="A window cannot close before it opens.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultation:window", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("consultation:public", kwargs={"slug": self.slug})

    @property
    def consulted_priorities(self) -> list[dict]:
        """The priorities of the text consulted on (its revision's), each with its id and
        title, in order; none before it is fixed (or in a revision stored without them)."""
        return (self.revision.content.get("priorities") or []) if self.revision_id else []

    @property
    def length_days(self) -> int | None:
        if self.opens_on and self.closes_on:
            return (self.closes_on - self.opens_on).days + 1
        return None

    @property
    def minimum(self) -> int | None:
        """The shortest it should run, in days: the lead organisation's policy, kept on the window
        (`minimum_days`) when it is first saved, so a later change of policy leaves it be."""
        if self.minimum_days is None and self.strategy_id is not None:
            return self.strategy.lead_organisation.consultation_minimum_days
        return self.minimum_days

    @property
    def is_shorter_than_policy(self) -> bool:
        minimum = self.minimum
        return None not in (self.length_days, minimum) and self.length_days < minimum

    @property
    def dates(self) -> str:
        """'13 October to 3 December 2021'; while only one is set, 'closes 3 December 2021' or
        'opens in July 2021' (at its precision); the period note; or 'dates to be set'."""
        precision = self.date_precision
        if self.period_note and precision != Precision.DAY:
            return self.period_note
        if precision == Precision.NOT_SET or not (self.opens_on or self.closes_on):
            return "dates to be set"
        opens, closes = (d and describe(d, precision) for d in (self.opens_on, self.closes_on))
        if opens and closes:
            return f"{opens} to {closes}"
        on = "" if precision == Precision.DAY else "in "
        return f"opens {on}{opens}" if opens else f"closes {on}{closes}"

    @property
    def has_public_page(self) -> bool:
        """Its public page is up once it has opened (and stays up, with the response once it is
        published): before, its address and text are not yet given to anyone."""
        return self.state != self.State.PLANNED

    def accepts_responses(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.state == self.State.OPEN
            and self.opens_on is not None
            and self.closes_on is not None
            and self.opens_on <= today <= self.closes_on
        )

    # Cabinet Office Consultation Principles: publish the response within 12 weeks of closing.
    RESPONSE_WITHIN = datetime.timedelta(weeks=12)

    @classmethod
    def response_within(cls) -> str:
        """`RESPONSE_WITHIN` in words, as the pages and the calendar say it ("12 weeks")."""
        days = cls.RESPONSE_WITHIN.days
        count, unit = (days // 7, "week") if days % 7 == 0 else (days, "day")
        return f"{count} {unit}{'s' if count != 1 else ''}"

    @property
    def response_due_by(self) -> datetime.date | None:
        """The last day to publish the response ("you said, we did"): `RESPONSE_WITHIN`."""
        return self.closes_on + self.RESPONSE_WITHIN if self.closes_on else None

    @property
    def response_is_overdue(self) -> bool:
        return (
            self.state == self.State.CLOSED
            and self.response_due_by is not None
            and timezone.localdate() > self.response_due_by
            and self.response_chased  # recorded after the fact, already due: not chased
        )

    def opening_is_late(self, today: datetime.date) -> bool:
        """Still planned when the last day its opening date can mean has passed."""
        return (
            self.state == self.State.PLANNED
            and self.opens_on is not None
            and latest_day(self.opens_on, self.date_precision) < today
        )

    @property
    def audiences(self) -> list[str]:
        return [
            str(self._meta.get_field(f).verbose_name)
            for f in ("for_public", "for_stakeholders", "for_partners")
            if getattr(self, f)
        ]


class WindowPartner(models.Model):
    window = models.ForeignKey(
        ConsultationWindow, on_delete=models.CASCADE, related_name="partner_links"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        max_length=200, blank=True, help_text="e.g. engagement with the voluntary sector"
    )

    history = audit_history()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["window", "organisation"], name="window_partner_once")
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Event(models.Model):
    window = models.ForeignKey(ConsultationWindow, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField("date and time", validators=[plausible])
    date_precision = models.CharField(
        max_length=10,
        choices=[(Precision.DAY, "Exact day"), (Precision.MONTH, "Month only")],
        default=Precision.DAY,
    )
    time_known = models.BooleanField(
        "time recorded",
        default=True,
        help_text="Off when only the day is known (or only the month).",
    )
    ends_on = models.DateField(
        "until",
        null=True,
        blank=True,
        validators=[plausible],
        help_text="For an event over several days or months: its last day (or any day of its "
        "last month, when only months are known).",
    )
    online = models.BooleanField(default=False)
    place = models.CharField(max_length=200, blank=True)
    host_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    host_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expected_attendance = models.PositiveIntegerField(null=True, blank=True)
    actual_attendance = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = audit_history()

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def when(self) -> str:
        """'3 July 2019, 18:00', '3–5 July 2019', 'July–August 2019' (describe_span)."""
        starts = timezone.localtime(self.starts_at)
        time = starts.time() if self.time_known else None
        return describe_span(starts.date(), self.ends_on, self.date_precision, time)

    @property
    def host(self) -> str:
        return str(self.host_body or self.host_organisation or "")
