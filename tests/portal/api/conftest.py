"""The API's tests: the world of tests/world.py (one of everything), tokens for its people, and
a client that sends a token and no session."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from portal.api.tokens import create_token
from tests.world import World, build


@pytest.fixture(autouse=True)
def fresh_allowance(settings):
    # Each test starts with a full allowance of requests: the counts live in the cache.
    cache.clear()
    settings.AXES_ENABLED = False
    settings.CONSULTATION_RATE_LIMIT = 0


@pytest.fixture
def world(db) -> World:
    return build()


def token_for(user, name: str = "Power BI", **kw) -> str:
    return create_token(user, name, **kw)[1]


class ApiClient:
    """Sends `Authorization: Bearer <token>` (when given) and never a session cookie."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def get(self, path: str, data: dict | None = None, **headers):
        if self.token is not None:
            headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return self.client.get(path, data or {}, **headers)


@pytest.fixture
def api_as():
    """`api_as(user)`: a client with a new token of `user`'s."""
    return lambda user: ApiClient(token_for(user))
