"""Governance pages: the route tab, secretaries' meetings, decisions. Moves go through workflow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strategies import access as strategy_access
from strategies.page_cache import cached_page
from strategies.revisions import compare

from . import access, workflow
from .deadlines import agenda_deadline, call_in, gate_notes
from .forms import (
    ApplyRouteForm,
    CorrectionForm,
    DecisionForm,
    GateForm,
    MeetingForm,
    PublishAgendaForm,
    ReasonForm,
    ReplanForm,
    ScheduleForm,
)
from .models import Decision, Gate, Meeting, Transition
from .route import build_steps
from .workflow import WorkflowError


def _is_planner(user, strategy) -> bool:
    try:
        workflow.require_planner(user, strategy)
    except WorkflowError:
        return False
    return True


def _route_context(request, strategy) -> dict:
    gates = list(strategy.gates.for_route().select_related("report"))
    decisions = list(
        Decision.objects.filter(gate__strategy=strategy).select_related("meeting", "meeting__body")
    )
    steps, removed = build_steps(gates, decisions)
    today = timezone.localdate()
    for view in (v for step in steps for v in step):
        view.notes = gate_notes(view.gate, today, view.decision)
    planner = _is_planner(request.user, strategy) and strategy.stage != strategy.Stage.WITHDRAWN
    served = (
        set(access.bodies_served(request.user).values_list("pk", flat=True))
        if (request.user.role == request.user.Role.SECRETARY or request.user.is_administrator)
        else set()
    )
    return {
        "strategy": strategy,
        "tab": "route",
        "steps": steps,
        "removed": removed,
        "next_gates": [v for step in steps for v in step if v.is_next],
        "transitions": Transition.objects.filter(strategy=strategy)
        .select_related("by", "gate__body")
        .order_by("-at", "-pk")[:50],
        "is_planner": planner,
        "served_body_ids": served,
        "apply_form": ApplyRouteForm(strategy=strategy) if planner else None,
        "gate_form": GateForm(strategy=strategy) if planner else None,
        "reason_form": ReasonForm(),
    }


@login_required
@require_GET
@cached_page
def route(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = strategy_access.get_visible_strategy(request.user, slug)
    return render(request, "governance/route.html", _route_context(request, strategy))


def _add_refusal(form, refusal: WorkflowError) -> None:
    """Show a refusal beside its field when the form has that field, above the form otherwise."""
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


def _refused(request, refusal: WorkflowError):
    messages.error(request, refusal.message)


def _planner_post(request, slug):
    strategy = strategy_access.get_visible_strategy(request.user, slug)
    if not _is_planner(request.user, strategy):
        raise PermissionDenied("Only officers of the lead organisation plan this strategy's route.")
    return strategy


@login_required
@require_POST
def apply_route(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = _planner_post(request, slug)
    form = ApplyRouteForm(request.POST, strategy=strategy)
    if form.is_valid():
        try:
            gates = workflow.apply_route(strategy, form.cleaned_data["route"], request.user)
            messages.success(
                request, f"{len(gates)} gates added from “{form.cleaned_data['route']}”."
            )
        except WorkflowError as refusal:
            _refused(request, refusal)
    else:
        messages.error(request, "Choose a route template.")
    return redirect("governance:route", slug=strategy.slug)


@login_required
@require_http_methods(["GET", "POST"])
def add_gate(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = _planner_post(request, slug)
    form = GateForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workflow.add_gate(
                strategy,
                data["body"],
                data["purpose"],
                request.user,
                data["waits_for"],
                data["planned_date"],
                data["planned_precision"],
                data["note"],
                data["key_decision"],
                data["forward_plan_published_on"],
            )
            messages.success(request, "Gate added to the route.")
            return redirect("governance:route", slug=strategy.slug)
        except WorkflowError as refusal:
            _add_refusal(form, refusal)
    return render(
        request, "governance/gate_form.html", {"strategy": strategy, "form": form, "tab": "route"}
    )


def _gate_of(strategy, pk) -> Gate:
    return get_object_or_404(strategy.gates.select_related("body", "meeting"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def replan_gate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy = _planner_post(request, slug)
    gate = _gate_of(strategy, pk)
    initial = {
        "planned_date": gate.planned_date,
        "planned_precision": gate.planned_precision,
        "key_decision": gate.key_decision,
        "forward_plan_published_on": gate.forward_plan_published_on,
        "waits_for": list(gate.waits_for.all()),
        "seen_plan": workflow.plan_of(gate),
    }
    form = ReplanForm(request.POST or None, initial=initial, gate=gate)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not set(form.changed_data) - {"comment", "seen_plan"}:
            messages.info(request, "Nothing was changed, so nothing was saved.")
            return redirect("governance:route", slug=strategy.slug)
        try:
            workflow.replan_gate(
                gate,
                data["planned_date"],
                data["planned_precision"],
                request.user,
                data["comment"],
                key_decision=data["key_decision"],
                forward_plan_published_on=data["forward_plan_published_on"],
                expected_plan=data["seen_plan"] or None,
                waits_for=data.get("waits_for"),  # None: the first gate has no such field
            )
            messages.success(request, f"{gate} re-planned.")
            return redirect("governance:route", slug=strategy.slug)
        except workflow.PlanChanged as refusal:
            # Saving again after reading this is deliberate: the form now holds their plan.
            form.data = form.data.copy()
            form.data["seen_plan"] = refusal.current
            form.add_error(None, refusal.message)
        except WorkflowError as refusal:
            _add_refusal(form, refusal)
    return render(
        request,
        "governance/replan_form.html",
        {"strategy": strategy, "gate": gate, "form": form, "tab": "route"},
    )


def _reason(request) -> str | None:
    """The reason posted with a move, or None after telling the person what is wrong with it."""
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Reason: {' '.join(form.errors['reason'])}")
        return None
    return form.cleaned_data["reason"]


@login_required
@require_POST
def gate_move(request: HttpRequest, slug: str, pk: int, move: str) -> HttpResponse:
    """Remove or resubmit a gate (officers); both need a reason."""
    strategy = _planner_post(request, slug)
    gate = _gate_of(strategy, pk)
    reason = _reason(request)
    if reason is None:
        return redirect("governance:route", slug=strategy.slug)
    try:
        if move == "remove":
            workflow.remove_gate(gate, request.user, reason)
            messages.success(request, f"{gate} removed from the route.")
        else:
            workflow.resubmit(gate, request.user, reason)
            messages.success(request, f"{gate} is back on the route.")
    except WorkflowError as refusal:
        _refused(request, refusal)
    return redirect("governance:route", slug=strategy.slug)


@login_required
@require_POST
def strategy_move(request: HttpRequest, slug: str, move: str) -> HttpResponse:
    """Open a new revision of approved text, or withdraw the strategy (officers)."""
    strategy = _planner_post(request, slug)
    reason = _reason(request)
    if reason is None:
        return redirect("governance:route", slug=strategy.slug)
    try:
        if move == "open-revision":
            revision = workflow.open_revision(strategy, request.user, reason)
            messages.success(
                request,
                f"The text is open for change; revision {revision.number} keeps the approved text.",
            )
            return redirect(strategy)
        workflow.withdraw(strategy, request.user, reason)
        messages.success(request, "The strategy has been withdrawn.")
    except WorkflowError as refusal:
        _refused(request, refusal)
    return redirect("governance:route", slug=strategy.slug)


# Secretaries' meetings -------------------------------------------------------------------------


AGENDA_PREVIEW = 8


@login_required
@require_GET
@cached_page(per="minute")  # "upcoming" moves with the clock
def my_meetings(request: HttpRequest) -> HttpResponse:
    # Each row lists the first few strategies on the agenda and counts the rest (the meeting's
    # page has them all), so a crowded agenda does not slow the list. The three lists are
    # loaded first and their agendas then in one query for them all.
    meetings = access.visible_meetings(request.user).annotate(gate_count=Count("gates"))
    now = timezone.now()
    earlier = meetings.filter(starts_at__lt=now).order_by("-starts_at")
    upcoming = list(meetings.filter(starts_at__gte=now).order_by("starts_at")[:50])
    to_record = list(earlier.filter(status=Meeting.Status.SCHEDULED)[:50])
    past = list(earlier.exclude(status=Meeting.Status.SCHEDULED)[:50])
    prefetch_related_objects(
        upcoming + to_record + past,
        Prefetch(
            "gates",
            queryset=Gate.objects.select_related("strategy").order_by("position", "pk")[
                :AGENDA_PREVIEW
            ],
            to_attr="agenda_preview",
        ),
    )
    for meeting in upcoming:
        meeting.agenda = agenda_deadline(meeting)
    placing = _gate_to_place(request)
    if placing is not None:  # sent from the dashboard's "Put on a meeting"
        placing.choices = list(
            Meeting.objects.filter(
                body=placing.body_id, status=Meeting.Status.SCHEDULED, starts_at__gte=now
            )
            .exclude(pk=placing.meeting_id)
            .order_by("starts_at")[:PLACING_CHOICES]
        )
    return render(
        request,
        "governance/meetings.html",
        {
            "placing": placing,
            "upcoming": upcoming,
            "today": timezone.localdate(),
            "to_record": to_record,
            "past": past,
            "can_create": request.user.is_administrator
            or request.user.role == request.user.Role.SECRETARY,
            "minus_preview": -AGENDA_PREVIEW,
        },
    )


# Upcoming meetings offered for a gate being put on a meeting.
PLACING_CHOICES = 10


def _gate_to_place(request: HttpRequest) -> Gate | None:
    """The gate named by `?gate=` if the user may put it on a meeting (access.gates_to_place);
    anything else (not a number, another body's gate, a closed gate) is ignored."""
    try:
        pk = int(request.GET.get("gate", ""))
    except ValueError:
        return None
    gates = access.gates_to_place(request.user).select_related("strategy", "body", "meeting")
    return gates.filter(pk=pk).first()


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    access.require_secretary_role(request.user)
    bodies = access.bodies_served(request.user)
    placing = _gate_to_place(request)
    initial = {"body": placing.body_id} if placing else {}
    form = MeetingForm(request.POST or None, bodies=bodies, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting._change_reason = "Meeting created"
        meeting.save()
        messages.success(request, f"Meeting of the {meeting.body} on {meeting.when} created.")
        if placing is not None and placing.body_id == meeting.body_id:
            return redirect(f"{meeting.get_absolute_url()}?{urlencode({'gate': placing.pk})}")
        return redirect(meeting)
    return render(request, "governance/meeting_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting(request.user, pk)
    can_manage = workflow.is_secretary_of(request.user, meeting.body)
    placing = _gate_to_place(request)  # chosen on My meetings: preselected, to confirm
    schedule_form = ScheduleForm(meeting=meeting, initial={"gate": placing} if placing else None)
    publish_form = PublishAgendaForm(initial={"published_on": timezone.localdate()})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Only the body's secretaries manage its meetings.")
        try:
            if "gate" in request.POST:
                schedule_form = ScheduleForm(request.POST, meeting=meeting)
                if schedule_form.is_valid():
                    gate = workflow.schedule_gate(
                        schedule_form.cleaned_data["gate"], meeting, request.user
                    )
                    messages.success(request, f"{gate.strategy.title} is on the agenda.")
                    if waiting := gate.waiting_for:
                        messages.warning(request, waiting_message(gate, waiting))
                    return redirect(meeting)
            else:
                workflow.require_unpublished(meeting)  # before the form: it is gone once published
                publish_form = PublishAgendaForm(request.POST)
                if publish_form.is_valid():
                    revisions = workflow.publish_agenda(
                        meeting, publish_form.cleaned_data["published_on"], request.user
                    )
                    messages.success(
                        request,
                        f"Agenda published. Strategies frozen as sent in the papers: "
                        f"{len(revisions)}.",
                    )
                    return redirect(meeting)
        except WorkflowError as refusal:
            _refused(request, refusal)
            if meeting.agenda_published_on and "gate" not in request.POST:
                return redirect(meeting)  # published already: there is no form to show again
    gates = (
        meeting.gates.select_related("strategy", "papers_revision")
        .with_waits_for()
        .order_by("strategy__title")
    )
    held = meeting.day_reached
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": agenda_deadline(meeting),
            "today": timezone.localdate(),
            "gates": gates,
            "can_manage": can_manage,
            "held": held,
            "schedule_form": schedule_form,
            "publish_form": publish_form,
        },
    )


def waiting_message(gate: Gate, waiting: list[Gate]) -> str:
    """Said when a gate is put on a meeting before the gates it waits for have passed."""
    gates = "that gate has" if len(waiting) == 1 else "those gates have"
    return (
        f"{gate.strategy.title} waits for {workflow.name_gates(waiting)}, not yet passed. Until "
        f"{gates}, the only decision that can be recorded here is a deferral."
    )


# Decisions ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def record_decision(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_secretary_role(request.user)
    gate = get_object_or_404(
        Gate.objects.select_related(
            "strategy", "body", "meeting", "meeting__body"
        ).with_waits_for(),
        pk=pk,
    )
    # A gate of a strategy this person cannot read does not exist for them.
    strategy_access.get_visible_strategy(request.user, gate.strategy.slug)
    if not workflow.is_secretary_of(request.user, gate.body):
        raise PermissionDenied(f"Only a secretary of the {gate.body} records its decisions.")
    if request.method == "GET" and not gate.is_open:  # e.g. Back after recording it
        decision = gate.decisions.order_by("-recorded_at", "-pk").first()
        if decision is None:
            raise PermissionDenied(f"This gate is {gate.get_state_display().lower()}.")
        messages.info(request, "This gate has been decided: here is the decision.")
        return redirect(decision)
    form = DecisionForm(request.POST or None, gate=gate)
    if request.method == "POST" and form.is_valid():
        try:
            decision = workflow.record_decision(gate, request.user, **form.cleaned_data)
            messages.success(request, f"Decision recorded: {decision.get_outcome_display()}.")
            return redirect(decision)
        except WorkflowError as refusal:
            _add_refusal(form, refusal)
    return render(
        request,
        "governance/decision_form.html",
        {
            "gate": gate,
            "form": form,
            # A meeting still to come: its decision can be recorded from its day.
            "not_yet": gate.meeting.local_day
            if gate.meeting and not gate.meeting.day_reached
            else None,
            "waiting": gate.waiting_for,
        },
    )


def _call_in_text(decision: Decision) -> str:
    period = call_in(decision)
    return period.message(timezone.localdate()) if period else ""


def _visible_decision(request, pk) -> Decision:
    decision = get_object_or_404(
        Decision.objects.select_related(
            "gate__strategy",
            "gate__body__organisation",
            "meeting__body",
            "revision",
            "recorded_by",
            "corrects",
            "corrected_by",
        ),
        pk=pk,
    )
    strategy_access.get_visible_strategy(request.user, decision.gate.strategy.slug)
    return decision


@login_required
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _visible_decision(request, pk)
    strategy = decision.gate.strategy
    # Decisions are numbered in the order they were recorded.
    previous = (
        Decision.objects.filter(gate__strategy=strategy, pk__lt=decision.pk, corrects__isnull=True)
        .exclude(gate=decision.gate)
        .select_related("revision", "gate__body")
        .order_by("-pk")
        .first()
    )
    changes = []
    if previous and previous.revision_id != decision.revision_id:
        changes = [
            row
            for row in compare(previous.revision, decision.revision)
            if row.status != "unchanged"
        ]
    return render(
        request,
        "governance/decision_detail.html",
        {
            "decision": decision,
            "strategy": strategy,
            "previous": previous,
            "changes": changes,
            "can_correct": workflow.is_secretary_of(request.user, decision.gate.body)
            and not hasattr(decision, "corrected_by"),
            "call_in": _call_in_text(decision),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct_decision(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _visible_decision(request, pk)
    if not workflow.is_secretary_of(request.user, decision.gate.body):
        raise PermissionDenied(
            f"Only a secretary of the {decision.gate.body} corrects its decisions."
        )
    initial = {
        "resolution": decision.resolution,
        "reasons": decision.reasons,
        "alternatives_considered": decision.alternatives_considered,
        "conflicts_declared": decision.conflicts_declared,
        "published_on": decision.published_on,
    }
    form = CorrectionForm(
        request.POST or None, initial=initial, executive=decision.gate.body.is_executive
    )
    if request.method == "POST" and form.is_valid():
        try:
            correction = workflow.correct_decision(decision, request.user, **form.cleaned_data)
            messages.success(request, "Correction recorded; the original stays on record.")
            return redirect(correction)
        except WorkflowError as refusal:
            _add_refusal(form, refusal)
    return render(request, "governance/correction_form.html", {"decision": decision, "form": form})


# The approval timeline -------------------------------------------------------------------------
