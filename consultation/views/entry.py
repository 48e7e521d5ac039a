"""Keying in a response sent another way (a paper form, an email, a letter, at an event): the
public form's questions with how and when it came, for the officers who run the consultation,
through the workflow's `key_in_response`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from governance.dates import long_date
from governance.views.common import add_refusal
from governance.workflow import WorkflowError

from .. import access, workflow
from ..channel_forms import KeyInResponseForm


@login_required
@require_http_methods(["GET", "POST"])
def key_in(request: HttpRequest, pk: int) -> HttpResponse:
    window = access.get_window(request.user, pk, manage=True)
    if refusal := workflow.keying_refusal(window, request.user):
        raise PermissionDenied(refusal)
    if request.method == "POST":
        form = KeyInResponseForm(request.POST, window=window)
        if form.is_valid():
            data = form.cleaned_data
            try:
                response = workflow.key_in_response(
                    window,
                    request.user,
                    data["channel"],
                    data["received_on"],
                    data["respondent_type"],
                    form.answers(),
                    data["general_comments"],
                    data["organisation_name"],
                )
            except WorkflowError as refusal:  # published, or a rule, a moment ago
                add_refusal(form, refusal)
            else:
                messages.success(request, _saved(window, response))
                if request.POST.get("then") == "another":
                    # The next of a pile of paper forms most likely came the same way and day.
                    again = {"channel": data["channel"], "received_on": data["received_on"]}
                    url = reverse("consultation:key-in", kwargs={"pk": window.pk})
                    return redirect(f"{url}?{urlencode(again)}")
                return redirect("consultation:analysis", pk=window.pk)
    else:
        form = KeyInResponseForm(
            window=window,
            initial={
                "channel": request.GET.get("channel", ""),
                "received_on": request.GET.get("received_on", ""),
            },
        )
    return render(
        request,
        "consultation/response_entry.html",
        {"window": window, "strategy": window.strategy, "form": form},
    )


def _saved(window, response) -> str:
    said = f"Response {response.reference} saved, received on {long_date(response.received_on)}"
    if response.late:
        return (
            f"{said}: late, received after the consultation closed on "
            f"{long_date(window.closes_on)}, and accepted."
        )
    return f"{said}."
