"""A page of 100 strategies answers within twice the time of the Django admin's change list of
the same strategies (issue 23): both read a page of 100 with their lead organisations; the API
also reads their partners and checks every row against its schema."""

from __future__ import annotations

import statistics
import time

from strategies.models import Strategy, StrategyPartner
from tests.conftest import client_for


def _median_seconds(get, runs: int = 5) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = get()
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    return statistics.median(timings)


def test_a_page_of_a_hundred_within_twice_the_admins_change_list(world, api_as):
    Strategy.objects.bulk_create(
        Strategy(
            title=f"Strategy {i:03}",
            slug=f"speed-{i}",
            start_year=2026,
            end_year=2030,
            lead_organisation=world.lead_org,
            stage=Strategy.Stage.IN_GOVERNANCE,
        )  # fmt: skip
        for i in range(150)
    )
    StrategyPartner.objects.bulk_create(
        StrategyPartner(strategy=s, organisation=world.other_org)
        for s in Strategy.objects.filter(slug__startswith="speed-")
    )
    api = api_as(world.people["administrator"])
    admin = client_for(world.people["administrator"])
    page = api.get("/api/v1/strategies", {"limit": 100}).json()
    assert len(page["results"]) == 100
    changelist = admin.get("/admin/strategies/strategy/")
    assert changelist.context["cl"].result_count == 151
    assert len(changelist.context["cl"].result_list) == 100
    api_time = _median_seconds(lambda: api.get("/api/v1/strategies", {"limit": 100}))
    admin_time = _median_seconds(lambda: admin.get("/admin/strategies/strategy/"))
    assert api_time <= 2 * admin_time, f"API {api_time:.3f}s, admin {admin_time:.3f}s"
