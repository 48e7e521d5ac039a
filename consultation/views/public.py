"""The public's consultation pages, no account needed: the list of consultations, a window's page
with its response form, the thank-you page with the respondent's reference, and the published
"you said, we did"."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from governance.workflow import WorkflowError

from .. import rate_limit, workflow
from ..forms import PublicResponseForm
from ..models import ConsultationWindow


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    windows = (
        ConsultationWindow.objects.public()
        .select_related("strategy", "strategy__lead_organisation")
        .prefetch_related("strategy__partner_links__organisation")  # joint leads are named
    )
    return render(request, "consultation/public_list.html", {"windows": windows})


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
    priorities = window.revision.content["priorities"] if window.revision else []
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
            return render(
                request,
                "consultation/public_refused.html",
                {"window": window, "reason": "limit"},
                status=429,
            )
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
                return redirect("consultation:thanks", slug=window.slug)
    return render(
        request,
        "consultation/public_window.html",
        {
            "window": window,
            "form": form,
            "open_now": open_now,
            "events": window.events.select_related("host_body", "host_organisation"),
            "priorities": priorities,
        },
    )


@require_GET
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    window = _public_window(slug)
    reference = request.session.get(f"consult-ref-{window.pk}")
    if not reference:
        return redirect("consultation:public", slug=window.slug)
    return render(
        request, "consultation/public_thanks.html", {"window": window, "reference": reference}
    )


@require_GET
def public_response(request: HttpRequest, slug: str) -> HttpResponse:
    window = _public_window(slug)
    if window.state != ConsultationWindow.State.RESPONSE_PUBLISHED:
        raise Http404("The response to this consultation has not been published yet.")
    entries = window.you_said_we_did.select_related("theme", "revision")
    return render(
        request, "consultation/public_response.html", {"window": window, "entries": entries}
    )
