"""The published "you said, we did"."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from strategies.models import Revision
from strategies.models.base import Versioned, audit_history

from .responses import Theme
from .windows import ConsultationWindow


class YouSaidWeDid(Versioned):
    window = models.ForeignKey(
        ConsultationWindow, on_delete=models.CASCADE, related_name="you_said_we_did"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    you_said = models.TextField("you said")
    changed = models.BooleanField("the strategy changed", default=True)
    we_did = models.TextField("we did", blank=True, help_text="What changed in the strategy.")
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The revision that made the change.",
    )
    why_not = models.TextField("why nothing changed", blank=True)
    # The items of the strategy that changed ({"kind": "priority", "id": 12}), shown with the
    # difference between the text consulted on and the revision that changed them.
    changed_items = models.JSONField(default=list, blank=True)
    # Set when a published entry is corrected: its public page says it was updated.
    corrected_at = models.DateTimeField(null=True, blank=True)

    history = audit_history(excluded_fields=["version"])

    class Meta:
        ordering = ["theme__name"]
        verbose_name = "“you said, we did” entry"
        verbose_name_plural = "“you said, we did” entries"

    def __str__(self) -> str:
        return f"{self.theme}: {'changed' if self.changed else 'not changed'}"

    def clean(self) -> None:
        # The admin's forms check this too: an entry speaks of its own consultation.
        if self.theme_id and self.window_id and self.theme.window_id != self.window_id:
            raise ValidationError({"theme": "Choose a theme of this consultation."})
        if (
            self.revision_id
            and self.window_id
            and (self.revision.strategy_id != self.window.strategy_id)
        ):
            raise ValidationError({"revision": "Choose a revision of this strategy."})
