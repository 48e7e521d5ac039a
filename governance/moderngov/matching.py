"""Matching a gate of a meeting to the agenda item that considers it: the move of the body's
secretaries (and administrators), kept in the item's history with who and when. The item's
number becomes the gate's agenda item when the gate has none yet (workflow.set_agenda_references,
in the gate's own history); a number already typed is the secretary's and stays."""

from __future__ import annotations

from django.db import transaction

from .. import workflow
from ..models import AgendaItem, Gate
from ..workflow import WorkflowError, refuse_if


def match_refusal(user, item: AgendaItem) -> str | None:
    """Why `user` may not match a gate to `item` now, or None."""
    return workflow.secretary_refusal(user, item.meeting.body)


def gates_to_match(item: AgendaItem):
    """The gates a meeting's agenda items may be matched to: those on that meeting."""
    return (
        Gate.objects.filter(meeting_id=item.meeting_id)
        .exclude(state=Gate.State.REMOVED)
        .select_related("strategy", "body")
        .order_by("strategy__title", "pk")
    )


def match_gate(item: AgendaItem, gate: Gate | None, by) -> bool:
    """Match `gate` (None: no gate) to `item`. Returns whether anything was saved."""
    with transaction.atomic():
        item = (
            AgendaItem.objects.select_for_update().select_related("meeting__body").get(pk=item.pk)
        )
        refuse_if(match_refusal(by, item))
        if gate is not None and gate.meeting_id != item.meeting_id:
            raise WorkflowError("That gate is not on this meeting's agenda.", field="gate")
        if (gate.pk if gate else None) == item.gate_id:
            return False
        if gate is not None:
            other = AgendaItem.objects.filter(meeting_id=item.meeting_id, gate=gate).first()
            if other is not None:
                raise WorkflowError(
                    f"{gate.strategy.title} is matched to item “{other}” already; take it "
                    "off that item first.",
                    field="gate",
                )
        item.gate = gate
        item._change_reason = f"Matched to {gate}" if gate else "Match to a gate taken off"
        item.save(update_fields=["gate"])
        if gate is not None and item.number and not gate.agenda_item:
            workflow.set_agenda_references(
                gate, by, gate.report_number, item.number, comment="Agenda item from Modern.gov"
            )
        return True
