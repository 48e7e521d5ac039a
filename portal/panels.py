"""The panels that show other apps' facts on a strategy's pages: on the staff strategy page, the
projected adoption date and the route's timeline; on the public page of a published strategy,
the decisions that adopted it and the published "you said, we did".

Each returns the template's context, or None when it has nothing to show, and runs a fixed
number of queries however many rows there are. The staff page's two panels share one reading
of the route (`load_route`): gates, decisions and spans are read once for both.
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch

from consultation.models import ConsultationWindow, YouSaidWeDid
from governance.models import Decision, Purpose, effective_decisions
from portal.projection import project_routes
from portal.routes import Routes, read_routes
from portal.timeline import layout
from portal.timeline.loading import timelines_of
from strategies.models import Revision, Strategy


def load_route(strategy: Strategy, today: datetime.date) -> Routes:
    """The strategy's route, read once for both the adoption and the timeline panel."""
    return read_routes([strategy], today, include_removed=True)


def adoption(route: Routes) -> dict | None:
    """The projected (or actual) adoption date, what it rests on, and the route's deadlines;
    None when no route was ever planned."""
    strategy, today = route.strategies[0], route.today
    if not route.is_planned(strategy):
        return None
    projection = project_routes(route)[strategy.pk]
    return {"projection": projection, "notes": projection.notes(today), "today": today}


def amendments(route: Routes) -> dict | None:
    """What to do next after a body approved the strategy with amendments, while its text is
    open for them: the decision (what the body asked for, in its resolution) and the gate that
    decides on the amended text next, if any. None otherwise; from the route already read, and
    one query more for the gates that wait for that decision's."""
    strategy = route.strategies[0]
    if strategy.stage == Strategy.Stage.DRAFT or not strategy.is_content_editable:
        return None
    latest = route.latest_decision(strategy)
    if latest is None or latest.outcome != Decision.Outcome.APPROVED_WITH_AMENDMENTS:
        return None
    following = [
        gate
        for gate in latest.gate.unlocks.select_related("body").order_by("position")
        if gate.is_open
    ]
    return {"decision": latest, "next": following}


def timeline(route: Routes) -> dict | None:
    """The strategy's route drawn planned against actual; None without a route."""
    timelines = timelines_of(route)
    if not timelines[0].lines:
        return None
    layout(timelines, route.today)
    return {
        "strategy": route.strategies[0],
        "timeline": timelines[0],
        "timelines": timelines,
        "today": route.today,
    }


def public_decisions(strategy: Strategy, published: Revision) -> dict | None:
    """For the public page of a published strategy: the decisions that approved and adopted it,
    as minuted (each in its latest corrected wording), taken by bodies that meet in public and
    recorded before it was published. Reasons and anything else internal stay out."""
    decisions = (
        Decision.objects.filter(gate__strategy=strategy, recorded_at__lte=published.created_at)
        .select_related("gate__body__organisation", "meeting")
        .order_by("recorded_at", "pk")
    )
    return {"decisions": shown_publicly(decisions)}


def shown_publicly(decisions) -> list[Decision]:
    """Of one strategy's decisions recorded before it was published (with their corrections, in
    the order they were recorded, each with its gate and body), those its public page shows:
    each in its latest wording, passing, at an adopting gate, by a body that meets in public;
    in the order they were taken. The open data's decisions (portal/opendata/) are these too."""
    adopting = Purpose.adopting()
    shown = [
        d
        for d in effective_decisions(decisions)
        if d.outcome in Decision.Outcome.passing()
        and d.gate.purpose in adopting
        and d.gate.body.meets_in_public
    ]
    return sorted(shown, key=lambda d: (d.decided_on, d.pk))


def public_you_said(strategy: Strategy) -> dict | None:
    """The published "you said, we did" of the strategy's consultations: what the public was
    told, never the responses themselves."""
    windows = list(
        ConsultationWindow.objects.filter(
            strategy=strategy, state=ConsultationWindow.State.RESPONSE_PUBLISHED
        )
        .prefetch_related(
            Prefetch("you_said_we_did", queryset=YouSaidWeDid.objects.select_related("theme"))
        )
        .order_by("closes_on", "pk")
    )
    return {"windows": windows} if windows else None
