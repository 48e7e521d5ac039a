from __future__ import annotations

from unittest import mock

from django.db.utils import OperationalError


def test_healthy_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_503_when_the_database_does_not(client, db):
    with mock.patch("portal.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unreachable"


def test_anonymous_users_see_only_sign_in_and_health(client, db):
    assert client.get("/accounts/login/").status_code == 200
    assert "Sign in" in client.get("/").text  # the public start page, nothing internal
    for url in ("/strategies/", "/strategies/new/", "/strategies/anything/", "/timeline/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
