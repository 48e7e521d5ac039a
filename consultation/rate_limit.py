"""How many responses one address may send to one consultation: at most
settings.CONSULTATION_RATE_LIMIT in RATE_WINDOW seconds (0 turns the limit off, as the benchmark
does). Only accepted responses count, so correcting a form's errors never uses the allowance up.

The counts live in Django's cache: each process's own memory by default, or the Redis server
that WAYMARK_CACHE_URL names, which every worker and server then shares (config/settings.py).
A cache that cannot be reached does not stop the public responding: the limit is a brake on
floods, not a gate, so it is skipped (and logged) rather than refusing or failing.
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
    address = import_string(settings.AXES_CLIENT_IP_CALLABLE)(request) or "unknown"
    return f"consult-rate:{window.pk}:{address}"


def over_limit(request: HttpRequest, window: ConsultationWindow) -> bool:
    """Whether this address has already sent its allowance of responses to this consultation."""
    limit = settings.CONSULTATION_RATE_LIMIT
    if not limit:
        return False
    try:
        return cache.get(_key(request, window), 0) >= limit
    except Exception:  # the cache server is down or refuses: see the module's docstring
        logger.exception("Consultation rate limit not checked: the cache cannot be read")
        return False


def count_response(request: HttpRequest, window: ConsultationWindow) -> None:
    """Counts an accepted response against its address's allowance."""
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
