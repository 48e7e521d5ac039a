"""Adding a document: to a strategy, one of its gates, decisions or consultations (the form
offers only those the person keeps), or a paper to a meeting (its body's secretaries). The
workflow checks the person, the kind and the file again as it saves (documents/workflow.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from governance import access as governance_access
from governance.models import Decision
from governance.views.common import add_refusal
from governance.workflow import WorkflowError
from strategies import access as strategies_access
from strategies.models import Strategy, User

from .. import access, workflow
from ..forms import AddDocumentForm


def strategy_targets(user: User, strategy: Strategy) -> list:
    """What `user` may add a document to in `strategy`, for the form's "Belongs to" list:
    [(group, [(value, label, target)])], the strategy itself first ("" group), then its gates
    in route order, its decisions and its consultations. A handful of queries whatever their
    number: the bodies' secretaries are read once for all (keep_refusal asks them)."""
    gates = list(
        strategy.gates.select_related("body", "meeting")
        .prefetch_related("body__secretary_links")
        .order_by("position", "pk")
    )
    decisions = list(
        Decision.objects.filter(gate__strategy=strategy)
        .select_related("gate__body")
        .order_by("gate__position", "pk")
    )
    prefetch_related_objects([d.gate.body for d in decisions], "secretary_links")
    for decision in decisions:
        decision.gate.strategy = strategy  # as read already: keep_refusal asks it
    windows = list(strategy.consultations.order_by("pk"))
    candidates = [
        ("", [("strategy", "The strategy itself", strategy)]),
        ("Gates (a committee's consideration)",
         [(f"gate-{g.pk}", f"{g} ({g.when})", g) for g in gates]),
        ("Decisions",
         [(f"decision-{d.pk}",
           f"{d.gate.body}: {d.get_outcome_display()} ({d.decided_when})", d)
          for d in decisions]),
        ("Consultations", [(f"window-{w.pk}", w.title, w) for w in windows]),
    ]  # fmt: skip
    groups = []
    for group, rows in candidates:
        kept = [row for row in rows if access.keep_refusal(user, row[2]) is None]
        if kept:
            groups.append((group, kept))
    return groups


def _initial(request: HttpRequest, targets: list) -> dict:
    """What the link that led here chose (`?to=gate-12`): preselected, with the first kind that
    fits it."""
    chosen = request.GET.get("to", "")
    values = {value for _, rows in targets for value, _, _ in rows}
    if chosen not in values:
        return {}
    return {"to": chosen, "kind": workflow.KINDS_FOR[chosen.split("-")[0]][0]}


def _add(request: HttpRequest, form: AddDocumentForm) -> HttpResponse | None:
    """The workflow's move, from a valid form: the document's page, or None with the refusal
    beside its field."""
    data = form.cleaned_data
    try:
        document = workflow.add_document(
            request.user,
            form.target(),
            title=data["title"],
            kind=data["kind"],
            upload=data["file"],
            language=data["language"],
            public=data.get("public", False),
            description=data["description"],
            note=data["note"],
        )
    except WorkflowError as refusal:
        add_refusal(form, refusal)
        return None
    version = document.latest
    messages.success(
        request,
        f"“{document.title}” added. Its file ({version.format_label}, version 1) is kept as "
        f"“{version.file_name}”.",
    )
    return redirect("documents:document", pk=document.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_document(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = strategies_access.get_visible_strategy(request.user, slug)
    targets = strategy_targets(request.user, strategy)
    if not targets:
        raise PermissionDenied(access.keep_refusal(request.user, strategy))
    posted = request.method == "POST"
    form = AddDocumentForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        targets=targets,
        initial=_initial(request, targets),
    )
    if posted and form.is_valid() and (done := _add(request, form)):
        return done
    return render(
        request,
        "documents/add.html",
        {"strategy": strategy, "tab": "documents", "form": form},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_meeting_paper(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = governance_access.get_meeting(request.user, pk)
    if refusal := access.keep_refusal(request.user, meeting):
        raise PermissionDenied(refusal)
    posted = request.method == "POST"
    form = AddDocumentForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        targets=[],
        meeting=meeting,
        initial={"kind": workflow.KINDS_FOR["meeting"][0]},
    )
    if posted and form.is_valid() and (done := _add(request, form)):
        return done
    return render(request, "documents/add_meeting_paper.html", {"meeting": meeting, "form": form})
