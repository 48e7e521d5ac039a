"""Tamper checks: every revision's content matches its hash, and every strategy's decisions
form an unbroken hash chain. `manage.py verify_audit` reports what this finds."""

from __future__ import annotations

from dataclasses import dataclass

from strategies.models import Revision
from strategies.revisions import revision_is_intact

from .models import Decision
from .workflow import decision_hash


@dataclass
class Finding:
    record: str
    problem: str

    def __str__(self) -> str:
        return f"{self.record}: {self.problem}"


def verify() -> list[Finding]:
    findings = []
    for revision in Revision.objects.select_related("strategy").order_by("strategy_id", "number"):
        if not revision_is_intact(revision):
            findings.append(
                Finding(
                    f"Revision {revision.number} of “{revision.strategy}” (id {revision.pk})",
                    "its content does not match its hash",
                )
            )
    previous_by_strategy: dict[int, str] = {}
    decisions = Decision.objects.select_related(
        "gate__strategy", "gate__body", "revision"
    ).order_by("gate__strategy_id", "recorded_at", "pk")
    for decision in decisions:
        strategy_id = decision.gate.strategy_id
        label = f"Decision {decision.pk} ({decision.gate.body}, “{decision.gate.strategy}”)"
        expected_previous = previous_by_strategy.get(strategy_id, "")
        if decision.previous_hash != expected_previous:
            findings.append(Finding(label, "it does not follow the decision recorded before it"))
        if decision_hash(decision) != decision.record_hash:
            findings.append(Finding(label, "its record does not match its hash"))
        previous_by_strategy[strategy_id] = decision.record_hash
    return findings
