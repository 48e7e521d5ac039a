"""The staff's consultation pages: a strategy's consultation tab, planning and changing a window,
the window's own page, and its moves (open, close, record one that has run, publish the
response). What each page offers follows the workflow's checks for the person looking
(consultation/workflow/refusals.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.views.common import add_refusal
from governance.workflow import WorkflowError
from strategies import access as strategy_access

from .. import access, changes, workflow
from ..forms import (
    CloseWindowForm,
    EventForm,
    PartnerForm,
    RecordWindowForm,
    ThemeForm,
    WindowForm,
)
from ..models import ConsultationWindow


@login_required
@require_GET
def strategy_consultations(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = strategy_access.get_visible_strategy(request.user, slug)
    if not access.can_read(request.user, strategy):
        raise PermissionDenied(access.READERS_ONLY)
    return render(
        request,
        "consultation/strategy_tab.html",
        {
            "strategy": strategy,
            "tab": "consultation",
            "windows": strategy.consultations.annotate(
                response_count=Count("responses")
            ).with_recording(),
            "can_manage": access.can_manage(request.user, strategy),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def window_edit(
    request: HttpRequest, slug: str | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is None:
        strategy = strategy_access.get_visible_strategy(request.user, slug)
        if refusal := workflow.plan_refusal(request.user, strategy):
            raise PermissionDenied(refusal)
        window = ConsultationWindow(strategy=strategy)
    else:
        window = access.get_window(request.user, pk, manage=True)
        strategy = window.strategy
        if refusal := workflow.window_refusal(window, request.user):
            raise PermissionDenied(refusal)
    if request.method == "POST":
        with transaction.atomic():
            form = WindowForm(request.POST, instance=window, strategy=strategy)
            if form.is_valid():
                try:
                    window = workflow.save_window(form.save(commit=False), request.user)
                except WorkflowError as refusal:  # changed by someone else a moment ago
                    add_refusal(form, refusal)
                else:
                    messages.success(request, f"“{window.title}” saved.")
                    return redirect(window)
    else:
        form = WindowForm(instance=window, strategy=strategy)
    return render(
        request,
        "consultation/window_form.html",
        {"form": form, "strategy": strategy, "window": window},
    )


@login_required
@require_GET
def window_detail(request: HttpRequest, pk: int) -> HttpResponse:
    window = access.visible_window(request.user, pk)
    if access.can_read(request.user, window.strategy):
        return window_page(request, window)
    # Staff who may see the strategy but not its responses (secretaries, from the route or the
    # timeline) are taken to what the public sees, once the consultation has a public page.
    if not window.has_public_page:
        raise PermissionDenied(access.READERS_ONLY)
    messages.info(
        request,
        "Consultations are run by officers and their responses read by officers and "
        "managers: this is the consultation's public page.",
    )
    return redirect(window.get_public_url())


def window_page(request: HttpRequest, window: ConsultationWindow, **sent) -> HttpResponse:
    """The consultation's staff page; `sent` holds a form sent back with its errors (by the
    name it has on the page), shown open with what was typed. Each move is offered when its
    check lets the person make it; the window's next move, refused for now, says why."""
    user = request.user
    manage = access.can_manage(user, window.strategy)
    moves = {
        "edit": workflow.window_refusal(window, user),
        "open": workflow.open_refusal(window, user),
        "close": workflow.close_refusal(window, user),
        "publish": workflow.publish_refusal(window, user),
        "entry": workflow.entry_refusal(window, user),
        "correct": workflow.entry_refusal(window, user, correcting=True),
        "record": workflow.record_refusal(window, user),
        "key_in": workflow.keying_refusal(window, user),  # or import, sent another way
    }
    forms = {
        "event_form": EventForm(strategy=window.strategy, window=window) if manage else None,
        "partner_form": PartnerForm() if manage else None,
        "theme_form": ThemeForm() if manage else None,
        "record_form": (
            RecordWindowForm(window=window, by=user) if manage and not moves["record"] else None
        ),
        **sent,
    }
    today = timezone.localdate()
    return render(
        request,
        "consultation/window_detail.html",
        {
            "window": window,
            "strategy": window.strategy,
            "can_manage": manage,
            "moves": moves,
            "not_yet": moves.get(workflow.NEXT_MOVE.get(window.state)) if manage else None,
            "events": window.events.select_related("host_body", "host_organisation"),
            "partners": window.partner_links.select_related("organisation"),
            "themes": window.themes.annotate(response_count=Count("response_links")),
            "entries": with_changes(window),
            "response_count": window.responses.count(),
            # Its documents, read through the reverse accessor the documents app gives windows
            # (consultation does not import it); those who run it keep them (documents/access.py).
            "documents": window.documents.current().order_by("kind", "title", "pk"),
            "missed_rules": workflow.missed_rules(window),
            "record_move": workflow.RECORD_MOVE,
            # Its planned dates have passed: the record form is shown open.
            "dates_passed": window.closes_on is not None and window.closes_on < today,
            **forms,
        },
    )


def with_changes(window: ConsultationWindow) -> list:
    """The window's "you said, we did" entries, each with `item_changes`: the items it says
    changed, as consulted on and as changed (changes.changes_of; no query per entry)."""
    entries = list(window.you_said_we_did.select_related("theme", "revision"))
    for entry in entries:
        entry.item_changes = changes.changes_of(entry, window)
    return entries


# The moves made with one button on the window's page: what each does, and says once done.
# (Publishing "you said, we did" asks to confirm first: items.publish_response.)
BUTTON_MOVES = {
    "open": (workflow.open_window, "The consultation is open; the text consulted on is fixed."),
}


@login_required
@require_POST
def window_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    window = access.get_window(request.user, pk, manage=True)
    make, done = BUTTON_MOVES[move]
    try:
        make(window, request.user)
    except WorkflowError as refusal:  # the move's own check said no
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return redirect(window)


@login_required
@require_POST
def record_window(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a planned window as the consultation that ran before its strategy came into
    Waymark, from the form on its page; a form with problems comes back on that page, open,
    with what was typed and each problem beside its field."""
    window = access.get_window(request.user, pk, manage=True)
    form = RecordWindowForm(request.POST, window=window, by=request.user)
    if form.is_valid():
        try:
            window = workflow.record_window(window, request.user, form.record())
        except WorkflowError as refusal:  # changed by someone else a moment ago
            add_refusal(form, refusal)
        else:
            messages.success(request, RECORDED)
            return redirect(window)
    return window_page(request, window, record_form=form)


RECORDED = "The consultation is recorded as it ran, with its real dates; its gate has passed."


@login_required
@require_http_methods(["GET", "POST"])
def close_window(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an open consultation by hand: a page that says what closing now means (how long it
    will have run against the policy's minimum), with the reason to record."""
    window = access.get_window(request.user, pk, manage=True)
    if refusal := workflow.close_refusal(window, request.user):
        messages.error(request, refusal)
        return redirect(window)
    form = CloseWindowForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            window = workflow.close_window(window, request.user, form.cleaned_data["reason"])
            messages.success(request, window.result)
            return redirect(window)
        except WorkflowError as refusal:
            add_refusal(form, refusal)
    return render(
        request,
        "consultation/close_form.html",
        {
            "window": window,
            "form": form,
            "length": workflow.length_if_closed_today(window),
            "short": workflow.short_if_closed_today(window) is not None,
            "response_count": window.responses.count(),
        },
    )
