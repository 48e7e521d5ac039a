"""The strategy page reads its route once (portal/routes.py) for the adoption, amendments and
timeline panels (issue 22): a fixed number of queries however long the route, and the panels
as they were when each read the route itself."""

from __future__ import annotations

import pytest

from governance import workflow
from governance.models import Purpose
from tests.conftest import client_for
from tests.factories import full_strategy
from tests.governance.conftest import decide

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("gates", [2, 7])
def test_the_page_with_a_route_runs_a_fixed_number_of_queries(
    lead_org, board, officer, secretary, gates, django_assert_num_queries
):
    strategy = full_strategy(lead_org, priorities=gates)
    previous = []
    for n in range(gates):
        gate = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer, previous[-1:])
        if n == 0:  # one decided, the others open (and so looking for meetings)
            decide(gate, secretary, "noted", days_ago=10)
        previous.append(gate)
    client = client_for(officer)
    # session, user (header), strategy, partners, priorities, objectives, actions, indicators,
    # indicator objectives, evidence; the route read once: gates, what they wait for,
    # decisions, consultation windows; the next meetings (adoption), first plans (timeline);
    # what bodies approved of its priorities by name. Before: 25 on the bench's strategy.
    with django_assert_num_queries(17):
        page = client.get(strategy.get_absolute_url()).content.decode()
    assert 'id="adoption-heading"' in page and "Approval timeline" in page
    # Edit mode leaves the route's panels out: two queries fewer.
    with django_assert_num_queries(15):
        page = client.get(f"{strategy.get_absolute_url()}?edit=1").content.decode()
    assert 'id="adoption-heading"' not in page and "Approval timeline" not in page


def test_a_route_since_emptied_still_shows_the_adoption_panel(strategy, board, officer):
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    workflow.remove_gate(gate, officer, "Not needed")
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert 'id="adoption-heading"' in page and "No governance route has been planned" in page
    assert "Approval timeline" not in page
