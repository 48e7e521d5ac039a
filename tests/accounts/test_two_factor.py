"""Optional two-factor sign-in (accounts/two_factor.py): turning it on and off, signing in
with a code, codes that are wrong, used, late or guessed at, and the administrator's way out."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from accounts import two_factor
from accounts.views import PENDING, SETUP
from strategies.models import User
from tests.conftest import client_for

PASSWORD = "correct horse battery staple"
SETTINGS = "/account/two-factor/"
SIGN_IN = "/accounts/login/"
CODE = "/accounts/login/code/"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def person(officer) -> User:
    officer.set_password(PASSWORD)
    officer.save()
    return officer


def code_at(secret: str, step_offset: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(int(time.time() // totp.interval) + step_offset)


def turned_on(user: User) -> str:
    secret = two_factor.new_secret()
    assert two_factor.turn_on(user, secret, code_at(secret, -1), "Test")
    return secret


def password_step(client: Client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    return client.post(SIGN_IN + (f"?next={next_url}" if next_url else ""), data)


def test_turning_it_on_takes_a_code_from_the_app(person):
    client = client_for(person)
    page = client.get(SETTINGS)
    assert page.status_code == 200 and "Off" in page.text
    assert 'src="data:image/svg+xml' in page.text  # the QR code, an image with a text alternative
    assert "no-store" in page["Cache-Control"]  # the key is not kept in the browser's cache
    secret = client.session[SETUP]
    assert two_factor.spaced(secret) in page.text  # the key, for typing in by hand
    wrong = client.post(SETTINGS, {"password": PASSWORD, "code": "12 34 5x"})
    assert "Enter the six digits" in wrong.text and "12 34 5x" in wrong.text
    stale = client.post(SETTINGS, {"password": PASSWORD, "code": code_at(secret, -5)})
    assert "That code does not match" in stale.text
    # A session left signed in is not enough: the password is asked for again.
    no_password = client.post(SETTINGS, {"password": "guess", "code": code_at(secret)})
    assert "That is not your password." in no_password.text
    person.refresh_from_db()
    assert not person.two_factor
    done = client.post(SETTINGS, {"password": PASSWORD, "code": code_at(secret)}, follow=True)
    assert "Two-factor sign-in is on" in done.text
    person.refresh_from_db()
    assert person.two_factor and person.two_factor_secret == secret
    record = person.history.first()
    assert record.two_factor and record.history_change_reason == "Two-factor sign-in turned on"
    # The history holds that it is on, never the secret.
    history_fields = {f.name for f in type(record)._meta.fields}
    assert "two_factor_secret" not in history_fields
    assert "two_factor_last_step" not in history_fields


def test_signing_in_needs_the_code_after_the_password(person):
    secret = turned_on(person)
    client = Client()
    first = password_step(client, person.username, next_url="/timeline/")
    assert first.status_code == 302 and first.url == CODE
    assert "_auth_user_id" not in client.session  # not signed in yet
    assert client.get("/timeline/").status_code == 302  # still sent to sign in
    page = client.get(CODE)
    assert page.status_code == 200 and "autofocus" in page.text
    done = client.post(CODE, {"code": code_at(secret)})
    assert done.status_code == 302 and done.url == "/timeline/"
    assert client.get("/timeline/").status_code == 200
    assert PENDING not in client.session


def test_people_without_it_sign_in_with_the_password_alone(person):
    client = Client()
    answer = password_step(client, person.username)
    assert answer.status_code == 302 and answer.url != CODE
    assert client.get("/timeline/").status_code == 200


def test_a_code_works_once(person):
    secret = turned_on(person)
    code = code_at(secret, 1)  # the next step's code: not yet used
    first = Client()
    password_step(first, person.username)
    assert first.post(CODE, {"code": code}).status_code == 302
    again = Client()
    password_step(again, person.username)
    refused = again.post(CODE, {"code": code})
    assert refused.status_code == 200 and "has been used" in refused.text
    assert "_auth_user_id" not in again.session


def test_wrong_codes_count_towards_the_sign_in_pause(person):
    turned_on(person)
    client = Client()
    password_step(client, person.username)
    for _ in range(4):
        answer = client.post(CODE, {"code": "000000"})
        assert answer.status_code == 200 and "not right" in answer.text
        assert "000000" in answer.text  # what was typed stays beside the message
    locked = client.post(CODE, {"code": "000000"})
    assert locked.status_code == 429
    # The password alone no longer gets anyone further, nor does a right code.
    again = Client()
    assert password_step(again, person.username).status_code == 429


def test_a_pending_sign_in_opened_before_the_pause_gets_no_more_guesses(person):
    """Passwords typed rightly record no failure, so sessions waiting for a code could be opened
    in advance: once sign-in is paused, none of them is heard, not even with a right code."""
    secret = turned_on(person)
    waiting = Client()
    password_step(waiting, person.username)
    guesser = Client()
    password_step(guesser, person.username)
    for _ in range(5):
        guesser.post(CODE, {"code": "000000"})
    answer = waiting.post(CODE, {"code": code_at(secret, 1)})
    assert answer.status_code == 429
    assert "_auth_user_id" not in waiting.session


def test_wrong_codes_from_anywhere_pause_the_codes(person, settings):
    """Axes counts per account and address; the account's own count of wrong codes in a row
    holds across sessions and addresses."""
    settings.AXES_ENABLED = False  # as if each guess came from a new address
    secret = turned_on(person)
    for attempt in range(1, two_factor.FAILURE_LIMIT + 1):
        client = Client(REMOTE_ADDR=f"10.0.0.{attempt}")
        password_step(client, person.username)
        answer = client.post(CODE, {"code": "000000"})
        # The last wrong code is answered with the pause itself.
        assert answer.status_code == (429 if attempt == two_factor.FAILURE_LIMIT else 200)
    last = Client(REMOTE_ADDR="10.0.1.1")
    password_step(last, person.username)
    answer = last.post(CODE, {"code": code_at(secret, 1)})
    assert answer.status_code == 429 and "_auth_user_id" not in last.session
    person.refresh_from_db()
    assert person.two_factor_failures == two_factor.FAILURE_LIMIT


def test_while_codes_are_paused_two_factor_cannot_be_turned_off_either(person):
    """Guessing codes on the settings page counts too, and a pause holds there as well."""
    secret = turned_on(person)
    client = client_for(person)
    for _ in range(two_factor.FAILURE_LIMIT):
        client.post(SETTINGS, {"password": PASSWORD, "code": "000000"})
    assert client.get(SETTINGS).status_code == 429
    client.post(SETTINGS, {"password": PASSWORD, "code": code_at(secret, 1)})
    person.refresh_from_db()
    assert person.two_factor


def test_a_right_code_clears_the_count_of_wrong_ones(person):
    secret = turned_on(person)
    client = Client()
    password_step(client, person.username)
    client.post(CODE, {"code": "000000"})
    person.refresh_from_db()
    assert person.two_factor_failures == 1
    client.post(CODE, {"code": code_at(secret, 1)})
    person.refresh_from_db()
    assert person.two_factor_failures == 0 and person.two_factor_failed_at is None


def test_the_code_must_follow_the_password_within_five_minutes(person, monkeypatch):
    secret = turned_on(person)
    client = Client()
    password_step(client, person.username)
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    answer = client.post(CODE, {"code": code_at(secret)}, follow=True)
    assert answer.redirect_chain[-1][0] == SIGN_IN
    assert "within 5 minutes" in answer.text
    assert "_auth_user_id" not in client.session


def test_the_code_page_without_a_password_sends_you_to_sign_in(db):
    answer = Client().get(CODE)
    assert answer.status_code == 302 and answer.url == SIGN_IN


def test_turning_it_off_takes_a_current_code_and_a_reason_goes_in_the_history(person):
    secret = turned_on(person)
    client = client_for(person)
    page = client.get(SETTINGS)
    assert "On" in page.text and "Turn two-factor sign-in off" in page.text
    refused = client.post(SETTINGS, {"password": PASSWORD, "code": "000000", "reason": "New phone"})
    assert "not right" in refused.text and "New phone" in refused.text
    wrong_password = client.post(
        SETTINGS, {"password": "guess", "code": code_at(secret, 1), "reason": "New phone"}
    )
    assert "That is not your password." in wrong_password.text
    person.refresh_from_db()
    assert person.two_factor
    client.post(SETTINGS, {"password": PASSWORD, "code": code_at(secret, 1), "reason": "New phone"})
    person.refresh_from_db()
    assert not person.two_factor and person.two_factor_secret == ""
    assert person.history.first().history_change_reason == "New phone"


def test_an_administrator_turns_it_off_for_a_lost_phone(person, administrator):
    turned_on(person)
    client = client_for(administrator)
    answer = client.post(
        "/admin/strategies/user/",
        {"action": "turn_off_two_factor", ACTION_CHECKBOX_NAME: [person.pk]},
        follow=True,
    )
    assert "Turned off two-factor sign-in for" in answer.text
    person.refresh_from_db()
    assert not person.two_factor
    record = person.history.first()
    assert record.history_user == administrator
    assert "administrator" in record.history_change_reason
    # Now the password alone signs them in.
    assert password_step(Client(), person.username).url != CODE


def test_the_admin_signs_in_through_waymarks_page(db):
    answer = Client().get("/admin/login/?next=/admin/")
    assert answer.status_code == 302 and answer.url == "/accounts/login/?next=/admin/"


def test_someone_signed_in_who_is_not_an_administrator_is_told_so_not_sent_round(officer):
    from tests.conftest import client_for

    answer = client_for(officer).get("/admin/", follow=True)
    assert answer.status_code == 403
    assert "The Django admin is for administrators." in answer.text
    assert len(answer.redirect_chain) == 1  # /admin/ to its sign-in page, and no further


def test_an_administrator_at_the_admins_sign_in_page_goes_to_the_admin(administrator):
    from tests.conftest import client_for

    answer = client_for(administrator).get("/admin/login/?next=/admin/")
    assert answer.status_code == 302 and answer.url == "/admin/"


def test_codes_allow_one_step_of_clock_drift():
    secret = pyotp.random_base32()
    now = time.time()
    totp = pyotp.TOTP(secret)
    step = int(now // totp.interval)
    for offset, accepted in [(0, True), (-1, True), (1, True), (-2, False), (2, False)]:
        code = totp.generate_otp(step + offset)
        assert (two_factor.matching_step(secret, code, now) is not None) is accepted, offset
    assert two_factor.matching_step(secret, "12345", now) is None
    assert two_factor.matching_step(secret, "١٢٣٤٥٦", now) is None  # digits, but not ASCII
    assert two_factor.matching_step("", totp.generate_otp(step), now) is None
