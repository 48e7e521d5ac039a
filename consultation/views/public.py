"""The public's consultation pages, no account needed: the list of consultations, a window's page
with its response form, the thank-you page with the respondent's reference, and the published
"you said, we did"."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from governance.workflow import WorkflowError

from .. import changes, rate_limit, workflow
from ..forms import PublicResponseForm
from ..models import ConsultationWindow, Response

PUBLIC_PAGE_SIZE = 20


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Open consultations first, those closing soonest at the top, then the last year's closed
    ones, most recent first; a page at a time, and searchable by title, strategy or council, so
    that a national list of thousands stays one quick page."""
    search = request.GET.get("q", "").strip()[:200]
    open_now = Q(state=ConsultationWindow.State.OPEN)
    windows = ConsultationWindow.objects.public()
    if search:
        windows = windows.filter(
            Q(title__icontains=search)
            | Q(strategy__title__icontains=search)
            | Q(strategy__lead_organisation__name__icontains=search)
        )
    windows = (
        windows.annotate(
            closed=Case(
                When(open_now, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by(
            "closed",
            Case(When(open_now, then=F("closes_on"))).asc(nulls_last=True),
            F("closes_on").desc(),
            "pk",
        )
        .select_related("strategy", "strategy__lead_organisation")
        .prefetch_related("strategy__partner_links__organisation")  # joint leads are named
    )
    page = Paginator(windows, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultation/public_list.html",
        {
            "page": page,
            "windows": page.object_list,
            "search": search,
            "extra": urlencode({"q": search}) if search else "",
        },
    )


def _public_window(slug: str) -> ConsultationWindow:
    window = get_object_or_404(
        ConsultationWindow.objects.select_related(
            "strategy__lead_organisation", "revision"
        ).with_recording(),
        slug=slug,
    )
    if not window.has_public_page:
        raise Http404("This consultation has not opened.")
    return window


@require_http_methods(["GET", "POST"])
def public_window(request: HttpRequest, slug: str) -> HttpResponse:
    window = _public_window(slug)
    priorities = window.consulted_priorities
    open_now = workflow.submission_refusal(window) is None
    form = PublicResponseForm(priorities=priorities)
    if request.method == "POST":
        if not open_now:
            return render(
                request,
                "consultation/public_refused.html",
                {"window": window, "reason": "closed"},
                status=410,
            )
        form = PublicResponseForm(request.POST, priorities=priorities)
        if form.is_spam or rate_limit.over_limit(request, window):
            # Refused for now, not for good: the form comes back with what they typed.
            return _window_page(request, window, form, priorities, open_now, limited=True)
        if form.is_valid():
            try:
                response = workflow.submit_response(
                    window,
                    form.cleaned_data["respondent_type"],
                    form.answers(),
                    form.cleaned_data["general_comments"],
                    form.cleaned_data["organisation_name"],
                )
            except WorkflowError as failure:  # closed a moment ago, or could not be stored
                form.add_error(None, failure.message)
            else:
                rate_limit.count_response(request, window)
                request.session[f"consult-ref-{window.pk}"] = response.reference
                # Only this browser's session knows which response it sent: its copy is shown
                # to no one else (thanks).
                request.session[f"consult-response-{window.pk}"] = response.pk
                return redirect("consultation:thanks", slug=window.slug)
    return _window_page(request, window, form, priorities, open_now)


def _window_page(request, window, form, priorities, open_now, limited=False) -> HttpResponse:
    """The consultation's public page with its form (as typed, when sent back); `limited`: the
    rate limit refused it for now, said above the form, answered with 429."""
    return render(
        request,
        "consultation/public_window.html",
        {
            "window": window,
            "form": form,
            "open_now": open_now,
            "limited": limited,
            "events": window.events.select_related("host_body", "host_organisation"),
            "priorities": priorities,
            # The number its report gave, and how many are recorded here since, if any.
            "reported": window.reported_with(window.responses.count())
            if window.reported_only
            else "",
        },
        status=429 if limited else 200,
    )


@never_cache  # a copy of the answers sent: never kept by the browser or a proxy
@require_GET
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    """The respondent's reference, and a copy of the response this browser just sent, to keep
    or print (the session holds its key; no one else's response is ever shown)."""
    window = _public_window(slug)
    reference = request.session.get(f"consult-ref-{window.pk}")
    if not reference:
        return redirect("consultation:public", slug=window.slug)
    sent = (
        Response.objects.filter(
            window=window, pk=request.session.get(f"consult-response-{window.pk}")
        )
        .prefetch_related("answers")
        .first()
    )
    return render(
        request,
        "consultation/public_thanks.html",
        {"window": window, "reference": reference, "sent": sent},
    )


@require_GET
def public_response(request: HttpRequest, slug: str) -> HttpResponse:
    window = _public_window(slug)
    if window.state != ConsultationWindow.State.RESPONSE_PUBLISHED:
        raise Http404("The response to this consultation has not been published yet.")
    entries = list(window.you_said_we_did.select_related("theme", "revision"))
    for entry in entries:  # what each changed, as consulted on and as changed (no query each)
        entry.item_changes = changes.changes_of(entry, window)
    return render(
        request, "consultation/public_response.html", {"window": window, "entries": entries}
    )
