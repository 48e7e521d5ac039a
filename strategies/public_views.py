"""The public pages of published strategies: no sign-in, nothing internal. The content comes
from the revision frozen when the strategy was published, so later drafting never shows."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .extensions import PUBLIC_PANELS, RenderedPanel
from .publication import published_revision, published_strategies


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    strategies = published_strategies().order_by("title", "pk")
    return render(request, "strategies/published_list.html", {"strategies": strategies})


@require_GET
def published_detail(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_object_or_404(published_strategies(), slug=slug)
    revision = published_revision(strategy)
    if revision is None:
        raise Http404("This strategy has no published text.")
    panels = []
    for panel in PUBLIC_PANELS:
        context = panel.context(request, strategy, revision)
        if context is not None:
            panels.append(RenderedPanel(panel.template, context))
    return render(
        request,
        "strategies/published_detail.html",
        {
            "strategy": strategy,
            "revision": revision,
            "content": revision.content,
            "panels": panels,
        },
    )
