"""Decisions' own tamper check: each strategy's decisions form an unbroken hash chain, each
hash over the decision's record. `manage.py verify_audit` (audit/verify.py) runs it through
`Decision.audit_findings()`, beside the ledger's checks."""

from __future__ import annotations

from collections.abc import Iterator

from .models import Decision
from .workflow import decision_hash


def decision_findings() -> Iterator[tuple[str, str]]:
    previous_by_strategy: dict[int, str] = {}
    decisions = Decision.objects.select_related(
        "gate__strategy", "gate__body", "revision"
    ).order_by("gate__strategy_id", "recorded_at", "pk")
    for decision in decisions:
        strategy_id = decision.gate.strategy_id
        label = f"Decision {decision.pk} ({decision.gate.body}, “{decision.gate.strategy}”)"
        expected_previous = previous_by_strategy.get(strategy_id, "")
        if decision.previous_hash != expected_previous:
            yield label, "it does not follow the decision recorded before it"
        if decision_hash(decision) != decision.record_hash:
            yield label, "its record does not match its hash"
        previous_by_strategy[strategy_id] = decision.record_hash
