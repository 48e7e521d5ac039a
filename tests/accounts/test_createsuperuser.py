"""`manage.py createsuperuser`, the first step of a production set-up, makes an administrator
(who belongs to no organisation), asked for interactively or not."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from strategies.models import User


@pytest.mark.django_db
def test_createsuperuser_without_questions_makes_an_administrator(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long enough passphrase 2026")
    call_command(
        "createsuperuser",
        interactive=False,
        username="root",
        email="root@example.org",
        stdout=StringIO(),
    )
    user = User.objects.get(username="root")
    assert user.is_superuser and user.is_staff
    assert user.role == User.Role.ADMINISTRATOR and user.organisation is None
    assert user.is_administrator and user.check_password("a long enough passphrase 2026")


@pytest.mark.django_db
def test_a_superuser_made_in_code_is_an_administrator_unless_given_a_role(lead_org):
    admin = User.objects.create_superuser("alex", "alex@example.org", "x" * 20)
    assert admin.role == User.Role.ADMINISTRATOR
    officer = User.objects.create_superuser(
        "olive", "olive@example.org", "x" * 20, role=User.Role.OFFICER, organisation=lead_org
    )
    assert officer.role == User.Role.OFFICER
