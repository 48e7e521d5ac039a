"""One function decides the client's address (config/security.py): the connection's, or the
one a trusted proxy wrote into X-Forwarded-For. Sign-in lockouts and the consultation rate
limit both count by it, so a client cannot buy more guesses or responses by inventing headers."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from config.security import client_ip
from consultation.models import Response
from tests.consultation.conftest import consult_gate, open_window, planned  # noqa: F401 (fixtures)
from tests.consultation.test_public import form_data, page_url
from tests.factories import PASSWORD
from tests.test_settings import manage

PROXY = "10.0.0.1"  # REMOTE_ADDR of every request that came through our proxy


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def window(request):
    """An open consultation (tests/consultation/conftest.py)."""
    return request.getfixturevalue("open_window")


def address(rf, settings, proxies: int, forwarded: str | None, remote: str = PROXY) -> str:
    settings.WAYMARK_TRUSTED_PROXIES = proxies
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(rf.get("/", **headers))


# The rule ---------------------------------------------------------------------------------------


def test_without_a_proxy_the_header_is_ignored(rf, settings):
    assert address(rf, settings, 0, "203.0.113.9") == PROXY
    assert address(rf, settings, 0, "198.51.100.1, 203.0.113.9") == PROXY
    assert address(rf, settings, 0, None) == PROXY


def test_one_proxy_gives_the_address_it_added(rf, settings):
    assert address(rf, settings, 1, "203.0.113.9") == "203.0.113.9"
    # what the client wrote itself, to the left, proves nothing
    assert address(rf, settings, 1, "198.51.100.1, 203.0.113.9") == "203.0.113.9"
    assert address(rf, settings, 1, "anything, at all , 203.0.113.9 ") == "203.0.113.9"


def test_two_proxies_give_the_address_the_outer_one_added(rf, settings):
    # client -> CDN (adds the client) -> nginx (adds the CDN) -> app
    assert address(rf, settings, 2, "203.0.113.9, 192.0.2.7") == "203.0.113.9"
    assert address(rf, settings, 2, "198.51.100.1, 203.0.113.9, 192.0.2.7") == "203.0.113.9"


def test_a_header_shorter_than_the_proxies_gives_the_connection(rf, settings):
    assert address(rf, settings, 2, "203.0.113.9") == PROXY
    assert address(rf, settings, 1, None) == PROXY
    assert address(rf, settings, 1, "") == PROXY


@pytest.mark.parametrize(
    "forwarded", ["not-an-address", "203.0.113.9, unknown", "203.0.113.300", "203.0.113.9:443"]
)
def test_an_entry_that_is_not_an_address_gives_the_connection(rf, settings, forwarded):
    assert address(rf, settings, 1, forwarded) == PROXY


def test_ipv6_addresses_are_written_one_way(rf, settings):
    assert address(rf, settings, 1, "2001:DB8:0:0::1") == "2001:db8::1"


def test_the_forwarded_header_is_never_read(rf, settings):
    # Our proxy writes X-Forwarded-For only: a `Forwarded` header is whatever the client sent.
    settings.WAYMARK_TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_FORWARDED="for=198.51.100.7")
    assert client_ip(request) == PROXY


# Sign-in lockouts -------------------------------------------------------------------------------


def sign_in(client, username, password, forwarded):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR="203.0.113.50",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_a_new_forwarded_address_for_every_guess_gets_no_more_guesses(client, officer, settings):
    assert settings.WAYMARK_TRUSTED_PROXIES == 0  # the default: no proxy in front
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, officer.username, "wrong password", f"198.51.100.{n}")
        assert response.status_code == 200
    locked = sign_in(client, officer.username, "wrong password", "198.51.100.99")
    assert locked.status_code == 429 and "Sign-in paused" in locked.text
    # the right password from yet another "address" is refused while the lockout holds
    assert sign_in(client, officer.username, PASSWORD, "192.0.2.1").status_code == 429
    # nor were the addresses it claimed framed: a client really at one of them signs in
    framed = Client(REMOTE_ADDR="198.51.100.99")
    signed_in = framed.post(
        "/accounts/login/", {"username": officer.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302


def test_behind_a_proxy_each_forwarded_client_is_counted_on_its_own(client, officer, settings):
    settings.WAYMARK_TRUSTED_PROXIES = 1
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, officer.username, "wrong", "198.51.100.1").status_code == 200
    assert sign_in(client, officer.username, "wrong", "198.51.100.1").status_code == 429
    # inventing an address to the left of the one the proxy added changes nothing ...
    spoofed = "192.0.2.44, 198.51.100.1"
    assert sign_in(client, officer.username, PASSWORD, spoofed).status_code == 429
    # ... while someone else behind the same proxy still signs in
    assert sign_in(Client(), officer.username, PASSWORD, "198.51.100.2").status_code == 302


# The consultation rate limit --------------------------------------------------------------------


def respond(window, forwarded: str, remote: str = "203.0.113.50") -> int:
    client = Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    return client.post(page_url(window), form_data(window)).status_code


def test_the_rate_limit_ignores_forwarded_addresses_without_a_proxy(window, settings):
    settings.CONSULTATION_RATE_LIMIT = 3
    assert [respond(window, f"198.51.100.{n}") for n in range(4)] == [302, 302, 302, 429]
    assert Response.objects.count() == 3


def test_behind_a_proxy_the_rate_limit_counts_each_forwarded_client(window, settings):
    settings.CONSULTATION_RATE_LIMIT = 2
    settings.WAYMARK_TRUSTED_PROXIES = 1
    first = [respond(window, f"192.0.2.{n}, 198.51.100.1") for n in range(3)]
    assert first == [302, 302, 429]
    assert respond(window, "198.51.100.2") == 302
    assert Response.objects.count() == 3


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_header_cannot_use_up_someone_elses_allowance(window, settings, proxies):
    settings.CONSULTATION_RATE_LIMIT = 2
    settings.WAYMARK_TRUSTED_PROXIES = proxies
    victim = "198.51.100.2"
    # The attacker names the victim's address; a proxy adds the attacker's real one after it.
    forged = victim if proxies == 0 else f"{victim}, 198.51.100.1"
    assert [respond(window, forged) for _ in range(3)] == [302, 302, 429]
    if proxies == 0:  # the victim's own connection
        assert respond(window, "", remote=victim) == 302
    else:  # the victim behind the same proxy
        assert respond(window, victim) == 302


# The settings -----------------------------------------------------------------------------------

PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 30 + "-production-secret-for-the-check-only-" + "y" * 20,
    "DJANGO_ALLOWED_HOSTS": "waymark.example.org",
    "WAYMARK_AUDIT_KEY": "z" * 40,  # the audit ledger's, required in production
}
SHOW = (
    "from django.conf import settings as s; "
    "print(s.WAYMARK_TRUSTED_PROXIES, s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT)"
)


def test_x_forwarded_proto_is_believed_only_from_a_declared_proxy():
    alone = manage("shell", "-c", SHOW, **PRODUCTION)
    assert alone.stdout.strip().splitlines()[-1] == "0 None True", alone.stderr
    proxied = manage("shell", "-c", SHOW, WAYMARK_TRUSTED_PROXIES="1", **PRODUCTION)
    last = proxied.stdout.strip().splitlines()[-1]
    assert last == "1 ('HTTP_X_FORWARDED_PROTO', 'https') True", proxied.stderr


def test_check_deploy_is_clean_behind_a_proxy_too():
    result = manage(
        "check", "--deploy", "--fail-level", "DEBUG", WAYMARK_TRUSTED_PROXIES="1", **PRODUCTION
    )
    assert result.returncode == 0 and "no issues" in result.stdout, result.stderr + result.stdout


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_a_proxy_count_that_is_not_a_whole_number_is_refused(value):
    result = manage("check", WAYMARK_TRUSTED_PROXIES=value)
    assert result.returncode != 0 and "WAYMARK_TRUSTED_PROXIES" in result.stderr
