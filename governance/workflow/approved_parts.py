"""Parts of the content a decision approved: which priorities, in which words, and what follows
when those words change afterwards.

A decision may approve the whole text (the revision it was taken on) or only named priorities
(a Board approving the priorities as the basis of a strategy not yet drafted). The parts are
kept in the words approved (ApprovedPart); a correction of the decision carries them. A later
change to an approved priority's words is not refused (the strategy goes on being written) but
the officer is warned on the page that edits it (strategies/approvals.py asks
`standing_approvals`), and the change is marked in the priority's history by `mark_change`,
whichever door it comes through: the browser, the admin, an import or a command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from strategies import prepared
from strategies.approvals import Approval
from strategies.models import Priority, Strategy

from ..models import ApprovedPart, Decision
from .common import Outcome, WorkflowError

# The outcomes that approve something; the others (noting, comments, refusals) approve nothing.
APPROVING = {Outcome.APPROVED, Outcome.APPROVED_WITH_AMENDMENTS, Outcome.ENDORSED}


def approved_parts_problems(
    strategy: Strategy, outcome: str, priorities: Iterable[Priority]
) -> list[WorkflowError]:
    """A decision approves named parts only when it approves, and only parts of its own
    strategy's content."""
    priorities = list(priorities)
    if not priorities:
        return []
    if outcome and outcome not in APPROVING:
        return [
            WorkflowError(
                "Only an approval or an endorsement approves parts of the content; leave the "
                "priorities unticked for this outcome.",
                field="approved_parts",
            )
        ]
    if any(p.strategy_id != strategy.pk for p in priorities):
        return [
            WorkflowError(
                "Choose priorities of this strategy.",
                field="approved_parts",
            )
        ]
    return []


def priorities_numbered(strategy: Strategy, numbers: str) -> list[Priority]:
    """The priorities of `strategy` at these places ("1, 3" or "1-3"), as its page numbers
    them: how the admin, which records one decision on several gates, names them. Raises a
    WorkflowError naming a number the strategy has no priority at."""
    by_place = {p.position: p for p in strategy.priorities.order_by("position")}
    ordered = sorted(by_place)
    numbered = {n: by_place[pos] for n, pos in enumerate(ordered, start=1)}
    wanted: list[int] = []
    for piece in re.split(r"[,\s]+", numbers.strip()):
        if not piece:
            continue
        if (match := re.fullmatch(r"(\d{1,9})\s*[-–]\s*(\d{1,9})", piece)) and int(match[1]) <= int(
            match[2]
        ):
            first, last = int(match[1]), int(match[2])
            # Numbers past the last priority are named once, not listed one by one.
            wanted += list(range(first, min(last, len(numbered) + 1) + 1))
        elif piece.isascii() and piece.isdigit() and len(piece) < 10:
            wanted.append(int(piece))
        else:
            # "3-1" would be no priority at all, which means the whole strategy: never that.
            raise WorkflowError(
                f"“{piece}” is not a priority's number or a range of them from the lower; "
                f"give numbers such as 1, 3 or 1-3.",
                field="approved_numbers",
            )
    missing = [n for n in wanted if n not in numbered]
    if missing:
        raise WorkflowError(
            f"{strategy.title} has no priority numbered {', '.join(map(str, missing))} "
            f"(it has {len(numbered)}).",
            field="approved_numbers",
        )
    return [numbered[n] for n in dict.fromkeys(wanted)]


def keep_approved_parts(decision: Decision, priorities: Iterable[Priority]) -> None:
    """Keep the priorities `decision` approved, in their words now (they are read afresh, so
    the words kept are those under the strategy's lock)."""
    ids = [p.pk for p in priorities]
    for place, priority in enumerate(Priority.objects.filter(pk__in=ids).order_by("position"), 1):
        ApprovedPart.objects.create(
            decision=decision,
            priority=priority,
            position=place,
            title=priority.title,
            description=priority.description,
        )


def carry_approved_parts(decision: Decision, correction: Decision) -> None:
    """A correction approves what the decision it corrects approved, in the same words."""
    for part in decision.approved_parts.all():
        ApprovedPart.objects.create(
            decision=correction,
            priority_id=part.priority_id,
            position=part.position,
            title=part.title,
            description=part.description,
        )


def approved_by(decision: Decision) -> str:
    """'Approved by the Dudley Health and Wellbeing Board on 13 September 2017 (Minute 34/17)'."""
    verb = "Endorsed" if decision.outcome == Outcome.ENDORSED else "Approved"
    said = f"{verb} by the {decision.gate.body} {decision.decided_on_or_in}"
    if decision.minute_cited:
        said += f" ({decision.minute_cited})"
    return said


def standing_parts(priority_ids: Iterable[int]):
    """The approved parts of these priorities whose decision stands (is not corrected: the
    correction carries them), with what names the decision, in one query."""
    return (
        ApprovedPart.objects.filter(
            priority_id__in=list(priority_ids), decision__corrected_by__isnull=True
        )
        .select_related("decision__gate__body", "decision__meeting")
        .order_by("decision__decided_on", "decision__pk")
    )


def standing_approvals(priority_ids: list[int]) -> dict[int, list[Approval]]:
    """For strategies/approvals.py: each approved priority's standing approvals (the query's
    SQL prepared once per process for each number of priorities: strategies/prepared.py)."""
    found: dict[int, list[Approval]] = {}
    parts = prepared.rows(
        "approvals:standing", lambda priorities: standing_parts(priorities), priorities=priority_ids
    )
    for part in parts:
        found.setdefault(part.priority_id, []).append(_approval(part))
    return found


def parts_since(decision: Decision) -> list[tuple[ApprovedPart, Priority | None, str]]:
    """The priorities `decision` approved, each with the priority as it is now (None once
    removed) and what has happened to it since: "removed since", "words changed since" or ""."""
    parts = list(decision.approved_parts.all())
    now = Priority.objects.in_bulk([part.priority_id for part in parts if part.priority_id])
    rows = []
    for part in parts:
        current = now.get(part.priority_id)
        if current is None:
            state = "removed since"
        elif _approval(part).differs_from(current.title, current.description):
            state = "words changed since"
        else:
            state = ""
        rows.append((part, current, state))
    return rows


def _approval(part: ApprovedPart) -> Approval:
    return Approval(
        said=approved_by(part.decision),
        title=part.title,
        description=part.description,
        url=part.decision.get_absolute_url(),
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _add_to_reason(instance: Priority, mark: str) -> None:
    reason = getattr(instance, "_change_reason", "") or ""
    if mark not in reason:
        instance._change_reason = f"{reason} ({mark})" if reason else mark


def mark_change(sender, instance: Priority, raw: bool = False, **kwargs) -> None:
    """Before a priority is saved: when this save changes the words of a priority that was
    approved, away from the words approved, say so in the reason its history row keeps. A
    signal, so that it holds whichever door the change comes through."""
    if raw or instance.pk is None:
        return
    before = Priority.objects.filter(pk=instance.pk).values("title", "description").first()
    if before is None or (before["title"], before["description"]) == (
        instance.title,
        instance.description,
    ):
        return  # new here, or its words untouched (moved, say)
    approvals = standing_approvals([instance.pk]).get(instance.pk, [])
    changed = [a for a in approvals if a.differs_from(instance.title, instance.description)]
    if changed:
        notes = "; ".join(_lower_first(a.said) for a in changed)
        _add_to_reason(instance, f"Changes words {notes}")


def mark_removal(sender, instance: Priority, **kwargs) -> None:
    """Before a priority is removed: when it was approved, say so in its history."""
    approvals = standing_approvals([instance.pk]).get(instance.pk, [])
    if approvals:
        notes = "; ".join(_lower_first(a.said) for a in approvals)
        _add_to_reason(instance, f"Removes a priority {notes}")
