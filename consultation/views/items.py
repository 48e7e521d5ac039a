"""The things on a consultation window's page that officers add and change: its events, the
partner organisations running engagement, the themes that code the responses, and the "you said,
we did" entries (written once it has closed, through the workflow's `save_entry`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from governance.views.common import add_refusal
from governance.workflow import WorkflowError

from .. import access, changes, workflow
from ..entry_forms import YouSaidWeDidForm
from ..forms import EventForm, PartnerForm, ThemeForm
from ..models import Event, YouSaidWeDid
from .windows import window_page


def _add_child(request, pk, form_class, label, **form_kwargs):
    """Add an event, partner or theme from its form on the consultation's page; a form with
    problems comes back on that page, open, with what was typed and each error by its field."""
    window = access.get_window(request.user, pk, manage=True)
    form = form_class(
        request.POST, **{k: (v(window) if callable(v) else v) for k, v in form_kwargs.items()}
    )
    if form.is_valid():
        child = form.save(commit=False)
        child.window = window
        try:
            with transaction.atomic():
                child.save()
            messages.success(request, f"{label} added.")
            return redirect(window)
        except IntegrityError:  # a duplicate that validation could not see: say so
            form.add_error(None, f"That {label.lower()} is already there.")
    return window_page(request, window, **{f"{label.lower()}_form": form})


@login_required
@require_POST
def add_event(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_child(
        request, pk, EventForm, "Event", strategy=lambda w: w.strategy, window=lambda w: w
    )


@login_required
@require_POST
def add_partner(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_child(request, pk, PartnerForm, "Partner", window=lambda w: w)


@login_required
@require_POST
def add_theme(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_child(request, pk, ThemeForm, "Theme", window=lambda w: w)


@login_required
@require_http_methods(["GET", "POST"])
def edit_event(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    window = access.get_window(request.user, pk, manage=True)
    event = get_object_or_404(Event, pk=event_pk, window=window)
    form = EventForm(request.POST or None, instance=event, strategy=window.strategy)
    if request.method == "POST":
        with transaction.atomic():  # the row stays locked from the check of what was read
            if form.is_valid():
                form.save()
                messages.success(request, "Event saved.")
                return redirect(window)
    return render(request, "consultation/event_form.html", {"form": form, "window": window})


@login_required
@require_http_methods(["GET", "POST"])
def edit_entry(request: HttpRequest, pk: int, entry_pk: int | None = None) -> HttpResponse:
    """Write a "you said, we did" entry once the consultation has closed, or change one before
    the response is published, or correct one after, with the reason (workflow.save_entry)."""
    window = access.get_window(request.user, pk, manage=True)
    if refusal := workflow.entry_refusal(window, request.user, correcting=entry_pk is not None):
        raise PermissionDenied(refusal)
    entry = (
        get_object_or_404(
            YouSaidWeDid.objects.select_related("revision"), pk=entry_pk, window=window
        )
        if entry_pk
        else YouSaidWeDid(window=window)
    )
    if request.method == "POST":
        with transaction.atomic():
            form = YouSaidWeDidForm(request.POST, instance=entry, window=window)
            if form.is_valid():
                try:
                    workflow.save_entry(
                        form.save(commit=False), request.user, form.cleaned_data.get("reason", "")
                    )
                except WorkflowError as refusal:  # the response was published a moment ago
                    add_refusal(form, refusal)
                else:
                    messages.success(request, "“You said, we did” entry saved.")
                    return redirect(window)
    else:
        form = YouSaidWeDidForm(instance=entry, window=window)
    return render(
        request,
        "consultation/entry_form.html",
        {
            "form": form,
            "window": window,
            "correcting": window.state == window.State.RESPONSE_PUBLISHED,
            "changes": changes.changes_of(entry, window) if entry.pk else [],
            "entry": entry,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish_response(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish "you said, we did": a page that shows what will be published and names the
    themes no entry speaks of (a warning: publishing is still allowed), and the button that
    publishes it (POST). Refused for now, the page says why and offers no button."""
    window = access.get_window(request.user, pk, manage=True)
    if request.method == "POST":
        try:
            workflow.publish_response(window, request.user)
        except WorkflowError as refusal:  # the move's own check said no
            messages.error(request, refusal.message)
        else:
            messages.success(request, "“You said, we did” is published.")
        return redirect(window)
    return render(
        request,
        "consultation/publish_form.html",
        {
            "window": window,
            "refusal": workflow.publish_refusal(window, request.user),
            "entries": window.you_said_we_did.select_related("theme"),
            "unanswered": workflow.themes_without_entry(window),
        },
    )
