"""The route tab of a strategy and the planners' moves on it: applying a route template, adding,
re-planning, removing and resubmitting gates, opening a new revision, withdrawing and
publishing. What the page offers is what each move's check (governance.workflow) allows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strategies import access as strategy_access
from strategies.models import Strategy, User

from .. import workflow
from ..deadlines import gate_notes, note_call_in
from ..forms import GateForm, ReasonForm, ReplanForm
from ..gate_runs import runs_at
from ..models import Decision, Gate, Purpose, Transition
from ..route import GateView, build_steps
from ..route_template_forms import ApplyRouteForm
from ..workflow import WorkflowError
from ..workflow.reports import meeting_mismatch
from .common import add_refusal, posted_reason, refused
from .lifecycle import MOVES as LIFECYCLE_MOVES

# The page --------------------------------------------------------------------------------------


def _offer_moves(view: GateView, user: User, today) -> None:
    """What the page offers at one gate: each move whose check lets `user` make it now. The
    checks read what the page loaded (decisions, secretaries), so this asks nothing more of the
    database; whether an app above holds the gate (gate_holders) is left to the move. A
    decision its recorder may take from the meeting's day is "not yet" until then."""
    gate = view.gate
    if workflow.record_decision_refusal(user, gate) is None:
        view.record_not_yet = workflow.decision_day_refusal(gate, today)
        view.can_record = view.record_not_yet is None
    view.can_replan = workflow.replan_gate_refusal(user, gate) is None
    view.can_remove = workflow.remove_gate_refusal(user, gate, holders=False) is None
    view.can_resubmit = workflow.resubmit_refusal(user, gate) is None


# The papers (documents not withdrawn) of a gate or decision, counted in the query that reads it
# through the reverse accessor the documents app gives them: governance does not import it.
PAPERS = Count("documents", filter=Q(documents__withdrawn_at__isnull=True))


def _papers(view: GateView) -> None:
    """How many papers the gate and its decisions have, from the counts read with them, and the
    group of the strategy's Documents tab to link to: the gate's own, or (when only its
    decisions have papers) its latest decision's with any, as the tab groups them apart."""
    gate = view.gate
    view.papers = gate.paper_count + sum(d.paper_count for d in view.decisions)
    with_papers = [d for d in view.decisions if d.paper_count]
    if gate.paper_count or not with_papers:
        view.papers_group = f"gate-{gate.pk}"
    else:
        view.papers_group = f"decision-{with_papers[-1].pk}"


def _rows(views: list[GateView]) -> None:
    """What each gate's row on the page gives before its details are opened: the numbers of
    the gates it waits for ("3b"; a removed one by its name) and how many warnings it has; and
    whether its details offer this person a move (or say why recording must wait)."""
    numbers = {view.gate.pk: view.number for view in views}
    for view in views:
        view.waits_for_numbers = [numbers.get(w.pk) or str(w) for w in view.gate.waits_for.all()]
        view.warnings = sum(note.warning for note in view.notes) + bool(view.report_mismatch)
        view.offers_moves = (
            (view.is_next and (view.can_record or view.record_not_yet is not None))
            or view.can_replan
            or view.can_remove
            or view.can_resubmit
        )


def _route_context(request, strategy: Strategy) -> dict:
    user = request.user
    # The gates and their decisions are kept on the strategy, where the moves' checks read them.
    prefetch_related_objects(
        [strategy],
        Prefetch(
            "gates",
            queryset=Gate.objects.for_route()
            .select_related("report")
            .annotate(paper_count=PAPERS)
            .prefetch_related(
                Prefetch(
                    "decisions",
                    queryset=Decision.objects.select_related(
                        "meeting",
                        "meeting__body",
                        "recorded_by",
                        "executive_response__body",
                        "call_in__heard_by",
                        "corrects__call_in__heard_by",
                    ).annotate(paper_count=PAPERS),
                )
            ),
        ),
    )
    gates = list(strategy.gates.all())
    if user.role == User.Role.SECRETARY:  # whom each body has as secretaries: is_secretary_of
        prefetch_related_objects([g.body for g in gates], "secretary_links")
    decisions = [d for g in gates for d in g.decisions.all()]
    steps, removed = build_steps(gates, decisions)
    # When each consultation gate's window runs, in one query (none without such a gate).
    runs = runs_at(g.pk for g in gates if g.purpose == Purpose.CONSULT)
    today = timezone.localdate()
    note_call_in([strategy], today, decisions)  # its stage, from the decisions read
    for view in (v for step in steps for v in step):
        view.run = runs.get(view.gate.pk)
        view.notes = gate_notes(view.gate, today, view.decision)
        report = getattr(view.gate, "report", None)
        view.report_mismatch = meeting_mismatch(report) if report else None
        _offer_moves(view, user, today)
        _papers(view)
    _rows([v for step in steps for v in step])
    planner = workflow.planner_refusal(user, strategy) is None
    can_apply_route = workflow.apply_route_refusal(user, strategy) is None
    can_add_gate = workflow.add_gate_refusal(user, strategy) is None
    publication_refusal = workflow.publication_refusal(strategy, user)
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
        "can_apply_route": can_apply_route,
        "can_add_gate": can_add_gate,
        "can_open_revision": workflow.open_revision_refusal(user, strategy) is None,
        "can_withdraw": workflow.withdraw_refusal(user, strategy) is None,
        "can_publish": publication_refusal is None,
        # After publication: the moves this person may make now (views/lifecycle.py).
        "lifecycle_moves": [
            (key, move.title)
            for key, move in LIFECYCLE_MOVES.items()
            if move.refusal(user, strategy) is None
        ],
        "review_due": workflow.is_review_due(strategy, today),
        "refresh": workflow.refresh_of(strategy) if strategy.has_public_page else None,
        "publication_refusal": publication_refusal,
        "apply_form": ApplyRouteForm(strategy=strategy) if can_apply_route else None,
        "gate_form": GateForm(strategy=strategy) if can_add_gate else None,
        "reason_form": ReasonForm(),
    }


@login_required
@require_GET
def route(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = strategy_access.get_visible_strategy(request.user, slug)
    return render(request, "governance/route.html", _route_context(request, strategy))


# Planning the route ----------------------------------------------------------------------------


def _planner_post(request, slug) -> Strategy:
    """The strategy, if the person may plan its route now (403 with the check's own sentence
    otherwise: a closed route, or not a planner). What else a move needs is checked by the
    move, and its refusal shown as a message."""
    strategy = strategy_access.get_visible_strategy(request.user, slug)
    if refusal := workflow.planner_refusal(request.user, strategy):
        raise PermissionDenied(refusal)
    return strategy


def _gate_of(strategy, pk) -> Gate:
    return get_object_or_404(strategy.gates.select_related("body", "meeting"), pk=pk)


@login_required
@require_POST
def apply_route(request: HttpRequest, slug: str) -> HttpResponse:
    """Build the route from a template. A refusal (a missing body, a template that waits in a
    circle) comes back beside the form on the route page, with what was chosen; one that takes
    the form away (someone has just built the route) comes back as a message above it."""
    strategy = _planner_post(request, slug)
    form = ApplyRouteForm(request.POST, strategy=strategy)
    if form.is_valid():
        data = form.cleaned_data
        try:
            applied = workflow.apply_route(
                strategy, data["route"], request.user, data["starts_on"], data["skip_missing"]
            )
        except WorkflowError as refusal:
            add_refusal(form, refusal)
        else:
            notice = messages.warning if applied.skipped else messages.success
            notice(request, applied.message)
            return redirect("governance:route", slug=strategy.slug)
    context = _route_context(request, strategy)
    if context["apply_form"] is None:
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("governance:route", slug=strategy.slug)
    context["apply_form"] = form
    return render(request, "governance/route.html", context)


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
                forward_plan_reference=data["forward_plan_reference"],
            )
            messages.success(request, "Gate added to the route.")
            return redirect("governance:route", slug=strategy.slug)
        except WorkflowError as refusal:
            add_refusal(form, refusal)
    return render(
        request, "governance/gate_form.html", {"strategy": strategy, "form": form, "tab": "route"}
    )


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
        "forward_plan_reference": gate.forward_plan_reference,
        "note": gate.note,
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
                forward_plan_reference=data["forward_plan_reference"],
                note=data["note"],
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
            add_refusal(form, refusal)
    return render(
        request,
        "governance/replan_form.html",
        {"strategy": strategy, "gate": gate, "form": form, "tab": "route"},
    )


@login_required
@require_POST
def gate_move(request: HttpRequest, slug: str, pk: int, move: str) -> HttpResponse:
    """Remove or resubmit a gate (officers); both need a reason."""
    strategy = _planner_post(request, slug)
    gate = _gate_of(strategy, pk)
    reason = posted_reason(request)
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
        refused(request, refusal)
    return redirect("governance:route", slug=strategy.slug)


# The strategy as a whole -----------------------------------------------------------------------


@login_required
@require_POST
def strategy_move(request: HttpRequest, slug: str, move: str) -> HttpResponse:
    """Open a new revision of approved text, or withdraw the strategy (officers)."""
    strategy = _planner_post(request, slug)
    reason = posted_reason(request)
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
        refused(request, refusal)
    return redirect("governance:route", slug=strategy.slug)


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = strategy_access.get_visible_strategy(request.user, slug)
    user = request.user
    if not workflow.is_planner_of(user, strategy):
        raise PermissionDenied("Only officers of the lead organisation publish this strategy.")
    try:
        revision = workflow.publish(strategy, user)
    except WorkflowError as refusal:
        refused(request, refusal)
        return redirect("governance:route", slug=strategy.slug)
    messages.success(
        request,
        f"Published: the public page shows revision {revision.number}, the text as adopted.",
    )
    return redirect("published-strategy", slug=strategy.slug)
