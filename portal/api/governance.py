"""`/api/v1/gates`, `/decisions` and `/meetings`: a strategy's gates and decisions are read with
the strategy (strategies.access), meetings as the meetings pages show them (governance.access:
board secretaries their bodies', managers and administrators all; officers none)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from ninja import Query, Router

from governance import access as governance_access
from governance.models import Decision, Gate
from strategies import access

from .common import Filters, body_ref
from .paging import Page, Paging, page_of
from .schemas import DecisionOut, GateOut, MeetingOut, answers

router = Router(tags=["Governance"])


def _strategies(user, filters: Filters):
    strategies = access.visible_strategies(user)
    if filters.organisation:
        strategies = strategies.involving(organisation__slug=filters.organisation)
    return strategies


@router.get("/gates", response=answers(Page[GateOut]), url_name="gates")
def list_gates(request: HttpRequest, filters: Query[Filters], paging: Query[Paging]) -> dict:
    """The gates of the strategies you may read: each approval milestone on a strategy's route,
    by strategy and place on the route. `since` and `until` take the day it is due: its
    meeting's day, or the last day its plan can mean."""
    gates = (
        Gate.objects.filter(strategy__in=_strategies(request.auth.user, filters))
        .with_due_day()
        .select_related("strategy", "body__organisation", "meeting")
    )
    if filters.body:
        gates = gates.filter(body_id=filters.body)
    if filters.since:
        gates = gates.filter(due_on__gte=filters.since)
    if filters.until:
        gates = gates.filter(due_on__lte=filters.until)
    rows, page = page_of(
        request, gates.order_by("strategy__title", "strategy_id", "position", "pk"), paging
    )
    return {**page, "results": [_gate(g) for g in rows]}


def _gate(gate: Gate) -> dict:
    return {
        "id": gate.pk,
        "strategy": gate.strategy.slug,
        "position": gate.position,
        "body": body_ref(gate.body),
        "purpose": gate.purpose,
        "purpose_label": gate.get_purpose_display(),
        "state": gate.state,
        "state_label": gate.state_label,
        "planned_date": gate.planned_date,
        "planned_precision": gate.planned_precision,
        "meeting_id": gate.meeting_id,
        "meeting_starts_at": gate.meeting.starts_at if gate.meeting else None,
        "due_on": gate.due_on,
        "key_decision": gate.key_decision,
        "forward_plan_reference": gate.forward_plan_reference,
        "report_number": gate.report_number,
        "agenda_item": gate.agenda_item,
    }


@router.get("/decisions", response=answers(Page[DecisionOut]), url_name="decisions")
def list_decisions(request: HttpRequest, filters: Query[Filters], paging: Query[Paging]) -> dict:
    """What bodies decided at the gates of the strategies you may read, in the order they were
    taken. A correction is a decision of its own that names the one it corrects (`corrects_id`);
    the corrected one says so (`corrected`). `since` and `until` take the decision's date."""
    decisions = (
        Decision.objects.filter(gate__strategy__in=_strategies(request.auth.user, filters))
        .select_related("gate__strategy", "gate__body__organisation")
        .annotate(corrected=Exists(Decision.objects.filter(corrects=OuterRef("pk"))))
    )
    if filters.body:
        decisions = decisions.filter(gate__body_id=filters.body)
    if filters.since:
        decisions = decisions.filter(decided_on__gte=filters.since)
    if filters.until:
        decisions = decisions.filter(decided_on__lte=filters.until)
    rows, page = page_of(request, decisions.order_by("decided_on", "recorded_at", "pk"), paging)
    return {**page, "results": [_decision(d) for d in rows]}


def _decision(decision: Decision) -> dict:
    return {
        "id": decision.pk,
        "gate_id": decision.gate_id,
        "strategy": decision.gate.strategy.slug,
        "body": body_ref(decision.gate.body),
        "meeting_id": decision.meeting_id,
        "decided_on": decision.decided_on,
        "decided_precision": decision.decided_precision,
        "outcome": decision.outcome,
        "outcome_label": decision.get_outcome_display(),
        "resolution": decision.resolution,
        "reasons": decision.reasons,
        "minute_reference": decision.minute_reference,
        "decision_notice_reference": decision.decision_notice_reference,
        "published_on": decision.published_on,
        "recorded_at": decision.recorded_at,
        "recorded_later": decision.recorded_later,
        "corrects_id": decision.corrects_id,
        "corrected": decision.corrected,
    }


@router.get("/meetings", response=answers(Page[MeetingOut], 403), url_name="meetings")
def list_meetings(request: HttpRequest, filters: Query[Filters], paging: Query[Paging]) -> dict:
    """The meetings you keep or oversee, by date: board secretaries read their bodies',
    managers and administrators every body's; officers read none (a 403), as on the meetings
    page. `organisation` takes the bodies' organisation; `since` and `until` the meeting's day."""
    meetings = governance_access.visible_meetings(request.auth.user)  # 403 for officers
    if filters.organisation:
        meetings = meetings.filter(body__organisation__slug=filters.organisation)
    if filters.body:
        meetings = meetings.filter(body_id=filters.body)
    if filters.since:
        meetings = meetings.filter(starts_at__date__gte=filters.since)
    if filters.until:
        meetings = meetings.filter(starts_at__date__lte=filters.until)
    rows, page = page_of(request, meetings.order_by("starts_at", "pk"), paging)
    return {
        **page,
        "results": [
            {
                "id": m.pk,
                "body": body_ref(m.body),
                "starts_at": m.starts_at,
                "date_precision": m.date_precision,
                "time_known": m.time_known,
                "venue": m.venue,
                "agenda_published_on": m.agenda_published_on,
                "status": m.status,
                "status_label": m.get_status_display(),
            }
            for m in rows
        ],
    }
