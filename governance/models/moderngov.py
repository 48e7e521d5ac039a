"""What Waymark knows of an organisation's committee system (Modern.gov): the address of its
site, which of its committees are which of Waymark's bodies, and the agenda items of the
meetings it brought in (governance/moderngov/ brings them in; docs/decisions/0028).

A meeting brought in keeps the committee system's id and what was last brought in
(`Meeting.moderngov_id`, `Meeting.moderngov_imported`): a meeting whose details people changed
in Waymark since is recognised by comparing the two and is never overwritten."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from strategies.models import Organisation
from strategies.models.base import HttpsURLField, audit_history

from .bodies import Body, Meeting
from .routes import Gate


class ModernGovSite(models.Model):
    """An organisation's Modern.gov site, e.g. https://democracy.example.gov.uk (its web
    service is `<address>/mgWebService.asmx`)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="moderngov_site"
    )
    base_url = HttpsURLField(
        "address",
        max_length=200,
        help_text="The address of the council's Modern.gov site, e.g. "
        "https://democracy.example.gov.uk (without /mgWebService.asmx).",
    )
    enabled = models.BooleanField(
        default=True, help_text="Off: sync_moderngov and its schedule leave this site alone."
    )
    last_synced_at = models.DateTimeField("last synced", null=True, blank=True, editable=False)
    last_result = models.TextField(blank=True, editable=False)

    # The result of every run is not a change anyone made: it stays out of the history.
    history = audit_history(excluded_fields=["last_synced_at", "last_result"])

    class Meta:
        verbose_name = "Modern.gov site"
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.base_url}"

    @property
    def service_url(self) -> str:
        return f"{self.base_url.rstrip('/')}/mgWebService.asmx"


class CommitteeLink(models.Model):
    """This committee of the site (Modern.gov's committee id, the `CId=` of its pages) is this
    body of Waymark. Both are of the site's organisation."""

    site = models.ForeignKey(ModernGovSite, on_delete=models.CASCADE, related_name="committees")
    committee_id = models.PositiveIntegerField(
        "committee id", help_text="Modern.gov's number for the committee (CId= in its addresses)."
    )
    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="moderngov_link")

    history = audit_history()

    class Meta:
        verbose_name = "Modern.gov committee"
        ordering = ["site", "committee_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "committee_id"], name="moderngov_committee_once_per_site"
            )
        ]

    def __str__(self) -> str:
        return f"Committee {self.committee_id} = {self.body}"

    def clean(self) -> None:
        site, body = getattr(self, "site", None), getattr(self, "body", None)
        if site is not None and body is not None and body.organisation_id != site.organisation_id:
            raise ValidationError(
                {
                    "body": f"The {body} is a body of {body.organisation}, not of "
                    f"{site.organisation}, whose site this is."
                }
            )


class AgendaItem(models.Model):
    """An item of a meeting's agenda as the committee system publishes it, with the references
    it carries. Brought in, never typed: only its gate (the Waymark gate the item considers)
    is chosen in Waymark, by the body's secretaries (moderngov.matching)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    moderngov_id = models.PositiveIntegerField("Modern.gov item id", editable=False)
    position = models.PositiveIntegerField(default=0, editable=False)
    number = models.CharField("item number", max_length=30, blank=True)
    title = models.CharField(max_length=500)
    minute_number = models.CharField("minute reference", max_length=30, blank=True)
    report_reference = models.CharField(
        max_length=300, blank=True, help_text="The title of the item's first public document."
    )
    report_url = HttpsURLField("report address", max_length=500, blank=True)
    documents = models.JSONField(
        default=list, blank=True, help_text="The item's public documents: title and address."
    )
    is_decision = models.BooleanField("a decision", default=False)
    decision_date = models.DateField(null=True, blank=True)
    gate = models.ForeignKey(
        Gate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        help_text="The Waymark gate this item considers.",
    )

    history = audit_history()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "moderngov_id"], name="agenda_item_once_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["meeting", "gate"],
                condition=models.Q(gate__isnull=False),
                name="gate_on_one_item_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()
