"""The audit ledger's entries (audit/ledger.py writes them, audit/verify.py checks them)."""

from __future__ import annotations

from django.db import models


class Entry(models.Model):
    """One entry of the record as it was written: which row of which table and its fields'
    digests, with its own HMAC under a key the database does not hold. Once its transaction
    commits, the entry is numbered (without gaps) and sealed: an HMAC over it and the seal of
    the entry before it, so a deletion, an insertion or a rewrite anywhere breaks the chain at a
    named entry. Never changed otherwise: its save() refuses, and a trigger refuses UPDATE (but
    that one sealing) and DELETE to the database role itself (migration 0002)."""

    # Never changed or deleted (audit/ledger.py reads this, and leaves the
    # ledger itself out of what it keeps).
    append_only = True

    class Action(models.TextChoices):
        ADDED = "added", "Added"
        CHANGED = "changed", "Changed"
        REMOVED = "removed", "Removed"
        FOUND = "found", "Found when the ledger began"

    seq = models.BigIntegerField("entry", null=True, blank=True, unique=True)
    recorded_at = models.DateTimeField()
    kind = models.CharField(max_length=100, help_text="The table: app label and model name.")
    object_pk = models.CharField("row", max_length=64)
    action = models.CharField(max_length=10, choices=Action.choices)
    fields = models.JSONField(
        default=dict, help_text="Each column's SHA-256 digest (128 bits) as the row was written."
    )
    # The entry's own HMAC, made as it is written; the chain's seal is added once it commits.
    mac = models.CharField(max_length=64, unique=True)
    previous_seal = models.CharField(max_length=64, blank=True)
    seal = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["seq", "id"]
        verbose_name = "ledger entry"
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["kind", "object_pk"])]

    def __str__(self) -> str:
        return f"Entry {self.seq}: {self.kind} {self.object_pk} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A ledger entry is never changed; it is sealed once, by the ledger.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A ledger entry is never deleted.")
