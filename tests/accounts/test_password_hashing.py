"""Passwords are stored with Argon2id (config/settings.py PASSWORD_HASHERS, decision 0039); one
stored earlier with PBKDF2 still signs in, and is stored again with Argon2 as it does."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import get_hasher, identify_hasher, make_password

import config.settings as project_settings
from strategies.models import User

PASSWORD = "correct horse battery staple"


@pytest.fixture
def real_hashers(settings):
    """The project's hashers, not the tests' fast one (tests/conftest.py)."""
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def test_new_passwords_are_stored_with_argon2id(real_hashers, officer):
    officer.set_password(PASSWORD)
    officer.save()
    officer.refresh_from_db()
    assert officer.password.startswith("argon2$argon2id$")
    assert identify_hasher(officer.password).algorithm == "argon2"
    assert officer.check_password(PASSWORD) and not officer.check_password("wrong")


def test_a_password_stored_with_pbkdf2_signs_in_and_is_stored_again_with_argon2(
    real_hashers, officer, client
):
    pbkdf2 = make_password(PASSWORD, hasher=get_hasher("pbkdf2_sha256"))
    User.objects.filter(pk=officer.pk).update(password=pbkdf2)  # as stored before the change

    answer = client.post("/accounts/login/", {"username": officer.username, "password": PASSWORD})

    assert answer.status_code == 302  # signed in
    officer.refresh_from_db()
    assert officer.password.startswith("argon2$argon2id$")
    assert officer.check_password(PASSWORD)
    # The audit history never holds the password, old or new.
    assert "password" not in {field.name for field in officer.history.model._meta.fields}


def test_a_wrong_password_leaves_the_stored_one_as_it_was(real_hashers, officer, client):
    pbkdf2 = make_password(PASSWORD, hasher=get_hasher("pbkdf2_sha256"))
    User.objects.filter(pk=officer.pk).update(password=pbkdf2)

    answer = client.post("/accounts/login/", {"username": officer.username, "password": "wrong"})

    assert answer.status_code == 200 and "_auth_user_id" not in client.session
    officer.refresh_from_db()
    assert officer.password == pbkdf2
