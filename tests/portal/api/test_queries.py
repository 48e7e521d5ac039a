"""Each list answers in the same number of queries whatever its page size and however much there
is to list: pinned here at two sizes of data and two page sizes, for three kinds of person.
(The first request of a token also writes its time of last use: one request is made first.)"""

from __future__ import annotations

import pytest

from tests.portal.api.more import more

# address: queries (the token with its person, then the count, the page and what the page needs)
QUERIES = {
    "/api/v1/strategies": 4,  # + the partners of the page's strategies
    "/api/v1/gates": 3,
    "/api/v1/decisions": 3,
    "/api/v1/consultations": 5,  # + counts by respondent type, agreement per priority
    "/api/v1/delivery/actions": 3,  # the latest update read with each action
    "/api/v1/delivery/indicator-values": 3,
}


@pytest.mark.parametrize("count", [1, 8])
@pytest.mark.parametrize("person", ["manager", "officer", "secretary"])
def test_lists_read_in_a_fixed_number_of_queries(
    world, api_as, django_assert_num_queries, count, person
):
    more(world, count)
    client = api_as(world.people[person])
    client.get("/api/v1/strategies")
    for address, queries in QUERIES.items():
        for limit in (2, 100):
            with django_assert_num_queries(queries):
                response = client.get(address, {"limit": limit})
            assert response.status_code == 200, address
            assert response.json()["count"] > 1, address


@pytest.mark.parametrize("count", [1, 8])
def test_meetings_read_in_a_fixed_number_of_queries(
    world, api_as, django_assert_num_queries, count
):
    more(world, count)
    client = api_as(world.people["secretary"])
    client.get("/api/v1/strategies")
    for limit in (2, 100):
        with django_assert_num_queries(3):
            assert client.get("/api/v1/meetings", {"limit": limit}).json()["count"] == count + 2


@pytest.mark.parametrize("priorities", [1, 6])
def test_a_strategy_with_its_content_reads_in_a_fixed_number_of_queries(
    world, api_as, django_assert_num_queries, priorities
):
    from tests.factories import full_strategy

    strategy = full_strategy(world.lead_org, priorities=priorities)
    client = api_as(world.people["officer"])
    client.get("/api/v1/strategies")
    # the token; the strategy with its lead and what it replaces; partners; priorities;
    # objectives; actions; indicators; the objectives they measure; evidence
    with django_assert_num_queries(9):
        body = client.get(f"/api/v1/strategies/{strategy.slug}").json()
    assert len(body["priorities"]) == priorities
