"""While the database cannot be reached, every request gets a 503 page asking to try again
shortly, with Retry-After, never a 500 (portal.views.server_error, handler500); /healthz says
the database is down; and once it is back, the next request is answered as usual."""

from __future__ import annotations

import contextlib
import re
from unittest import mock
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import IntegrityError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import Client

from tests.factories import PASSWORD

# Each test needs a database it can really lose and find again, not one inside the test's
# transaction (which a failed query would leave unusable).
pytestmark = pytest.mark.django_db(transaction=True)

TRY_AGAIN = "Please try again shortly"


@contextlib.contextmanager
def database_down(error: Exception | None = None):
    """Every connection closed, and no new one to be had: as when the server is stopped."""
    connections.close_all()
    error = error or OperationalError('connection to server at "127.0.0.1" failed: refused')
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=error):
        yield


def assert_try_again(response) -> None:
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert TRY_AGAIN in page and "Something went wrong" not in page
    # standalone and accessible, like 500.html
    assert '<html lang="en-GB">' in page and len(re.findall(r"<h1[ >]", page)) == 1
    assert "<title>" in page and "<main>" in page


def unraising(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("url", ["/consult/", "/published/", "/published/no-such-strategy/"])
def test_an_anonymous_page(url):
    client = unraising()
    with database_down():
        assert_try_again(client.get(url))
    assert client.get(url).status_code in (200, 404)


def test_the_start_page_needs_no_database():
    with database_down():
        response = unraising().get("/")
    assert response.status_code == 200 and "Sign in" in response.text


@pytest.mark.parametrize("url", ["/", "/strategies/", "/timeline/"])
def test_a_staff_page_for_someone_signed_in(officer, strategy, url):
    client = unraising(officer)
    with database_down():
        assert_try_again(client.get(url))
    assert client.get(url).status_code == 200  # still signed in: nothing was lost


def test_a_staff_form_posted(officer, strategy):
    client = unraising(officer)
    url = f"/strategies/{strategy.slug}/edit/"
    with database_down():
        assert_try_again(client.post(url, {"title": "Changed"}))
    assert client.get(url).status_code == 200


def test_signing_in(officer):
    client = unraising()
    with database_down():
        # django-axes counts the attempt in the database, in its backend
        assert_try_again(
            client.post("/accounts/login/", {"username": officer.username, "password": PASSWORD})
        )
    answer = client.post("/accounts/login/", {"username": officer.username, "password": PASSWORD})
    assert answer.status_code == 302 and client.get("/").status_code == 200


def test_the_admin(administrator):
    client = unraising(administrator)
    for url in ("/admin/", "/admin/strategies/user/"):
        with database_down():
            assert_try_again(client.get(url))
        assert client.get(url).status_code == 200


def test_a_dropped_connection_says_interface_error(officer, strategy):
    client = unraising(officer)
    with database_down(InterfaceError("connection already closed")):
        assert_try_again(client.get("/strategies/"))
    assert client.get("/strategies/").status_code == 200


def test_other_failures_still_get_the_500_page(officer, strategy):
    client = unraising(officer)
    with mock.patch("portal.views.render", side_effect=RuntimeError("a bug")):
        response = client.get("/timeline/")
    assert response.status_code == 500 and "Something went wrong" in response.text
    assert "Retry-After" not in response


def test_the_health_check_says_the_database_is_down():
    client = unraising()
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert client.get("/healthz").json()["database"] == "ok"


def test_the_health_check_answers_in_json_with_a_session_cookie_too(officer):
    client = unraising(officer)
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unreachable"
    assert response["Retry-After"] == "10"


def test_a_page_that_needs_no_database_is_private_when_the_session_cannot_be_read(officer):
    client = unraising(officer)
    with database_down(), mock.patch("portal.public.render", return_value=HttpResponse("ok")):
        response = client.get("/published/")
    # who asked cannot be told without the session: the answer is kept out of caches
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_which_errors_mean_the_database_is_down():
    from portal.views import database_unavailable

    psycopg2 = pytest.importorskip("psycopg2")
    assert database_unavailable(psycopg2.OperationalError("server closed the connection"))
    assert database_unavailable(psycopg2.InterfaceError("connection already closed"))
    try:
        try:
            raise OperationalError("the server is restarting")
        except OperationalError as lost:
            raise RuntimeError("while rendering a page") from lost
    except RuntimeError as raised:
        assert database_unavailable(raised)
    assert not database_unavailable(IntegrityError("duplicate key"))
    assert not database_unavailable(RuntimeError("a bug")) and not database_unavailable(None)


def test_the_failure_is_logged(caplog):
    with database_down(), caplog.at_level("ERROR", logger="django.request"):
        unraising().get("/consult/")
    assert "Service Unavailable: /consult/" in caplog.text and "refused" in caplog.text


# On PostgreSQL: the server drops the app's own connection ---------------------------------------


def served(handler: WSGIHandler, path: str, cookie: str) -> int:
    """A GET answered as gunicorn would have it answered: unlike the test client, the handler
    checks the connections when a request starts and closes unusable ones when it ends."""
    environ: dict = {}
    setup_testing_defaults(environ)
    environ.update(PATH_INFO=path, HTTP_COOKIE=cookie)
    status: list[str] = []
    body = handler(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        b"".join(body)
    finally:
        body.close()  # request_finished
    return int(status[0].split()[0])


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a PostgreSQL server")
@pytest.mark.parametrize("health_checks, first", [(True, 200), (False, 503)])
def test_a_connection_the_server_ended_is_replaced(officer, strategy, health_checks, first):
    """With a persistent connection (as in production), pg_terminate_backend ends it from a
    second connection, as a database restart or an administrator would. With health checks
    (config/settings.py) the next request finds it dead before using it and connects afresh;
    without, that request gets the 503 page and Django closes the broken connection when it
    ends. Never a 500, and the request after is answered either way."""
    client = Client()
    client.force_login(officer)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    kept = connection.settings_dict.copy()
    connection.close()
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=health_checks)
    handler = WSGIHandler()
    try:
        assert served(handler, "/strategies/", cookie) == 200
        with connection.cursor() as cursor:  # the one the app served that request on
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        other = connection.copy()
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
                assert cursor.fetchone() == (True,)
        finally:
            other.close()
        assert served(handler, "/strategies/", cookie) == first
        assert served(handler, "/strategies/", cookie) == 200
        assert served(handler, "/healthz", "") == 200
    finally:
        connection.close()
        connection.settings_dict.update(kept)
