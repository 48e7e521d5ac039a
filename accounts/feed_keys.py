"""A person's calendar feed secret: the key in their feed address (`User.calendar_token`), for
calendar clients, which cannot sign in. Resetting it makes the old address stop working at
once; the secret itself never enters the history, the time of the reset does."""

from __future__ import annotations

import re
import secrets

from django.contrib.auth import get_user_model
from django.utils import timezone

# secrets.token_urlsafe(32) gives 43 characters; anything unlike a token is refused unread.
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def reset_feed_key(user, reason: str) -> str:
    """Give `user` a new feed secret (the first one, or a replacement): any address with the
    old secret stops working at once. Returns the new secret."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.calendar_token_reset_at = timezone.now()
    user._change_reason = reason
    user.save(update_fields=["calendar_token", "calendar_token_reset_at"])
    return user.calendar_token


def feed_user(key: str) -> object | None:
    """The active user whose feed secret is `key`, or None (for a missing, malformed, reset or
    unknown secret alike, so that an answer never tells which)."""
    if not KEY_PATTERN.fullmatch(key or ""):
        return None
    user = (
        get_user_model().objects.filter(calendar_token=key).select_related("organisation").first()
    )
    if user is None or not user.is_active or not secrets.compare_digest(user.calendar_token, key):
        return None
    return user
