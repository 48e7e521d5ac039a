from __future__ import annotations

import pytest
from django.urls import reverse

from strategies.models import Strategy
from tests.conftest import client_for
from tests.factories import OrganisationFactory, StrategyFactory
from tests.ladder import READERS, climb

URL = "/strategies/"


def test_access_ladder(request, strategy):
    climb(request, URL, {**READERS, "other_officer": 200})


def test_lists_only_what_the_user_may_see(officer, other_org, strategy):
    hidden = StrategyFactory(lead_organisation=other_org, title="Their private draft")
    page = client_for(officer).get(URL).content.decode()
    assert strategy.title in page and hidden.title not in page


def test_search_by_title_and_filters(officer, lead_org, strategy):
    StrategyFactory(
        lead_organisation=lead_org, title="Carers Strategy", stage=Strategy.Stage.ADOPTED
    )
    client = client_for(officer)
    assert "Carers Strategy" in client.get(URL, {"q": "carers"}).content.decode()
    assert strategy.title not in client.get(URL, {"q": "carers"}).content.decode()
    adopted = client.get(URL, {"stage": "adopted"}).content.decode()
    assert "Carers Strategy" in adopted and strategy.title not in adopted
    other = OrganisationFactory()
    assert "No strategies match" in client.get(URL, {"organisation": other.pk}).content.decode()


def test_nonsense_filters_are_ignored_not_errors(officer, strategy):
    response = client_for(officer).get(URL, {"organisation": "x'", "stage": "bogus", "page": "999"})
    assert response.status_code == 200
    assert strategy.title in response.content.decode()


def test_officers_are_offered_a_new_strategy_and_managers_are_not(officer, manager, strategy):
    new = reverse("strategies:create")
    assert new in client_for(officer).get(URL).content.decode()
    assert new not in client_for(manager).get(URL).content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_query_count_does_not_grow_with_rows(officer, lead_org, rows, django_assert_num_queries):
    for _ in range(rows):
        StrategyFactory(lead_organisation=lead_org)
    client = client_for(officer)
    # session, user with their organisation (header), count, page, organisations for the
    # filter
    # + the strategies' partner links, to name joint leads
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "-1", "1.5"])
def test_odd_organisation_ids_are_ignored(officer, strategy, value):
    assert client_for(officer).get(URL, {"organisation": value}).status_code == 200
