"""Administrators read the ledger and check it from the admin; nobody can change it there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import Entry
from tests.conftest import client_for

from .conftest import decide, tamper

pytestmark = pytest.mark.django_db


def test_an_administrator_checks_the_ledger_in_the_admin(administrator, board_gate, secretary):
    decision = decide(board_gate, secretary)
    client = client_for(administrator)
    listing = client.get(reverse("admin:audit_entry_changelist"))
    assert listing.status_code == 200 and "Check the ledger now" in listing.content.decode()
    page = client.get(reverse("admin:audit_entry_check"))
    assert "Audit intact" in page.content.decode()
    tamper("UPDATE governance_decision SET resolution = 'Rejected' WHERE id = %s", [decision.pk])
    page = client.get(reverse("admin:audit_entry_check")).content.decode()
    assert "Broken: 2 problems found" in page  # the ledger, and its own hash
    assert f"decision {decision.pk} (governance.decision)" in page and "resolution" in page


def test_nobody_adds_changes_or_deletes_an_entry_in_the_admin(administrator, board_gate):
    client = client_for(administrator)
    entry = Entry.objects.first()
    assert client.get(reverse("admin:audit_entry_add")).status_code == 403
    change = reverse("admin:audit_entry_change", args=[entry.pk])
    assert client.post(change, {"kind": "x"}).status_code == 403
    delete = reverse("admin:audit_entry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Entry.objects.get(pk=entry.pk).kind == entry.kind


def test_only_administrators_reach_the_check(officer, manager):
    for person in (officer, manager):
        response = client_for(person).get(reverse("admin:audit_entry_check"))
        assert response.status_code in (302, 403)
