"""The filters of the approval timeline, shared by its CSV of gates and decisions: strategies
the user may read, narrowed by lead organisation, stage and the body on their route."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from strategies import access as strategy_access
from strategies.models import Organisation, Strategy
from strategies.views import small_int

from .models import Body, Gate


@dataclass
class StrategyFilter:
    strategies: object  # a QuerySet of Strategy
    organisations: list[Organisation]
    bodies: list[Body]
    organisation: str = ""
    stage: str = ""
    body: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def chosen(self) -> dict[str, str]:
        return {
            k: v
            for k, v in {
                "organisation": self.organisation,
                "stage": self.stage,
                "body": self.body,
            }.items()
            if v
        }

    @property
    def query(self) -> str:
        return urlencode(self.chosen)


def filter_strategies(user, params) -> StrategyFilter:
    """Apply `params` (a QueryDict); a value Waymark does not know is dropped with a problem to
    show, never an error."""
    strategies = strategy_access.visible_strategies(user).for_list()
    organisations = list(Organisation.objects.order_by("name"))
    bodies = list(
        Body.objects.select_related("organisation").order_by("organisation__name", "name")
    )
    result = StrategyFilter(strategies, organisations, bodies)
    organisation = params.get("organisation", "")
    if organisation:
        pk = small_int(organisation)
        if pk is not None and any(o.pk == pk for o in organisations):
            result.strategies = result.strategies.filter(Strategy.objects.led_by_q(pk))
            result.organisation = organisation
        else:
            result.problems.append(
                "That lead organisation is not one Waymark knows; showing them all."
            )
    stage = params.get("stage", "")
    if stage:
        if stage in Strategy.Stage.values:
            result.strategies = result.strategies.filter(stage=stage)
            result.stage = stage
        else:
            result.problems.append("That stage is not one Waymark knows; showing every stage.")
    body = params.get("body", "")
    if body:
        pk = small_int(body)
        if pk is not None and any(b.pk == pk for b in bodies):
            routed = Gate.objects.filter(body_id=pk).exclude(state=Gate.State.REMOVED)
            result.strategies = result.strategies.filter(pk__in=routed.values("strategy_id"))
            result.body = body
        else:
            result.problems.append("That body is not one Waymark knows; showing every body.")
    return result
