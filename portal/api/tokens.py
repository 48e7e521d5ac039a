"""API tokens: made, revoked and checked here only (the token pages, the API's authentication
and the tests all come through these functions).

A token reads "wmk_<prefix>_<secret>": the prefix finds its row, and the secret, 32 random
bytes, is compared by its SHA-256. A random secret of that length needs no slow password hash
(nothing to guess from a dictionary), and SHA-256 lets every request be checked in one query.
The token itself is returned once, by `create_token`, and kept nowhere.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from strategies.models import User

from ..models import ApiToken

SCHEME = "wmk"
TOKEN_PATTERN = re.compile(rf"{SCHEME}_(?P<prefix>[0-9a-f]{{12}})_(?P<secret>[A-Za-z0-9_-]{{43}})")
# How often the time of last use is written: a reporting tool reads page after page, and one
# write a minute says as much as one a request.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, name: str, expires_on: datetime.date | None = None):
    """A new token for `user`: returns the row and the token, which is shown to them once."""
    prefix = secrets.token_hex(6)
    while ApiToken.objects.filter(prefix=prefix).exists():  # 2^48 prefixes: all but never
        prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=prefix,
        secret_sha256=_sha256(secret),
        expires_on=expires_on,
    )
    token._change_reason = "API token created"
    token.save()
    return token, f"{SCHEME}_{prefix}_{secret}"


def revoke_token(token: ApiToken, by: User) -> bool:
    """Stops `token` working at once. Only its own person revokes it (the token pages find it
    among theirs). Returns whether it changed (revoking twice changes nothing)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return False
        token.revoked_at = timezone.now()
        token._change_reason = f"API token revoked by {by.display_name}"
        token.save(update_fields=["revoked_at"])
    return True


@dataclass(frozen=True)
class Refusal:
    """Why a token was refused: said in the 401's message, to whoever holds the token."""

    message: str


NO_TOKEN = Refusal(
    "This address needs an API token: send it in the Authorization header as "
    "“Bearer wmk_…”. Create one on your API tokens page in Waymark (/account/api-tokens/)."
)
UNKNOWN = Refusal("This API token is not valid.")


def check_token(raw: str, today: datetime.date | None = None) -> ApiToken | Refusal:
    """The token `raw` names, with its person, if it may read now; otherwise why not. A
    malformed or unknown token, or one whose person can no longer sign in, is refused alike."""
    match = TOKEN_PATTERN.fullmatch(raw.strip())
    if match is None:
        return UNKNOWN
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(prefix=match["prefix"])
        .first()
    )
    if token is None or not secrets.compare_digest(token.secret_sha256, _sha256(match["secret"])):
        return UNKNOWN
    if not token.user.is_active:
        return UNKNOWN
    if token.is_revoked:
        return Refusal("This API token was revoked.")
    if token.is_expired(today):
        return Refusal(f"This API token expired at the end of {token.expires_on:%Y-%m-%d}.")
    _note_use(token)
    return token


def _note_use(token: ApiToken) -> None:
    """Keeps the time of last use, at most once a minute. Not a change a person makes, so it
    writes no history (the column is left out of it)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    token.last_used_at = now
    token.skip_history_when_saving = True
    try:
        token.save(update_fields=["last_used_at"])
    finally:
        del token.skip_history_when_saving
