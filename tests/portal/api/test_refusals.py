"""Without a valid token the API answers 401 with a JSON message and no data; past its allowance
a token gets 429 with Retry-After; a signed-in session opens nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from portal.api.tokens import create_token
from tests.conftest import client_for
from tests.portal.api.conftest import ApiClient

ADDRESSES = [
    "/api/v1/strategies",
    "/api/v1/strategies/strategy-0",
    "/api/v1/gates",
    "/api/v1/decisions",
    "/api/v1/meetings",
    "/api/v1/consultations",
    "/api/v1/delivery/actions",
    "/api/v1/delivery/indicator-values",
]


def _refused(response, detail: str | None = None) -> dict:
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert list(body) == ["detail"]
    if detail:
        assert body["detail"] == detail
    return body


@pytest.mark.parametrize("address", ADDRESSES)
def test_no_token_no_data(world, address):
    body = _refused(ApiClient().get(address))
    assert "Bearer" in body["detail"] and "/account/api-tokens/" in body["detail"]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_signed_in_session_without_a_token_is_refused(world, address):
    response = client_for(world.people["administrator"]).get(address)
    _refused(response)
    assert world.strategy.title not in response.content.decode()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Basic b2xpdmlhOnNlY3JldA==",
        "Token wmk_0123456789ab_" + "a" * 43,
        "Bearer not-a-token",
        "Bearer wmk_0123456789ab_" + "a" * 43,  # well formed, unknown
        "Bearer wmk_0123456789ab_" + "a" * 42 + "\x00",
    ],
)
def test_a_malformed_or_unknown_token_is_refused(world, header):
    response = ApiClient().get("/api/v1/strategies", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert world.strategy.title not in response.content.decode()


def test_a_right_prefix_with_a_wrong_secret_is_refused(world):
    row, token = create_token(world.people["manager"], "Power BI")
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    _refused(ApiClient(wrong).get("/api/v1/strategies"), "This API token is not valid.")


def test_the_allowance_runs_out_with_429_and_retry_after(world, settings):
    settings.API_RATE_LIMIT = 3
    client = ApiClient(create_token(world.people["manager"], "Power BI")[1])
    assert [client.get("/api/v1/gates").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/gates")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= settings.API_RATE_WINDOW
    assert response.json()["detail"].startswith("Too many requests")
    assert "results" not in response.json()


def test_each_token_has_its_own_allowance(world, settings):
    settings.API_RATE_LIMIT = 1
    first = ApiClient(create_token(world.people["manager"], "Power BI")[1])
    second = ApiClient(create_token(world.people["manager"], "Excel")[1])
    assert first.get("/api/v1/gates").status_code == 200
    assert first.get("/api/v1/gates").status_code == 429
    assert second.get("/api/v1/gates").status_code == 200


def test_a_refused_token_uses_no_allowance(world, settings, monkeypatch):
    settings.API_RATE_LIMIT = 1
    counted = []
    monkeypatch.setattr(cache, "add", lambda *args, **kw: counted.append(args))
    for _ in range(3):
        ApiClient("wmk_0123456789ab_" + "a" * 43).get("/api/v1/gates")
    assert counted == []


def test_no_limit_when_the_setting_is_zero(world, settings):
    settings.API_RATE_LIMIT = 0
    client = ApiClient(create_token(world.people["manager"], "Power BI")[1])
    assert {client.get("/api/v1/gates").status_code for _ in range(5)} == {200}


def test_a_cache_that_cannot_be_reached_lets_requests_through(world, settings, monkeypatch):
    settings.API_RATE_LIMIT = 1

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", down)
    client = ApiClient(create_token(world.people["manager"], "Power BI")[1])
    assert {client.get("/api/v1/gates").status_code for _ in range(3)} == {200}


def test_answers_are_kept_by_no_shared_cache(world):
    client = ApiClient(create_token(world.people["manager"], "Power BI")[1])
    assert client.get("/api/v1/strategies")["Cache-Control"] == "private, no-store"
    assert ApiClient().get("/api/v1/strategies")["Cache-Control"] == "private, no-store"
