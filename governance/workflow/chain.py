"""The decisions' hash chain: each decision's SHA-256 over its record and the hash of the one
recorded before it on the same strategy, so that `manage.py verify_audit` finds a record changed
behind the workflow's back (governance/audit.py), and an import checks a file's decisions
(portal/exchange)."""

from __future__ import annotations

import datetime
import hashlib
import json

from django.utils import timezone

from ..dates import Precision
from ..models import Decision


def decision_hash(decision: Decision) -> str:
    """SHA-256 over the decision's record and the hash of the decision before it."""
    record = {
        "strategy": decision.gate.strategy_id,
        "gate": decision.gate_id,
        "meeting": decision.meeting_id,
        "decided_on": decision.decided_on.isoformat(),
        "outcome": decision.outcome,
        "resolution": decision.resolution,
        "reasons": decision.reasons,
        "alternatives_considered": decision.alternatives_considered,
        "conflicts_declared": decision.conflicts_declared,
        "revision_hash": decision.revision.content_hash,
        "recorded_by": decision.recorded_by_id,
        "recorded_at": decision.recorded_at.astimezone(datetime.UTC).isoformat(),
        "corrects": decision.corrects_id,
        "previous_hash": decision.previous_hash,
    }
    if decision.published_on:  # added later; records without it keep their original hash
        record["published_on"] = decision.published_on.isoformat()
    # Added in December 2026, each only when it says something, for the same reason.
    if decision.decided_precision != Precision.DAY:
        record["decided_precision"] = decision.decided_precision
    for name in ("minute_reference", "decision_notice_reference", "recorded_from"):
        if getattr(decision, name):
            record[name] = getattr(decision, name)
    if decision.recorded_later:
        record["recorded_later"] = True
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain_and_save(decision: Decision) -> Decision:
    last = (
        Decision.objects.filter(gate__strategy_id=decision.gate.strategy_id)
        .order_by("-recorded_at", "-pk")
        .first()
    )
    decision.previous_hash = last.record_hash if last else ""
    decision.recorded_at = timezone.now().replace(microsecond=0)
    decision.record_hash = decision_hash(decision)
    decision.save()
    return decision
