"""The portal's own records: the API tokens through which reporting tools read what their
person may read (portal/api/; docs/decisions/0029-read-only-api.md)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from strategies.models.base import audit_history


class ApiToken(models.Model):
    """A person's key to the read-only API, for a reporting tool (Power BI, Excel) that cannot
    sign in. It reads exactly what its person reads, through the same access rules as the
    pages. Only the SHA-256 of its secret is kept: the token itself is shown once, when it is
    made (portal/api/tokens.py), and can never be shown again. Made and revoked by its person;
    both are in the history, the secret's hash and the time of last use never are."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="What it is for, e.g. “Power BI: approvals dashboard”."
    )
    # The public part of the token ("wmk_<prefix>_<secret>"), by which it is found.
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_sha256 = models.CharField("SHA-256 of the secret", max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_on = models.DateField(
        "expires on",
        null=True,
        blank=True,
        help_text="It works until the end of this day. Leave empty for a token that works "
        "until you revoke it.",
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = audit_history(excluded_fields=["secret_sha256", "last_used_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (today or timezone.localdate())

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def state_label(self) -> str:
        if self.is_revoked:
            return "Revoked"
        return "Expired" if self.is_expired() else "Active"
