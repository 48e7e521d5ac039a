from __future__ import annotations

import pytest

from strategies.models import Strategy
from tests.conftest import client_for
from tests.factories import full_strategy
from tests.ladder import READERS, climb


def test_access_ladder(request, strategy):
    climb(request, strategy.get_absolute_url(), {**READERS, "other_officer": 404})


def test_another_organisations_adopted_strategy_is_readable(request, strategy):
    strategy.stage = Strategy.Stage.ADOPTED
    strategy.save()
    climb(request, strategy.get_absolute_url(), {"other_officer": 200})


def test_shows_header_tree_indicators_and_evidence(officer, lead_org):
    strategy = full_strategy(
        lead_org,
        priorities=2,
        contact_name="Karen Jackson",
        contact_phone="01384 816698",
        contact_email="karen@example.org",
    )
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    for text in [
        strategy.title,
        "2017–2022",
        lead_org.name,
        "Stage: Draft",
        "Karen Jackson",
        "01384 816698",
        "Healthier lives for everyone.",
        "Priority 1: Priority 1",
        "Objective 2.2: Objective 2.2",
        "Action 1.1",
        "Indicator 2",
        "Evidence 1",
    ]:
        assert text in page, text


def test_editors_get_edit_controls_and_readers_do_not(officer, manager, strategy):
    edit_url = f"/strategies/{strategy.slug}/edit/"
    assert edit_url in client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert edit_url not in client_for(manager).get(strategy.get_absolute_url()).content.decode()


def test_officers_see_why_editing_is_closed(officer, strategy):
    strategy.stage = Strategy.Stage.ADOPTED
    strategy.save()
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert "Editing is closed" in page and "adopted" in page
    assert f"/strategies/{strategy.slug}/edit/" not in page


@pytest.mark.parametrize("width", [1, 6])
def test_query_count_does_not_grow_with_content(
    officer, lead_org, width, django_assert_num_queries
):
    strategy = full_strategy(lead_org, priorities=width)
    client = client_for(officer)
    # session, user with their organisation (header), strategy, partners, priorities,
    # objectives, actions, indicators, indicator objectives, evidence; and the adoption and
    # timeline panels each asking whether there is a route
    # + the data version the page cache reads first (strategies/page_cache.py)
    # + what bodies approved of its priorities by name (strategies/approvals.py), in one query
    with django_assert_num_queries(14):
        assert client.get(strategy.get_absolute_url()).status_code == 200


def test_the_menu_shows_strategies_as_the_current_section_on_every_tab(officer, strategy):
    """The content and history tabs are the portal's pages, the revisions tab strategies' own:
    on each, the menu marks "Strategies" as where the person is."""
    import re

    client = client_for(officer)
    slug = strategy.slug
    for url in [
        f"/strategies/{slug}/",
        f"/strategies/{slug}/history/",
        f"/strategies/{slug}/revisions/",
    ]:
        page = client.get(url).content.decode()
        link = re.search(
            r'<a class="nav-link active"\s+aria-current="page"\s+href="/strategies/">', page
        )
        assert link, url
