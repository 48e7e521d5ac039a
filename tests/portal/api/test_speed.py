"""A page of 100 strategies answers within twice the time of the Django admin's change list of
the same strategies (issue 23): both read a page of 100 with their lead organisations; the API
also reads their partners and checks every row against its schema."""

from __future__ import annotations

import statistics
import time

from strategies.models import Strategy, StrategyPartner
from tests.conftest import client_for


def _medians(*gets, runs: int = 7) -> list[float]:
    """Each request's median time, the requests taken in turn, so that a moment when the machine
    is busy (other tests, CI) falls on both alike."""
    timings: list[list[float]] = [[] for _ in gets]
    for _ in range(runs):
        for get, kept in zip(gets, timings, strict=True):
            started = time.perf_counter()
            response = get()
            kept.append(time.perf_counter() - started)
            assert response.status_code == 200
    return [statistics.median(kept) for kept in timings]


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
    api_time, admin_time = _medians(
        lambda: api.get("/api/v1/strategies", {"limit": 100}),
        lambda: admin.get("/admin/strategies/strategy/"),
    )
    print(f"API {api_time * 1000:.1f} ms, admin {admin_time * 1000:.1f} ms")
    assert api_time <= 2 * admin_time, f"API {api_time:.3f}s, admin {admin_time:.3f}s"
