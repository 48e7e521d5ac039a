"""Who is asking, and how often: the API's only way in is a token (never a session, so that no
page's cookies reach it and no CSRF is needed), and each token has its allowance of requests.

The allowance is settings.API_RATE_LIMIT requests in API_RATE_WINDOW seconds (0 turns it
off), counted in Django's cache as consultation/rate_limit.py counts responses: each process's
memory by default, or the Redis server that WAYMARK_CACHE_URL names, shared by every worker.
A cache that cannot be reached lets the request through (and logs it): the limit is a brake,
not a gate.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from ..models import ApiToken
from .tokens import NO_TOKEN, Refusal, check_token

logger = logging.getLogger(__name__)


class TokenRefused(AuthenticationError):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(status_code=401, message=refusal.message)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer wmk_…`: gives the token (`request.auth`), whose `user` is the
    person every query is scoped by. Anything else is a 401 with the reason."""

    def __call__(self, request: HttpRequest) -> ApiToken:
        header = request.headers.get(self.header, "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != self.openapi_scheme or not raw.strip():
            raise TokenRefused(NO_TOKEN)
        return self.authenticate(request, raw)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = check_token(token)
        if isinstance(found, Refusal):
            raise TokenRefused(found)
        return found


class TokenThrottle(BaseThrottle):
    """A fixed window per token: at most API_RATE_LIMIT requests from the start of each
    API_RATE_WINDOW seconds; the 429 says, in Retry-After, how long until the next window."""

    def allow_request(self, request: HttpRequest) -> bool:
        limit, window = settings.API_RATE_LIMIT, settings.API_RATE_WINDOW
        token = getattr(request, "auth", None)
        if not limit or token is None:
            return True
        now = time.time()
        started = math.floor(now / window) * window
        key = f"api-rate:{token.pk}:{int(started)}"
        try:
            if cache.add(key, 1, window + 1):
                return True
            try:
                count = cache.incr(key)
            except ValueError:  # expired meanwhile: a new window
                cache.set(key, 1, window + 1)
                return True
        except Exception:  # the cache server is down or refuses: see the module's docstring
            logger.exception("API rate limit not checked: the cache cannot be used")
            return True
        return count <= limit

    def wait(self) -> float:
        """Seconds until the current window ends (the same for every token: the windows start
        together), worked out afresh, as one throttle object serves every request."""
        window = settings.API_RATE_WINDOW
        return max(window - time.time() % window, 1)
