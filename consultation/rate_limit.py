"""How many responses one address may send to one consultation: at most
settings.CONSULTATION_RATE_LIMIT in RATE_WINDOW seconds (0 turns the limit off, as the benchmark
does). Only accepted responses count, so correcting a form's errors never uses the allowance up.

The counts live in Django's cache: each process's own memory by default, or the Redis server
that WAYMARK_CACHE_URL names, which every worker and server then shares (config/settings.py).
A cache that cannot be reached does not stop the public responding: the limit is a brake on
floods, not a gate, so it is skipped (and logged) rather than refusing or failing.

Signed-in staff keying in paper responses are neither limited nor counted (`_exempt`).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.module_loading import import_string

from .models import ConsultationWindow

RATE_WINDOW = 600
logger = logging.getLogger(__name__)


def _key(request: HttpRequest, window: ConsultationWindow) -> str:
    # The address sign-in lockouts count by too: the one function the settings name for it
    # (config/security.py, which trusts X-Forwarded-For only as far as WAYMARK_TRUSTED_PROXIES).
    # Reached through the setting because apps do not import config (tests/test_layout.py).
    address = import_string(settings.AXES_CLIENT_IP_CALLABLE)(request) or "unknown"
    return f"consult-rate:{window.pk}:{address}"


def _exempt(request: HttpRequest) -> bool:
    # Every account is council staff, made by an administrator and behind the sign-in lockout;
    # officers keying in a pile of paper responses from the office would otherwise hit the
    # limit, and use up the allowance of the public sharing the office's address.
    return request.user.is_authenticated


def over_limit(request: HttpRequest, window: ConsultationWindow) -> bool:
    """Whether this address has already sent its allowance of responses to this consultation."""
    limit = settings.CONSULTATION_RATE_LIMIT
    if not limit or _exempt(request):
        return False
    try:
        return cache.get(_key(request, window), 0) >= limit
    except Exception:  # the cache server is down or refuses: see the module's docstring
        logger.exception("Consultation rate limit not checked: the cache cannot be read")
        return False


def count_response(request: HttpRequest, window: ConsultationWindow) -> None:
    """Counts an accepted response against its address's allowance."""
    if _exempt(request):
        return
    key = _key(request, window)
    try:
        if cache.add(key, 1, RATE_WINDOW):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired meanwhile
            cache.set(key, 1, RATE_WINDOW)
    except Exception:  # the cache server is down or refuses: see the module's docstring
        logger.exception("Consultation response not counted: the cache cannot be written")
