"""Requests no form would send get a clear 4xx page, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import client_for


def test_a_form_without_its_csrf_token_is_refused_plainly(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post("/strategies/new/", {"title": "Sneaky"})
    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert "nothing was saved" in response.text


def test_an_oversized_request_is_refused(officer):
    response = client_for(officer).post("/strategies/new/", {"title": "x" * 3_000_000})
    assert response.status_code == 400
    assert "could not be understood" in response.text


def test_too_many_fields_are_refused(officer):
    data = {f"field{i}": "x" for i in range(1500)}
    assert client_for(officer).post("/strategies/new/", data).status_code == 400


@pytest.mark.parametrize("url", ["/strategies/?q=a%00b", "/timeline/?organisation=%00"])
def test_a_nul_character_in_a_query_is_refused(officer, url):
    response = client_for(officer).get(url)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/strategies/{slug}/route/withdraw/"), ("put", "/strategies/"), ("delete", "/")],
)
def test_wrong_methods_get_a_405_page(officer, strategy, method, url):
    response = getattr(client_for(officer), method)(url.format(slug=strategy.slug))
    assert response.status_code == 405
    assert response.content  # a page, not the browser's bare error


@pytest.mark.parametrize(
    "url",
    [
        "/strategies/{slug}/revisions/99999999999999999999/",
        "/meetings/99999999999999999999/",
        "/decisions/0/",
        "/consult/%E2%98%83/",
        "/strategies/{slug}/revisions/compare/?a=x&b=%00",
    ],
)
def test_odd_ids_and_paths_are_not_found_or_bad(officer, strategy, url):
    response = client_for(officer).get(url.format(slug=strategy.slug))
    assert response.status_code in {400, 403, 404}  # officers never open meeting pages


def test_malformed_dates_are_explained_beside_the_field(officer, strategy, board):
    response = client_for(officer).post(
        f"/strategies/{strategy.slug}/route/gates/add/",
        {"body": board.pk, "purpose": "review", "planned_date": "2017-02-30",
         "planned_precision": "day"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Enter a valid date" in response.text
    assert 'value="2017-02-30"' in response.text


def test_unknown_choice_values_are_explained(officer, strategy, board):
    response = client_for(officer).post(
        f"/strategies/{strategy.slug}/route/gates/add/",
        {"body": board.pk, "purpose": "conquer", "planned_precision": "fortnight"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
