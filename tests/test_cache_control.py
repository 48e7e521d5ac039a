"""Answers that may carry personal data say `Cache-Control: private, no-store`
(config.middleware.PrivateAnswersMiddleware): every answer to someone signed in, the admin, and
a person's calendar feed reached by its key. Public pages for anonymous visitors do not."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.feed_keys import reset_feed_key
from tests.conftest import client_for
from tests.consultation.conftest import consult_gate, open_window, planned  # noqa: F401 (fixtures)
from tests.factories import PASSWORD
from tests.governance.test_publish_and_exports import adopted, published  # noqa: F401 (fixtures)

PRIVATE = "private, no-store"
# What Django's never_cache says (the sign-in pages, the admin): stricter still, so kept.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def cache_control(response) -> str:
    return response.get("Cache-Control", "")


@pytest.fixture
def window(request):
    """An open consultation (tests/consultation/conftest.py)."""
    return request.getfixturevalue("open_window")


@pytest.fixture
def public_strategy(request):
    """An adopted strategy, published (tests/governance/test_publish_and_exports.py)."""
    return request.getfixturevalue("published")


@pytest.mark.parametrize(
    "url",
    [
        "/",  # the dashboard
        "/strategies/",
        "/timeline/",
        "/calendar/",
        "/account/reminders/",
    ],
)
def test_staff_pages_are_private(officer, strategy, url):
    response = client_for(officer).get(url)
    assert response.status_code == 200 and cache_control(response) == PRIVATE


def test_the_json_export_is_private(officer, strategy):
    response = client_for(officer).get(reverse("strategy-export", args=[strategy.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert cache_control(response) == PRIVATE


def test_the_responses_csv_is_private(window, officer, administrator):
    url = reverse("consultation:export", kwargs={"pk": window.pk})
    for person in (officer, administrator):
        response = client_for(person).get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert cache_control(response) == PRIVATE


@pytest.mark.parametrize(
    "url, answer",
    [
        ("/admin/", NEVER_CACHE),
        ("/admin/strategies/user/", NEVER_CACHE),
        ("/admin/login/", PRIVATE),  # to the admin: Waymark's own view, without never_cache
        ("/admin/jsi18n/", PRIVATE),
    ],
)
def test_the_admin_is_private(administrator, url, answer):
    response = client_for(administrator).get(url)
    assert response.status_code in (200, 302) and cache_control(response) == answer


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/strategies/", "/admin/nowhere/"])
def test_the_admin_is_private_even_before_signing_in(db, url):
    response = Client().get(url)
    assert response.status_code in (302, 404) and "no-store" in cache_control(response)
    assert "private" in cache_control(response)


def test_the_calendar_feed_reached_by_its_key_is_private(manager, strategy):
    key = reset_feed_key(manager, "Test")
    url = f"{reverse('calendar-feed')}?key={key}"
    client = Client()  # a calendar client: no session
    first = client.get(url)
    assert first.status_code == 200 and cache_control(first) == PRIVATE
    assert cache_control(client.get(f"{reverse('calendar-feed')}?key=wrong")) == PRIVATE


def test_a_stricter_header_the_view_set_is_kept(client, officer):
    assert cache_control(client_for(officer).get("/account/two-factor/")) == NEVER_CACHE
    assert cache_control(Client().get("/accounts/login/")) == NEVER_CACHE  # as before


@pytest.mark.parametrize("url", ["/", "/consult/", "/published/", "/healthz"])
def test_public_pages_for_anonymous_visitors_are_not_private(db, url):
    response = Client().get(url)
    assert response.status_code == 200 and "Cache-Control" not in response


def test_a_published_strategy_for_anonymous_visitors_is_not_private(public_strategy, officer):
    url = reverse("published-strategy", args=[public_strategy.slug])
    assert "private" not in cache_control(Client().get(url))
    assert "private" not in cache_control(Client().get(url))  # kept or not, the same
    # the same page to someone signed in is theirs
    assert cache_control(client_for(officer).get(url)) == PRIVATE


def test_a_public_consultation_for_anonymous_visitors_is_not_private(window):
    url = reverse("consultation:public", kwargs={"slug": window.slug})
    assert "private" not in cache_control(Client().get(url))


def test_no_session_is_loaded_for_visitors_without_a_session_cookie(
    public_strategy, django_assert_num_queries
):
    url = reverse("published-strategy", args=[public_strategy.slug])
    client = Client()
    client.get(url)
    with django_assert_num_queries(5) as queries:  # tests/governance/test_publish_and_exports.py
        client.get(url)
    assert not any("django_session" in q["sql"] for q in queries.captured_queries)


def test_signing_in_and_out(client, officer):
    signed_in = client.post("/accounts/login/", {"username": "olivia", "password": PASSWORD})
    assert signed_in.status_code == 302 and cache_control(signed_in) == NEVER_CACHE
    assert cache_control(client.get("/")) == PRIVATE
    client.post("/accounts/logout/")
    assert "private" not in cache_control(client.get("/"))  # the public start page again


def test_a_move_posted_by_staff_is_private(officer, strategy, board):
    url = reverse("governance:apply-route", args=[strategy.slug])
    response = client_for(officer).post(url, {})
    assert response.status_code in (200, 302) and cache_control(response) == PRIVATE
