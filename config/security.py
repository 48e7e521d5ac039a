"""Small pieces of the security settings that need code."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The client's address: the one function that decides it, for sign-in lockouts
    (AXES_CLIENT_IP_CALLABLE) and the consultation rate limit alike.

    It is the connection's own address (REMOTE_ADDR) unless settings.WAYMARK_TRUSTED_PROXIES
    says how many proxies of ours stand in front. Each proxy adds the address it was reached
    from to the right of X-Forwarded-For, so with N proxies the client is the N-th address from
    the right: anything further left was written by the client and proves nothing. With none
    configured the header is ignored entirely, so that a client cannot pick a new address for
    every guess. A header shorter than N, or an entry that is not an IP address, leaves the
    connection's address (a proxy of ours would have written a good one)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "WAYMARK_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote
