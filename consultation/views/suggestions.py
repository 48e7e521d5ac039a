"""Theme suggestions for the staff: the page of a consultation's suggested themes (each with its
key terms, how many responses it covers and its most representative ones), asking for them
(a background task, whose progress the page shows), deciding on each (accept, rename, merge,
reject), and confirming the tags they suggested. Moves go through consultation.workflow; what
the page offers follows its checks for the person looking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from governance.views.common import add_refusal
from governance.workflow import WorkflowError
from strategies.views import small_int

from .. import access, workflow
from ..models import ConsultationWindow, Response, ResponseTheme, SuggestionRun, ThemeSuggestion
from ..suggestion_forms import AcceptSuggestionForm, MergeSuggestionForm

Decision = ThemeSuggestion.Decision
WORKING = (SuggestionRun.State.QUEUED, SuggestionRun.State.RUNNING)


@login_required
@require_GET
def suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    window = access.get_window(request.user, pk)
    return _page(request, window)


def _page(request, window: ConsultationWindow, sent: dict | None = None) -> HttpResponse:
    """The page; `sent` holds the form sent back with its problems, by suggestion."""
    user = request.user
    run = window.suggestion_runs.select_related("requested_by").first()
    found = list(run.suggestions.select_related("theme", "decided_by")) if run else []
    _with_examples(found)
    suggested = Count("response_links", filter=Q(response_links__suggested=True))
    themes = list(window.themes.annotate(suggested_tags=suggested))
    manage = access.can_manage(user, window.strategy)
    deciding = manage and workflow.suggestions_refusal(window, user) is None
    for suggestion in found:
        if not deciding or suggestion.decision != Decision.PENDING:
            continue
        forms = (sent or {}).get(suggestion.pk, {})
        suggestion.accept_form = forms.get("accept") or AcceptSuggestionForm(
            prefix=f"accept-{suggestion.pk}", initial={"name": suggestion.label}
        )
        suggestion.merge_form = forms.get("merge") or MergeSuggestionForm(
            prefix=f"merge-{suggestion.pk}", themes=themes
        )
    return render(
        request,
        "consultation/suggestions.html",
        {
            "window": window,
            "strategy": window.strategy,
            "run": run,
            "running": _running(run),
            "suggestions": found,
            "themes": themes,
            "to_confirm": [t for t in themes if t.suggested_tags],
            "can_manage": manage,
            "deciding": deciding,
            "not_now": workflow.request_refusal(window, user) if manage else None,
        },
    )


def _running(run: SuggestionRun | None) -> bool:
    return run is not None and run.state in WORKING and workflow.running_run(run.window) == run


def _with_examples(found: list[ThemeSuggestion]) -> None:
    """Each suggestion's representative responses, with their comments (two queries for the
    page, however many suggestions)."""
    wanted = {pk for suggestion in found for pk in suggestion.representative_ids}
    responses = Response.objects.filter(pk__in=wanted).prefetch_related("answers")
    by_pk = {response.pk: response for response in responses}
    for suggestion in found:
        suggestion.examples = [by_pk[pk] for pk in suggestion.representative_ids if pk in by_pk]
        for response in suggestion.examples:
            parts = [a.comment for a in response.answers.all() if a.comment]
            response.comments = "\n".join([response.general_comments, *parts]).strip()


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """How far the run has got, for the page to ask every two seconds while it runs; once it
    has finished, htmx is told to show the page again, with what was found."""
    window = access.get_window(request.user, pk)
    run = window.suggestion_runs.first()
    running = _running(run)
    http = render(
        request,
        "consultation/_suggestion_progress.html",
        {"window": window, "run": run, "running": running},
    )
    if not running and request.headers.get("HX-Request"):
        http["HX-Refresh"] = "true"
    return http


@login_required
@require_POST
def request_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    window = access.get_window(request.user, pk, manage=True)
    try:
        workflow.request_suggestions(window, request.user)
    except WorkflowError as refusal:  # its check said no (or someone asked a moment ago)
        messages.error(request, refusal.message)
    else:
        messages.success(request, "Finding themes in the comments. This page shows how it goes.")
    return redirect("consultation:suggestions", pk=window.pk)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, suggestion_pk: int) -> HttpResponse:
    """Accept (under the name typed), merge or reject one suggestion. A form with a problem
    comes back on the page, with what was typed and the problem beside its field."""
    window = access.get_window(request.user, pk, manage=True)
    suggestion = get_object_or_404(
        ThemeSuggestion.objects.select_related("run__window", "decided_by"),
        pk=suggestion_pk,
        run__window=window,
    )
    action = request.POST.get("action")
    form = None
    if action == "accept":
        form = AcceptSuggestionForm(request.POST, prefix=f"accept-{suggestion.pk}")
    elif action == "merge":
        themes = list(window.themes.all())
        form = MergeSuggestionForm(request.POST, prefix=f"merge-{suggestion.pk}", themes=themes)
    elif action != "reject":
        messages.error(request, "Choose to accept, merge or reject the suggestion.")
        return redirect("consultation:suggestions", pk=window.pk)
    if form is not None and not form.is_valid():
        return _page(request, window, {suggestion.pk: {action: form}})
    try:
        done = _decide(suggestion, action, form, request.user)
    except WorkflowError as refusal:
        if form is None or refusal.field is None:  # decided by someone else, or too late
            messages.error(request, refusal.message)
        else:
            add_refusal(form, refusal)
            return _page(request, window, {suggestion.pk: {action: form}})
    else:
        messages.success(request, done)
    back = reverse("consultation:suggestions", kwargs={"pk": window.pk})
    return redirect(f"{back}#suggestion-{suggestion.pk}")


def _decide(suggestion: ThemeSuggestion, action: str, form, by) -> str:
    covered = _responses(len(suggestion.response_ids))
    if action == "accept":
        theme = workflow.accept_suggestion(suggestion, by, form.cleaned_data["name"])
        return f"Theme “{theme.name}” added; {covered} tagged with it, as suggested."
    if action == "merge":
        theme = next(t for t in form.themes if t.pk == form.cleaned_data["theme"])
        workflow.merge_suggestion(suggestion, theme, by)
        return f"“{suggestion.label}” merged into “{theme.name}”; {covered} suggested for it."
    workflow.reject_suggestion(suggestion, by)
    return f"“{suggestion.label}” rejected."


def _responses(n: int) -> str:
    return "1 response" if n == 1 else f"{n:,} responses"


@login_required
@require_POST
def confirm_tags(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    """Confirm a theme's suggested tags: of one response (`response`, from its tags on the
    analysis page), or all of them."""
    window = access.get_window(request.user, pk, manage=True)
    theme = get_object_or_404(window.themes, pk=theme_pk)
    response = None
    if "response" in request.POST:  # one response's: never all of them by a mistyped id
        response_pk = small_int(request.POST["response"]) or 0
        response = get_object_or_404(Response, pk=response_pk, window=window)
        response.window = window
    problem = None
    try:
        confirmed = workflow.confirm_tags(theme, request.user, response)
    except WorkflowError as refusal:
        problem = refusal.message
    if response is not None and request.headers.get("HX-Request"):
        return _tags_partial(request, window, response, problem)
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, f"{_responses(confirmed)} confirmed as “{theme.name}”.")
    if response is not None:
        back = reverse("consultation:analysis", kwargs={"pk": window.pk})
        return redirect(f"{back}#response-{response.pk}")
    if request.POST.get("back") == "analysis":
        return redirect("consultation:analysis", pk=window.pk)
    return redirect("consultation:suggestions", pk=window.pk)


def _tags_partial(
    request, window: ConsultationWindow, response: Response, problem: str | None
) -> HttpResponse:
    response = Response.objects.prefetch_related("themes").get(pk=response.pk)
    mark_suggested([response])
    return render(
        request,
        "consultation/_tags.html",
        {
            "response": response,
            "window": window,
            "themes": window.themes.all(),
            "can_manage": True,
            "confirmed": problem is None,
            "problem": problem,
        },
    )


def mark_suggested(responses) -> None:
    """Give each of `responses` the ids of its themes that a suggestion tagged and no person has
    confirmed yet (`suggested_theme_ids`), for its tags to say so: one query for a page."""
    responses = list(responses)
    links = ResponseTheme.objects.filter(
        response__in=[r.pk for r in responses], suggested=True
    ).values_list("response_id", "theme_id")
    suggested: dict[int, set[int]] = {}
    for response_id, theme_id in links:
        suggested.setdefault(response_id, set()).add(theme_id)
    for response in responses:
        response.suggested_theme_ids = suggested.get(response.pk, set())
