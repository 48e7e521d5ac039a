"""Optional two-factor sign-in: after the password, a six-digit code from an authenticator app
(time-based one-time passwords, RFC 6238, as Microsoft Authenticator, Google Authenticator and
most password managers make them).

A person turns it on for themselves at `/account/two-factor/` by scanning a QR code and typing
the code their app then shows; they turn it off with a current code. An administrator can turn
it off for someone who has lost their phone (an admin action). Whether it is on is in the
person's history with who changed it and why; the shared secret never is. Each code works
once: the time step of the last code used is kept, and that code or an earlier one is refused.
Wrong codes count twice over: with wrong passwords, per account and address (django-axes), and
per account from anywhere: after `FAILURE_LIMIT` in a row, codes are refused for the lockout
time whoever sends them, so knowing the password is not enough to try codes without end.
"""

from __future__ import annotations

import datetime
import hmac
import time

import pyotp
import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone

User = get_user_model()

ISSUER = "Waymark"
# Codes from the step before and after the current one are accepted: phone clocks drift.
DRIFT_STEPS = 1
# Wrong codes in a row (from any session or address) before codes pause for the lockout time.
FAILURE_LIMIT = 10
# How long after the password the code may come.
CODE_WITHIN = datetime.timedelta(minutes=5)


def new_secret() -> str:
    return pyotp.random_base32()


def setup_address(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_code(address: str) -> str:
    """The QR code of `address` as a data: URI of an SVG image (no script, no inline style)."""
    return segno.make(address, error="m").svg_data_uri(scale=5, border=2)


def spaced(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code `code` is (allowing for drift), or None if it is none of them."""
    code = "".join(str(code).split())
    if not secret or len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    step = int(now // totp.interval)
    for candidate in [step, *range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1)]:
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def paused(user: User) -> bool:
    """Whether codes are refused for `user` after too many wrong ones in a row."""
    user.refresh_from_db(fields=["two_factor_failures", "two_factor_failed_at"])
    if user.two_factor_failures < FAILURE_LIMIT or user.two_factor_failed_at is None:
        return False
    pause = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return timezone.now() < user.two_factor_failed_at + pause


def use_code(user: User, code: str, now: float | None = None) -> bool:
    """Whether `code` is a valid code of `user`'s not used before (and codes are not paused).
    Using it records its step in the database in one statement, so the same code cannot get in
    twice, even at once; a wrong one is counted."""
    if not user.two_factor or paused(user):
        return False
    step = matching_step(user.two_factor_secret, code, now)
    if step is not None:
        fresh = Q(two_factor_last_step__isnull=True) | Q(two_factor_last_step__lt=step)
        if User.objects.filter(Q(pk=user.pk) & fresh).update(
            two_factor_last_step=step, two_factor_failures=0, two_factor_failed_at=None
        ):
            user.two_factor_last_step = step
            return True
    User.objects.filter(pk=user.pk).update(
        two_factor_failures=F("two_factor_failures") + 1, two_factor_failed_at=timezone.now()
    )
    return False


def turn_on(user: User, secret: str, code: str, reason: str = "") -> bool:
    """Turn two-factor sign-in on with `secret`, if `code` shows the app has it. False if not."""
    step = matching_step(secret, code)
    if step is None:
        return False
    user.two_factor, user.two_factor_secret, user.two_factor_last_step = True, secret, step
    user._change_reason = reason or "Two-factor sign-in turned on"
    user.save(update_fields=["two_factor", "two_factor_secret", "two_factor_last_step"])
    return True


def turn_off(user: User, reason: str) -> None:
    user.two_factor, user.two_factor_secret, user.two_factor_last_step = False, "", None
    user.two_factor_failures, user.two_factor_failed_at = 0, None
    user._change_reason = reason
    user.save(
        update_fields=[
            "two_factor",
            "two_factor_secret",
            "two_factor_last_step",
            "two_factor_failures",
            "two_factor_failed_at",
        ]
    )
