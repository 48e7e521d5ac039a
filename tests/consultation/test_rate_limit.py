"""The consultation rate limit counted in a shared Redis cache (WAYMARK_CACHE_URL), as several
gunicorn workers would share it, a cache that cannot be reached stopping nobody, and signed-in
staff keying in paper responses left out of it. (tests/consultation/test_public.py has the
limit itself; tests/test_client_address.py the address it counts by, behind proxies.)"""

from __future__ import annotations

import logging
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from consultation.models import Response
from tests.consultation.test_public import form_data, page_url

REDIS = "redis://127.0.0.1:6379/15"


def redis_cache(location: str, prefix: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def redis_server():
    redis = pytest.importorskip("redis")
    server = redis.Redis.from_url(REDIS)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    yield server
    server.close()


def test_the_count_is_kept_in_redis_where_every_process_reads_it(
    open_window, settings, redis_server
):
    prefix = f"waymark-test-{uuid.uuid4().hex}"
    settings.CACHES = redis_cache(REDIS, prefix)
    try:
        client = Client(REMOTE_ADDR="10.0.0.7")
        for _ in range(settings.CONSULTATION_RATE_LIMIT):
            assert client.post(page_url(open_window), form_data(open_window)).status_code == 302
        # The count is in Redis, outside this process, where another worker finds it ...
        (key,) = redis_server.keys(f"{prefix}:*consult-rate:{open_window.pk}:10.0.0.7")
        assert int(redis_server.get(key)) == settings.CONSULTATION_RATE_LIMIT
        assert client.post(page_url(open_window), form_data(open_window)).status_code == 429
        # ... and a count another worker left there is honoured here.
        other = key.replace(b"10.0.0.7", b"10.0.0.8")
        redis_server.set(other, settings.CONSULTATION_RATE_LIMIT)
        late = Client(REMOTE_ADDR="10.0.0.8")
        assert late.post(page_url(open_window), form_data(open_window)).status_code == 429
        assert Response.objects.count() == settings.CONSULTATION_RATE_LIMIT
    finally:
        for key in redis_server.scan_iter(f"{prefix}:*"):
            redis_server.delete(key)


def test_a_cache_that_cannot_be_reached_stops_nobody(open_window, settings, caplog):
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0", "waymark-test")  # nothing listens
    with caplog.at_level(logging.ERROR, logger="consultation.rate_limit"):
        response = Client().post(page_url(open_window), form_data(open_window))
    assert response.status_code == 302
    assert Response.objects.count() == 1
    assert "rate limit not checked" in caplog.text and "not counted" in caplog.text


def test_signed_in_staff_keying_in_paper_responses_are_neither_limited_nor_counted(
    open_window, officer, settings
):
    cache.clear()
    settings.CONSULTATION_RATE_LIMIT = 2
    office = "10.0.0.20"
    staff = Client(REMOTE_ADDR=office)
    staff.force_login(officer)
    keyed = [staff.post(page_url(open_window), form_data(open_window)) for _ in range(4)]
    assert [response.status_code for response in keyed] == [302] * 4
    # The public at the same address still has its whole allowance, and then no more.
    public = Client(REMOTE_ADDR=office)
    sent = [public.post(page_url(open_window), form_data(open_window)) for _ in range(3)]
    assert [response.status_code for response in sent] == [302, 302, 429]
    assert Response.objects.count() == 6
