"""The public pages of published strategies: no sign-in, nothing internal. The content comes
from the revision frozen when the strategy was published, so later drafting never shows."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from strategies.models import Strategy
from strategies.publication import published_revision, published_strategies

from . import panels


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    strategies = published_strategies().for_list().order_by("title", "pk")
    return render(request, "portal/published_list.html", {"strategies": strategies})


@require_GET
def published_detail(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_object_or_404(published_strategies().select_related("replaces"), slug=slug)
    revision = published_revision(strategy)
    if revision is None:
        raise Http404("This strategy has no published text.")
    return render(
        request,
        "portal/published_detail.html",
        {
            "strategy": strategy,
            "revision": revision,
            "content": revision.content,
            "decisions": panels.public_decisions(strategy, revision),
            "you_said": panels.public_you_said(strategy),
            # The strategy's own public documents (its gates', decisions' and consultations'
            # papers are listed where they belong), read in one query with their latest version.
            "documents": list(strategy.documents.public().of_strategy_itself()),
            # What it replaces and what replaced it, each linked where it has a public page.
            "replaces": strategy.replaces,
            "replaced_by": (
                published_strategies().filter(replaces=strategy).order_by("-pk").first()
                if strategy.stage == Strategy.Stage.SUPERSEDED
                else None
            ),
        },
    )
