"""What the public sent, and the officers' themes and tags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from strategies.models.base import audit_history

from .windows import ConsultationWindow


class Theme(models.Model):
    window = models.ForeignKey(ConsultationWindow, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    history = audit_history()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["window", "name"], name="theme_once_per_window")
        ]

    def __str__(self) -> str:
        return self.name


class Response(models.Model):
    """What a member of the public or an organisation sent. Never edited; officers only tag it."""

    class Channel(models.TextChoices):
        ONLINE = "online", "The online form"
        PAPER = "paper", "A paper form"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        EVENT = "event", "At an event"
        IMPORTED = "imported", "Another survey tool (imported)"

    class RespondentType(models.TextChoices):
        INDIVIDUAL = "individual", "An individual"
        ORGANISATION = "organisation", "An organisation"
        GROUP = "group", "On behalf of a group"

    window = models.ForeignKey(
        ConsultationWindow, on_delete=models.PROTECT, related_name="responses"
    )
    reference = models.CharField(max_length=20, unique=True)
    submitted_at = models.DateTimeField()
    respondent_type = models.CharField(max_length=20, choices=RespondentType.choices)
    organisation_name = models.CharField(max_length=200, blank=True)
    general_comments = models.TextField(blank=True)
    consent = models.BooleanField()
    is_demo = models.BooleanField(
        default=False, help_text="Made up for the demo, not a real person's."
    )
    # When the retention period ended: the free text and the organisation's name were removed,
    # keeping the type, the agreements and the tags that the counts are made of.
    anonymised_at = models.DateTimeField(null=True, blank=True, db_index=True)
    themes = models.ManyToManyField(
        Theme, through="ResponseTheme", related_name="responses", blank=True
    )
    # How it reached the council. A response sent another way is keyed in by an officer or
    # imported from another survey tool: the day it was received (late if after the closing
    # date, and accepted), who keyed it, and for an import its file and its row there, so that
    # importing the same file again adds nothing.
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    received_on = models.DateField(null=True, blank=True)
    late = models.BooleanField(
        default=False, help_text="Received after the consultation closed, and accepted."
    )
    keyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_from = models.ForeignKey(
        "ResponseImport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
    )
    source_row_id = models.CharField(
        max_length=120, blank=True, help_text="The row's identifier in the tool it came from."
    )

    # Who added it and how, in the audit history (the workflow gives the reason: sent online,
    # keyed in, imported). Never what the respondent wrote or anything that leads back to them
    # (the reference, the moment they sent it, the row in the survey tool), which anonymising
    # removes and the history must not keep; nor the stamp anonymising leaves.
    history = audit_history(
        excluded_fields=[
            "reference",
            "submitted_at",
            "organisation_name",
            "general_comments",
            "anonymised_at",
            "imported_from",
            "source_row_id",
        ]
    )

    class Meta:
        # Newest first, and in one order when two came in the same moment (an import's rows).
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            # The analysis page's list, newest first, a page at a time without sorting them all.
            models.Index(fields=["window", "-submitted_at", "-id"], name="response_newest_first"),
            # Its counts by respondent type and by day, read from the index alone.
            models.Index(
                fields=["window", "respondent_type", "submitted_at"], name="response_type_and_time"
            ),
        ]
        constraints = [
            models.CheckConstraint(name="response_has_consent", condition=Q(consent=True)),
            models.UniqueConstraint(
                fields=["window", "source_row_id"],
                condition=~Q(source_row_id=""),
                name="response_source_row_once",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class PriorityAnswer(models.Model):
    class Agreement(models.IntegerChoices):
        STRONGLY_DISAGREE = 1, "Strongly disagree"
        DISAGREE = 2, "Disagree"
        NEUTRAL = 3, "Neither agree nor disagree"
        AGREE = 4, "Agree"
        STRONGLY_AGREE = 5, "Strongly agree"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # The response's window, kept beside it (a response never moves) so that the agreement per
    # priority of tens of thousands of answers is counted from one index, without reading the
    # responses. Given by whoever adds the answers (the workflow, an import): never blank.
    window = models.ForeignKey(
        ConsultationWindow, on_delete=models.CASCADE, related_name="+", editable=False
    )
    # The priority as it stood in the revision consulted on (the live one may change later).
    priority_id = models.BigIntegerField()
    priority_title = models.CharField(max_length=300)
    agreement = models.PositiveSmallIntegerField(choices=Agreement.choices, null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "priority_id"]
        indexes = [
            models.Index(
                fields=["window", "priority_id", "agreement"], name="answer_agreement_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response}: {self.priority_title}"


class ResponseTheme(models.Model):
    """An officer's tag of a response with a theme (a row, so who tagged what is on record)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="response_links")
    # Tagged by an accepted theme suggestion, until a person confirms it (suggestions.py).
    suggested = models.BooleanField(default=False)

    history = audit_history()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "theme"], name="response_theme_once")
        ]

    def __str__(self) -> str:
        return f"{self.response} tagged {self.theme}"


class ResponseImport(models.Model):
    """A CSV exported from another survey tool and imported into a consultation, in one
    transaction: the file (by name and fingerprint), the column mapping used, who imported it
    and what it added."""

    class Tool(models.TextChoices):
        CITIZEN_SPACE = "citizen_space", "Citizen Space"
        SURVEYMONKEY = "surveymonkey", "SurveyMonkey"
        MICROSOFT_FORMS = "microsoft_forms", "Microsoft Forms"
        SMART_SURVEY = "smart_survey", "Smart Survey"
        OTHER = "other", "Another tool"

    window = models.ForeignKey(ConsultationWindow, on_delete=models.PROTECT, related_name="imports")
    tool = models.CharField(max_length=30, choices=Tool.choices, default=Tool.OTHER)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    mapping = models.JSONField(default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField()
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    already_imported = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)

    history = audit_history()

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = "response import"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_tool_display()}, {self.added} added)"
