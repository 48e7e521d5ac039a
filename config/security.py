"""Small pieces of the security settings that need code."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    """The address sign-in failures are counted against. Behind the production proxy (which
    sets X-Forwarded-For, trusted only when SECURE_PROXY_SSL_HEADER says a proxy is there) the
    client is the last address the proxy added; otherwise the connection's own address."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
