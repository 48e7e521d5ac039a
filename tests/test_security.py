"""Sign-in protection, security headers and production settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_repeated_failures_lock_the_account_out_from_that_address(client, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, officer.username, "wrong password")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.text
    response = sign_in(client, officer.username, "wrong password")
    assert response.status_code == 429
    assert "Sign-in paused" in response.text
    # even the right password is refused while locked out
    assert sign_in(client, officer.username, PASSWORD).status_code == 429
    # from another address the person can still sign in
    assert sign_in(client, officer.username, PASSWORD, address="10.0.0.2").status_code == 302


def test_a_success_resets_the_count(client, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, officer.username, "wrong password")
    assert sign_in(client, officer.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, officer.username, "wrong password").status_code == 200


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, officer):
    """The session outlives nothing: the user is loaded afresh (with their organisation) on
    each request, and an account switched off is no longer signed in."""
    assert sign_in(client, officer.username, PASSWORD).status_code == 302
    page = client.get("/")
    assert page.status_code == 200 and officer.organisation.display_name in page.text
    officer.is_active = False
    officer.save()
    response = client.get("/strategies/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_behind_the_proxy_the_forwarded_address_counts(rf, settings):
    from config.security import client_ip

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.1.1.1")
    assert client_ip(request) == "127.0.0.1"  # no proxy configured: the header is not trusted
    settings.WAYMARK_TRUSTED_PROXIES = 1
    assert client_ip(request) == "10.1.1.1"  # the address the proxy itself added
    # (tests/test_client_address.py has the rest of the rule)


@pytest.mark.parametrize("password", ["short1!", "password12345", "123456789012"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_unusual_password_is_accepted():
    validate_password("harbour-lantern-quietly-87")


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/consult/"])
def test_security_headers_on_pages(client, db, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hsts_and_secure_cookies_in_production_settings():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT)"
    )
    out = _production("shell", "--no-imports", "-c", code)
    assert out.stdout.split() == ["31536000", "True", "True", "True"]


def test_check_deploy_is_clean_under_production_settings():
    result = _production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def _production(*args):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-test-key-" + "y" * 30,
        "DJANGO_ALLOWED_HOSTS": "waymark.example.org",
        "DJANGO_DEBUG": "0",
        "WAYMARK_AUDIT_KEY": "z" * 40,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style[\s>]", re.I), "a <style> block"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "an inline event handler"),
]


def test_no_template_has_inline_script_or_style():
    """The policy forbids them, so a template that used them would break in the browser."""
    problems = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        if "emails" in template.parts:  # email bodies are not served pages
            continue
        text = template.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{template.relative_to(ROOT)}:{line}: {what}")
    assert not problems, "\n".join(problems)
