"""`/api/v1/delivery/actions` and `/api/v1/delivery/indicator-values`: how the strategies a
person may read are being delivered, as the delivery pages show it to whoever reads the
strategy (strategies.access): each action with its latest progress update, and the outcome
indicators' values over time. Flat tables, one row per action or value, for a report."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from delivery.models import IndicatorValue, ProgressUpdate
from strategies import access
from strategies.models import Action

from .common import SLUG
from .paging import Page, Paging, page_of
from .schemas import DeliveryActionOut, IndicatorValueOut, answers

router = Router(tags=["Delivery"])

LATEST = ("as_of", "status", "rag", "commentary")


class DeliveryFilters(Schema):
    organisation: str | None = Field(
        None, pattern=SLUG, description="Of the strategies this organisation leads or partners."
    )
    strategy: str | None = Field(None, pattern=SLUG, description="A strategy's slug.")


def _strategies(user, filters: DeliveryFilters):
    strategies = access.visible_strategies(user)
    if filters.organisation:
        strategies = strategies.involving(organisation__slug=filters.organisation)
    if filters.strategy:
        strategies = strategies.filter(slug=filters.strategy)
    return strategies


@router.get(
    "/delivery/actions", response=answers(Page[DeliveryActionOut]), url_name="delivery-actions"
)
def list_actions(
    request: HttpRequest, filters: Query[DeliveryFilters], paging: Query[Paging]
) -> dict:
    """The actions of the strategies you may read, in the order of their plan, each with its
    latest progress update (null before the first)."""
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-as_of", "-pk")
    actions = (
        Action.objects.filter(
            objective__priority__strategy__in=_strategies(request.auth.user, filters)
        )
        .select_related("objective__priority__strategy")
        .annotate(**{f"latest_{f}": Subquery(latest.values(f)[:1]) for f in LATEST})
        .order_by(
            "objective__priority__strategy__title",
            "objective__priority__strategy_id",
            "objective__priority__position",
            "objective__position",
            "position",
        )
    )
    rows, page = page_of(request, actions, paging)
    return {
        **page,
        "results": [
            {
                "id": a.pk,
                "strategy": a.objective.priority.strategy.slug,
                "priority_id": a.objective.priority_id,
                "objective_id": a.objective_id,
                "position": a.position,
                "title": a.title,
                "due_date": a.due_date,
                "status": a.status,
                "rag": a.rag,
                "latest_update": (
                    {f: getattr(a, f"latest_{f}") for f in LATEST}
                    if a.latest_as_of is not None
                    else None
                ),
            }
            for a in rows
        ],
    }


@router.get(
    "/delivery/indicator-values",
    response=answers(Page[IndicatorValueOut]),
    url_name="delivery-indicator-values",
)
def list_indicator_values(
    request: HttpRequest, filters: Query[DeliveryFilters], paging: Query[Paging]
) -> dict:
    """The values over time of the outcome indicators of the strategies you may read, by
    indicator and period."""
    values = (
        IndicatorValue.objects.filter(
            indicator__strategy__in=_strategies(request.auth.user, filters)
        )
        .select_related("indicator__strategy")
        .order_by(
            "indicator__strategy__title",
            "indicator__strategy_id",
            "indicator__position",
            "period_start",
            "period_end",
            "pk",
        )
    )
    rows, page = page_of(request, values, paging)
    return {
        **page,
        "results": [
            {
                "id": v.pk,
                "strategy": v.indicator.strategy.slug,
                "indicator_id": v.indicator_id,
                "indicator_code": v.indicator.code,
                "indicator_title": v.indicator.title,
                "period": v.period,
                "period_start": v.period_start,
                "period_end": v.period_end,
                "value": v.value,
                "lower_ci": v.lower_ci,
                "upper_ci": v.upper_ci,
                "source": v.source,
                "published_on": v.published_on,
            }
            for v in rows
        ],
    }
