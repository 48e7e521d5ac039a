"""`/api/v1/strategies`: the strategies a person may read (strategies.access, as on their pages),
and one strategy with its content."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema

from strategies import access
from strategies.models import Strategy

from .common import SLUG, Moment, organisation_ref
from .paging import Page, Paging, page_of
from .schemas import StrategyDetail, StrategySummary, answers

router = Router(tags=["Strategies"])


class StrategyFilters(Schema):
    organisation: str | None = Field(
        None,
        pattern=SLUG,
        description="An organisation's slug: the strategies it leads or is a partner in.",
    )
    stage: Strategy.Stage | None = Field(None, description="Only strategies at this stage.")
    updated_since: Moment = Field(
        None, description="Only strategies changed at or after this moment (ISO 8601)."
    )


def summary(request: HttpRequest, strategy: Strategy) -> dict:
    """A strategy's row: needs `for_list()` (its lead and partners loaded)."""
    return {
        "id": strategy.pk,
        "slug": strategy.slug,
        "title": strategy.title,
        "start_year": strategy.start_year,
        "end_year": strategy.end_year,
        "stage": strategy.stage,
        "stage_label": strategy.get_stage_display(),
        "lead_organisation": organisation_ref(strategy.lead_organisation),
        "partners": [organisation_ref(o) for o in strategy.partner_organisations],
        "top_level_term": strategy.top_level_term,
        "published_on": strategy.published_on,
        "review_due_on": strategy.review_due_on,
        "created_at": strategy.created_at,
        "updated_at": strategy.updated_at,
        "url": request.build_absolute_uri(reverse("strategy", kwargs={"slug": strategy.slug})),
    }


@router.get("/strategies", response=answers(Page[StrategySummary]), url_name="strategies")
def list_strategies(
    request: HttpRequest, filters: Query[StrategyFilters], paging: Query[Paging]
) -> dict:
    """The strategies you may read in Waymark, by title."""
    strategies = access.visible_strategies(request.auth.user).for_list()
    if filters.organisation:
        strategies = strategies.involving(organisation__slug=filters.organisation)
    if filters.stage:
        strategies = strategies.filter(stage=filters.stage)
    if filters.updated_since:
        strategies = strategies.filter(updated_at__gte=filters.updated_since)
    rows, page = page_of(request, strategies.order_by("title", "pk"), paging)
    return {**page, "results": [summary(request, s) for s in rows]}


@router.get(
    "/strategies/{slug}",
    response=answers(StrategyDetail, 404),
    url_name="strategy",
)
def strategy_detail(request: HttpRequest, slug: str = Path(..., pattern=SLUG)) -> dict:
    """One strategy with its content: priorities, their objectives and actions, and its
    outcome indicators."""
    strategy = access.get_visible_strategy(
        request.auth.user, slug, queryset=Strategy.objects.with_content()
    )
    return {
        **summary(request, strategy),
        "vision": strategy.vision,
        "summary": strategy.summary,
        "priorities": [
            {
                "id": p.pk,
                "position": p.position,
                "title": p.title,
                "description": p.description,
                "objectives": [
                    {
                        "id": o.pk,
                        "position": o.position,
                        "title": o.title,
                        "description": o.description,
                        "commitment_level": o.commitment_level,
                        "actions": [_action(a) for a in o.actions.all()],
                    }
                    for o in p.objectives.all()
                ],
            }
            for p in strategy.priorities.all()
        ],
        "indicators": [_indicator(i) for i in strategy.indicators.all()],
    }


def _action(action) -> dict:
    return {
        "id": action.pk,
        "position": action.position,
        "title": action.title,
        "lead_organisation": organisation_ref(action.lead_organisation),
        "lead_team": action.lead_team,
        "due_date": action.due_date,
        "milestone": action.milestone,
        "status": action.status,
        "status_label": action.get_status_display(),
        "rag": action.rag,
    }


def _indicator(indicator) -> dict:
    fields = ("position", "framework", "code", "title", "unit", "polarity", "baseline")
    more = ("baseline_date", "target", "target_date", "latest_value", "latest_date")
    return {
        "id": indicator.pk,
        **{name: getattr(indicator, name) for name in fields + more},
        "framework_label": indicator.get_framework_display(),
        "objective_ids": [o.pk for o in indicator.objectives.all()],
    }
