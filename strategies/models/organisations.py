from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from .base import audit_history


class Organisation(models.Model):
    class AgendaCounting(models.TextChoices):
        CLEAR_DAYS = "clear_days", "Clear days"
        CLEAR_WORKING_DAYS = "clear_working_days", "Clear working days"

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        CCG = "ccg", "Clinical commissioning group"
        ICB = "icb", "Integrated care board"
        NHS_TRUST = "nhs_trust", "NHS trust"
        VOLUNTARY = "voluntary", "Voluntary sector body"
        HEALTHWATCH = "healthwatch", "Healthwatch"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=60, blank=True, help_text="Used where space is short, e.g. “Dudley CCG”."
    )
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Timing rules where constitutions differ (shared/DEADLINES.md; governance/deadlines.py).
    agenda_counting = models.CharField(
        "agenda notice counted in",
        max_length=20,
        choices=AgendaCounting.choices,
        default=AgendaCounting.CLEAR_WORKING_DAYS,
    )
    agenda_notice_days = models.PositiveSmallIntegerField(
        "agenda notice (days)", default=5, help_text="Local Government Act 1972 s100B: 5."
    )
    consultation_minimum_days = models.PositiveSmallIntegerField(
        "minimum consultation length (days)",
        default=84,
        help_text="Local policy; a shorter window needs a recorded reason. 12 weeks is common.",
    )
    key_decision_notice_days = models.PositiveSmallIntegerField(
        "key decision notice (clear days)",
        default=28,
        help_text="SI 2012/2089 reg 9: notice on the Forward Plan 28 clear days before.",
    )
    call_in_working_days = models.PositiveSmallIntegerField(
        "call-in period (working days)",
        default=5,
        help_text="From the constitution: working days after an executive decision is published "
        "during which it can be called in. 5 is common.",
    )

    history = audit_history()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class WaymarkUserManager(UserManager):
    """Django's, with one difference: a superuser (`manage.py createsuperuser`, the first step
    of a set-up) is an administrator, who belongs to no organisation. Django's own would make
    them an officer without an organisation, which the table refuses."""

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. Each belongs to one organisation with one role."""

    class Role(models.TextChoices):
        OFFICER = "officer", "Officer"
        SECRETARY = "secretary", "Board secretary"
        MANAGER = "manager", "Manager"
        ADMINISTRATOR = "administrator", "Administrator"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OFFICER)
    job_title = models.CharField(max_length=200, blank=True)
    # The secret in the user's calendar feed address (calendar clients cannot sign in). Its
    # value stays out of the history; the time it was last reset goes in.
    calendar_token = models.CharField(max_length=64, blank=True, editable=False)
    calendar_token_reset_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Optional two-factor sign-in (accounts/two_factor.py). Whether it is on goes in the
    # history; the shared secret and the time step of the last code used never do.
    two_factor = models.BooleanField("two-factor sign-in", default=False, editable=False)
    two_factor_secret = models.CharField(max_length=64, blank=True, editable=False)
    two_factor_last_step = models.BigIntegerField(null=True, blank=True, editable=False)
    # Wrong codes in a row, from any session or address, and when the last one came.
    two_factor_failures = models.PositiveIntegerField(default=0, editable=False)
    two_factor_failed_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Passwords, sign-in times and the secrets are not "changes a person makes" to the
    # product's records (the feed secret's reset time and two-factor's being on are).
    objects = WaymarkUserManager()
    history = audit_history(
        excluded_fields=[
            "password",
            "last_login",
            "calendar_token",
            "two_factor_secret",
            "two_factor_last_step",
            "two_factor_failures",
            "two_factor_failed_at",
        ]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="user_staff_role_has_organisation",
                condition=models.Q(role="administrator") | models.Q(organisation__isnull=False),
                violation_error_message="Officers, secretaries and managers need an organisation.",
            ),
        ]

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMINISTRATOR

    @property
    def reads_everything(self) -> bool:
        """Administrators and managers read every strategy, consultation and meeting."""
        return self.is_administrator or self.role == self.Role.MANAGER

    @property
    def is_officer(self) -> bool:
        return self.role == self.Role.OFFICER and not self.is_superuser

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
