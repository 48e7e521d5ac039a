from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.governance.conftest import board, board_gate, decide  # noqa: F401 (fixtures)


def verify(*args: str) -> str:
    """verify_audit's report: its success line, or (when it fails, as it must) its findings."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as failure:
        return err.getvalue() + str(failure)
    return out.getvalue()


def tamper(sql: str, params=()) -> None:
    """Straight to the database, as someone with its password would, past the product."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def ledger_unguarded():
    """Lifts the database's own refusal to change ledger entries (migration audit 0002), as a
    table owner could, for the tests of what the keyed chain catches beyond it."""
    trigger_off = {
        "postgresql": "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_never_changes",
        "sqlite": "DROP TRIGGER audit_entry_never_changes",
    }
    tamper(trigger_off[connection.vendor])
    yield
    if connection.vendor == "postgresql":
        tamper("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_never_changes")
