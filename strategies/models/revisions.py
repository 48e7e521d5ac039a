from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from .strategy import Strategy


class Revision(models.Model):
    """A frozen, hashed copy of a strategy's whole content at a moment that matters.

    Created only by strategies.revisions.take_revision; never edited or deleted afterwards
    (the admin is read-only and `save` refuses an update), so decisions and consultations can
    point at exactly the text they were taken on.
    """

    append_only = True  # its save() refuses a change (audit/ledger.py reads this)

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=200, help_text="Why this copy was taken.")
    content = models.JSONField()
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical content.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["strategy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="revision_number_unique"),
            models.CheckConstraint(
                name="revision_number_positive", condition=models.Q(number__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.strategy} — revision {self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("A revision is never changed once taken.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "strategies:revision", kwargs={"slug": self.strategy.slug, "number": self.number}
        )

    @classmethod
    def audit_findings(cls):
        """Each revision's content against its hash, for `manage.py verify_audit`."""
        from ..revisions import revision_is_intact

        for revision in cls.objects.select_related("strategy").order_by("strategy_id", "number"):
            if not revision_is_intact(revision):
                where = f"Revision {revision.number} of “{revision.strategy}” (id {revision.pk})"
                yield where, "its content does not match its hash"
