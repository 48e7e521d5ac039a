"""What the lists hold, how they filter, and how they come a page at a time."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from strategies.models import Strategy
from tests.portal.api.more import more


@pytest.fixture
def manager_api(world, api_as):
    return api_as(world.people["manager"])


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row.get("slug") or row.get("strategy") for row in response.json()["results"]]


def test_pages_come_with_a_count_and_links(world, manager_api):
    more(world, 4)
    first = manager_api.get("/api/v1/strategies", {"limit": 2}).json()
    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/strategies?limit=2&offset=2"
    second = manager_api.get(first["next"]).json()
    assert second["previous"] == "http://testserver/api/v1/strategies?limit=2&offset=0"
    last = manager_api.get(second["next"]).json()
    assert last["next"] is None
    seen = [s["slug"] for page in (first, second, last) for s in page["results"]]
    assert len(seen) == len(set(seen)) == 5


def test_filters_stay_in_the_links(world, manager_api):
    more(world, 3)
    page = manager_api.get("/api/v1/strategies", {"organisation": "dudley", "limit": 1}).json()
    assert page["next"] == (
        "http://testserver/api/v1/strategies?organisation=dudley&limit=1&offset=1"
    )


def test_a_page_holds_at_most_a_hundred(world, manager_api):
    response = manager_api.get("/api/v1/strategies", {"limit": 101})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]
    assert manager_api.get("/api/v1/strategies", {"limit": 0}).status_code == 422
    assert manager_api.get("/api/v1/strategies", {"offset": -1}).status_code == 422


def test_past_the_end_a_page_is_empty(world, manager_api):
    page = manager_api.get("/api/v1/strategies", {"offset": 50}).json()
    assert page["results"] == [] and page["count"] == 1 and page["next"] is None


def test_strategies_by_organisation_as_lead_or_partner(world, manager_api):
    made = more(world, 2)  # led by Dudley with Milton Keynes as a partner
    assert len(_slugs(manager_api.get("/api/v1/strategies", {"organisation": "dudley"}))) == 3
    partnered = _slugs(manager_api.get("/api/v1/strategies", {"organisation": "mk"}))
    assert partnered == [s.slug for s in made]
    assert _slugs(manager_api.get("/api/v1/strategies", {"organisation": "nowhere"})) == []


def test_strategies_by_stage(world, manager_api):
    stage = world.strategy.stage
    assert _slugs(manager_api.get("/api/v1/strategies", {"stage": stage})) == [world.strategy.slug]
    assert _slugs(manager_api.get("/api/v1/strategies", {"stage": "adopted"})) == []
    assert manager_api.get("/api/v1/strategies", {"stage": "nonsense"}).status_code == 422


def test_strategies_updated_since(world, manager_api):
    before = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    after = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert len(_slugs(manager_api.get("/api/v1/strategies", {"updated_since": before}))) == 1
    assert _slugs(manager_api.get("/api/v1/strategies", {"updated_since": after})) == []
    naive = (timezone.localtime() - datetime.timedelta(hours=1)).replace(tzinfo=None)
    assert len(_slugs(manager_api.get("/api/v1/strategies", {"updated_since": naive}))) == 1
    refused = manager_api.get("/api/v1/strategies", {"updated_since": "0001-01-01T00:00:00"})
    assert refused.status_code == 422


def test_a_strategy_with_its_content(world, manager_api):
    body = manager_api.get(f"/api/v1/strategies/{world.strategy.slug}").json()
    assert body["title"] == world.strategy.title
    assert body["lead_organisation"] == {"slug": "dudley", "name": world.lead_org.name}
    (priority,) = body["priorities"]
    (objective,) = priority["objectives"]
    (action,) = objective["actions"]
    assert (priority["title"], objective["title"], action["title"]) == (
        "Improve wellbeing",
        "Healthier lifestyles",
        "Run a campaign",
    )
    (indicator,) = body["indicators"]
    assert indicator["title"] == "Healthy life expectancy"
    assert body["url"] == f"http://testserver/strategies/{world.strategy.slug}/"


def test_gates_by_body_and_day(world, manager_api):
    gates = manager_api.get("/api/v1/gates", {"body": world.board.pk}).json()
    assert gates["count"] == 3
    assert manager_api.get("/api/v1/gates", {"body": world.other_board.pk}).json()["count"] == 0
    meeting_day = timezone.localtime(world.meeting.starts_at).date().isoformat()
    on_the_day = manager_api.get("/api/v1/gates", {"since": meeting_day, "until": meeting_day})
    assert [g["id"] for g in on_the_day.json()["results"]] == [world.scheduled_gate.pk]


def test_decisions_by_organisation_and_day(world, manager_api):
    day = world.decision.decided_on
    found = manager_api.get("/api/v1/decisions", {"organisation": "dudley", "since": day})
    (decision,) = found.json()["results"]
    assert decision["outcome"] == "endorsed"
    assert decision["resolution"] == "Endorsed for consultation."
    assert decision["corrected"] is False and decision["corrects_id"] is None
    later = day + datetime.timedelta(days=1)
    assert manager_api.get("/api/v1/decisions", {"since": later}).json()["count"] == 0
    assert manager_api.get("/api/v1/decisions", {"organisation": "mk"}).json()["count"] == 0
    assert manager_api.get("/api/v1/decisions", {"until": "1999-12-31"}).json()["count"] == 0


def test_meetings_by_organisation_body_and_day(world, manager_api):
    assert manager_api.get("/api/v1/meetings", {"organisation": "dudley"}).json()["count"] == 2
    assert manager_api.get("/api/v1/meetings", {"organisation": "mk"}).json()["count"] == 0
    day = timezone.localtime(world.meeting.starts_at).date().isoformat()
    upcoming = manager_api.get("/api/v1/meetings", {"since": day, "body": world.board.pk})
    assert [m["id"] for m in upcoming.json()["results"]] == [world.meeting.pk]


def test_consultations_by_strategy_and_state(world, manager_api):
    more(world, 1)
    only = manager_api.get("/api/v1/consultations", {"strategy": world.strategy.slug}).json()
    assert [w["slug"] for w in only["results"]] == [world.window.slug]
    assert manager_api.get("/api/v1/consultations", {"state": "closed"}).json()["count"] == 0


def test_delivery_gives_each_actions_latest_update_and_the_values(world, manager_api):
    (strategy,) = more(world, 1)
    actions = manager_api.get("/api/v1/delivery/actions", {"strategy": strategy.slug}).json()
    assert actions["count"] == 4
    latest = actions["results"][0]["latest_update"]
    assert latest["rag"] == "green"
    assert latest["as_of"] == (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    plain = manager_api.get("/api/v1/delivery/actions", {"strategy": world.strategy.slug})
    assert plain.json()["results"][0]["latest_update"] is None
    values = manager_api.get("/api/v1/delivery/indicator-values", {"organisation": "mk"}).json()
    assert values["count"] == 4
    assert values["results"][0]["value"] == 61.5
    assert values["results"][0]["period"] == "2021"


def test_a_slug_that_is_no_slug_is_refused(world, manager_api):
    assert manager_api.get("/api/v1/strategies", {"organisation": "a b"}).status_code == 422
    assert manager_api.get("/api/v1/strategies/a%20b").status_code == 422


def test_a_withdrawn_strategy_is_still_listed_at_its_stage(world, manager_api):
    Strategy.objects.filter(pk=world.strategy.pk).update(stage=Strategy.Stage.WITHDRAWN)
    (row,) = manager_api.get("/api/v1/strategies").json()["results"]
    assert (row["stage"], row["stage_label"]) == ("withdrawn", "Withdrawn")


def test_updated_since_takes_any_offset_iso_8601_allows(world, manager_api):
    # Found by schemathesis on PostgreSQL, which refuses offsets past ±15:59 in a query.
    answer = manager_api.get("/api/v1/strategies", {"updated_since": "4661-09-16T02:10:12-17:38"})
    assert answer.status_code == 200 and answer.json()["results"] == []
    answer = manager_api.get("/api/v1/strategies", {"updated_since": "2001-01-01T00:00:00+23:59"})
    assert answer.status_code == 200 and answer.json()["count"] >= 1
