"""The covering report a body reads with the strategy at a gate (committee reports)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from strategies.models.base import Versioned, audit_history

from .routes import Gate

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{5,23}[0-9]$",
    "Write a telephone number with digits, spaces and brackets only, e.g. 01384 816698.",
)


class CommitteeReport(Versioned):
    """The covering report a body reads with the strategy at a gate, in the standard shape of
    council committee reports. Waymark fills in what it knows (portal/reports/drafting.py); the
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
    # What Waymark knows; "Refresh from Waymark" writes these again (portal/reports/drafting.py).
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
