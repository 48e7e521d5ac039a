"""Checkpoints kept outside the database show the newest entries removed, which the chain alone
cannot (a shorter chain is still whole), and cannot be forged to match."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from audit.models import Entry
from governance.models import Decision

from .conftest import decide, tamper, verify

pytestmark = pytest.mark.django_db


def checkpoint(folder) -> str:
    call_command("audit_checkpoint", "--to", str(folder), stdout=StringIO())
    return str(next(folder.glob("*.json")))


def test_a_checkpoint_is_written_and_passes(board_gate, secretary, tmp_path):
    decide(board_gate, secretary)
    path = checkpoint(tmp_path)
    saved = json.loads(Path(path).read_text())
    assert saved["entries"] == Entry.objects.count() and saved["signature"]
    assert "against 1 checkpoint(s)" in verify("--checkpoint", path)
    assert "against 1 checkpoint(s)" in verify("--checkpoint", str(tmp_path))  # a folder


def test_the_newest_entries_and_their_rows_removed_show_against_the_checkpoint(
    strategy, officer, tmp_path, ledger_unguarded
):
    from strategies.revisions import take_revision

    take_revision(strategy, "Draft for the Board", officer)
    newest = take_revision(strategy, "Final", officer)
    path = checkpoint(tmp_path)
    seen = Entry.objects.count()
    # Someone removes the newest revision and its entry: the chain that is left is whole...
    tamper("DELETE FROM strategies_revision WHERE id = %s", [newest.pk])
    tamper("DELETE FROM audit_entry WHERE seq = %s", [seen])
    assert "Audit intact:" in verify()
    # ...but not against the checkpoint the auditor keeps.
    report = verify("--checkpoint", path)
    name = Path(path).name
    assert f"Checkpoint {name}: the ledger ends at entry {seen - 1} but the checkpoint" in report
    assert f"entries {seen} to {seen} have been removed" in report


def test_a_forged_checkpoint_is_refused(board_gate, tmp_path):
    path = checkpoint(tmp_path)
    saved = json.loads(Path(path).read_text())
    saved["entries"] -= 1
    saved["seal"] = Entry.objects.get(seq=saved["entries"]).seal
    Path(path).write_text(json.dumps(saved))
    assert "its signature does not match" in verify("--checkpoint", path)


def test_a_rewritten_entry_shows_against_the_checkpoint(board_gate, tmp_path, ledger_unguarded):
    path = checkpoint(tmp_path)
    last = Entry.objects.order_by("-seq").first()
    tamper("UPDATE audit_entry SET seal = %s WHERE seq = %s", ["0" * 64, last.seq])
    assert f"Entry {last.seq}: its seal differs from Checkpoint" in verify("--checkpoint", path)


def test_a_file_that_is_not_a_checkpoint_is_named(tmp_path, db):
    path = tmp_path / "notes.json"
    path.write_text("[1, 2]")
    assert "is not a Waymark audit checkpoint" in verify("--checkpoint", str(path))


def test_the_checkpoint_is_emailed_when_an_address_is_set(board_gate, tmp_path, settings):
    settings.AUDIT_CHECKPOINT_EMAIL = "auditor@example.org"
    checkpoint(tmp_path)
    (message,) = mail.outbox
    assert message.to == ["auditor@example.org"]
    assert f'"entries": {Entry.objects.count()}' in message.body
    assert Decision.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_record_stored_is_answered_as_stored_though_sealing_fails(monkeypatch, caplog):
    """The database can go away between a decision's commit and the ledger's sealing (the load
    test restarts it): the record is stored, so the request must not fail; the entry waits,
    unsealed, for the next sealing."""
    from django.db import OperationalError

    from audit import ledger
    from tests.factories import OrganisationFactory

    def database_gone(using="default"):
        raise OperationalError("the database system is shutting down")

    last = Entry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    monkeypatch.setattr(ledger, "seal_pending", database_gone)
    with caplog.at_level("ERROR", logger="django.db.backends.base"):
        OrganisationFactory(slug="sealed-after-all")  # its ledger entry is sealed on commit
    assert "seal_committed_entries" in caplog.text
    written = Entry.objects.filter(id__gt=last)
    assert written.exists() and not written.filter(seq__isnull=False).exists()  # not sealed
    monkeypatch.undo()
    ledger.seal_pending()
    assert not written.filter(seq__isnull=True).exists()
