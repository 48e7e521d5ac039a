"""The strategy page's own tabs: its content with the panels that show where it stands (the
projected adoption date and the route's timeline), and its merged history. The frame of tabs
shared by every page of a strategy is portal/templatetags/portal.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from governance import workflow
from strategies import access
from strategies.approvals import approvals_of
from strategies.loading import load_content
from strategies.models import Strategy

from . import history, panels


@login_required
@require_GET
def strategy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = access.get_visible_strategy(
        request.user, slug, Strategy.objects.select_related("replaces")
    )
    load_content(strategy)  # as with_content would, its queries prepared (strategies/loading.py)
    refusal = access.content_edit_refusal(request.user, strategy)
    # The page reads first: the controls of each item show only in edit mode (?edit=1), which
    # people who may edit enter and leave by a link; it leaves out the route's panels.
    editing = refusal is None and request.GET.get("edit") == "1"
    today = timezone.localdate()
    route = panels.load_route(strategy, today)  # read once for all three panels
    return render(
        request,
        "portal/detail.html",
        {
            "strategy": strategy,
            "can_edit": refusal is None,
            "editing": editing,
            "edit_refusal": refusal,
            "is_lead_officer": strategy.is_lead_officer(request.user),
            "tab": "content",
            "adoption": None if editing else panels.adoption(route),
            "amendments": panels.amendments(route),
            # What bodies approved of its priorities, when a decision approved only some.
            "approvals": approvals_of(p.pk for p in strategy.priorities.all()),
            "timeline": None if editing else panels.timeline(route),
            # The refresh that replaces it (or will), if one is under way or adopted.
            "replaced_by": (
                workflow.refresh_of(strategy)
                if strategy.stage in Strategy.Stage.public_values() | {Strategy.Stage.UNDER_REVIEW}
                else None  # a strategy is refreshed once adopted: no query before
            ),
            "review_due": workflow.is_review_due(strategy, today),
        },
    )


@login_required
@require_GET
def strategy_history(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = access.get_visible_strategy(request.user, slug)
    page = history.timeline(strategy, request.GET.get("page"))
    return render(
        request, "portal/history.html", {"strategy": strategy, "page": page, "tab": "history"}
    )
