"""verify_audit names every kind of tampering with the record, made straight in the database
(past the product, which refuses all of them): each test changes one thing and checks the report
names the broken entry, what kind of row it is and what does not match."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import connection

from audit import ledger
from audit.models import Entry
from governance import workflow
from governance.models import Decision, Gate, Purpose, Transition
from governance.workflow import decision_hash
from strategies.models import Revision, Strategy

from .conftest import decide, tamper, verify

pytestmark = pytest.mark.django_db


def entry_for(model, pk) -> Entry:
    return Entry.objects.filter(kind=model._meta.label_lower, object_pk=str(pk)).last()


def test_an_intact_record_passes(board_gate, secretary):
    decide(board_gate, secretary)
    report = verify()
    assert "Audit intact:" in report
    assert f"{Entry.objects.count()} ledger entries checked" in report


@pytest.mark.parametrize(
    "column, value",
    [("label", "Quietly relabelled"), ("created_by_id", None), ("created_at", "2001-01-01")],
)
def test_a_revisions_label_author_or_date_changed_is_named(board_gate, secretary, column, value):
    revision = decide(board_gate, secretary).revision
    tamper(f"UPDATE strategies_revision SET {column} = %s WHERE id = %s", [value, revision.pk])
    report = verify()
    entry = entry_for(Revision, revision.pk)
    assert f"Entry {entry.seq}: revision {revision.pk} (strategies.revision)" in report
    assert f"{column} changed outside Waymark" in report


def test_a_revisions_content_changed_is_named_by_the_ledger_and_its_hash(board_gate, secretary):
    revision = decide(board_gate, secretary).revision
    content = {**revision.content, "strategy": {**revision.content["strategy"], "vision": "X"}}
    tamper(
        "UPDATE strategies_revision SET content = %s WHERE id = %s",
        [json.dumps(content), revision.pk],
    )
    report = verify()
    assert "content changed outside Waymark" in report
    assert "its content does not match its hash" in report


def test_the_newest_decision_deleted_is_named(strategy, board, officer, secretary):
    first = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    second = workflow.add_gate(strategy, board, Purpose.NOTE, officer, [first])
    decide(first, secretary)
    newest = decide(second, secretary, "noted", days_ago=0)
    tamper("DELETE FROM governance_decision WHERE id = %s", [newest.pk])
    report = verify()
    entry = entry_for(Decision, newest.pk)
    assert f"Entry {entry.seq}: decision {newest.pk} (governance.decision) is missing" in report
    assert "deleted outside Waymark" in report


def test_all_of_a_strategys_decisions_deleted_are_each_named(strategy, board, officer, secretary):
    first = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    second = workflow.add_gate(strategy, board, Purpose.NOTE, officer, [first])
    decisions = [decide(first, secretary), decide(second, secretary, "noted", days_ago=0)]
    tamper("DELETE FROM governance_decision WHERE gate_id IN (%s, %s)", [first.pk, second.pk])
    report = verify()
    for decision in decisions:
        assert f"decision {decision.pk} (governance.decision) is missing" in report


def test_a_revision_deleted_is_named(strategy, officer):
    from strategies.revisions import take_revision

    revision = take_revision(strategy, "For the record", officer)
    tamper("DELETE FROM strategies_revision WHERE id = %s", [revision.pk])
    assert f"revision {revision.pk} (strategies.revision) is missing" in verify()


def test_a_history_row_rewritten_is_named(strategy, officer):
    strategy.vision = "A healthier borough"
    strategy._history_user = officer
    strategy.save()
    row = strategy.history.latest()
    tamper(
        "UPDATE strategies_historicalstrategy SET vision = %s, history_user_id = NULL "
        "WHERE history_id = %s",
        ["Something nobody wrote", row.history_id],
    )
    report = verify()
    entry = entry_for(Strategy.history.model, row.history_id)
    assert f"Entry {entry.seq}: historical strategy {row.history_id}" in report
    assert "history_user_id, vision changed outside Waymark" in report


def test_a_history_row_deleted_is_named(strategy, officer):
    strategy.vision = "A healthier borough"
    strategy.save()
    row = strategy.history.latest()
    tamper("DELETE FROM strategies_historicalstrategy WHERE history_id = %s", [row.history_id])
    report = verify()
    assert (
        f"historical strategy {row.history_id} (strategies.historicalstrategy) is missing" in report
    )


def test_a_history_row_added_outside_waymark_is_named(strategy):
    row = strategy.history.earliest()
    columns = [f.column for f in type(row)._meta.concrete_fields if f.column != "history_id"]
    names = ", ".join(columns)
    tamper(
        f"INSERT INTO strategies_historicalstrategy ({names}) "
        f"SELECT {names} FROM strategies_historicalstrategy WHERE history_id = %s",
        [row.history_id],
    )
    assert "(strategies.historicalstrategy): it has no ledger entry: added outside" in verify()


def test_a_transition_rewritten_is_named(board_gate, secretary):
    decide(board_gate, secretary)
    moved = Transition.objects.filter(gate=board_gate).last()
    tamper("UPDATE governance_transition SET to_state = 'rejected' WHERE id = %s", [moved.pk])
    report = verify()
    entry = entry_for(Transition, moved.pk)
    assert f"Entry {entry.seq}: transition {moved.pk} (governance.transition)" in report
    assert "to_state changed outside Waymark" in report


def test_a_gate_flipped_to_passed_is_named(board_gate):
    tamper("UPDATE governance_gate SET state = 'passed' WHERE id = %s", [board_gate.pk])
    report = verify()
    assert f"gate {board_gate.pk} (governance.gate): state differ from its latest history" in report


def test_a_decision_rewritten_with_its_chain_recomputed_is_named(board_gate, secretary):
    decision = decide(board_gate, secretary)
    decision.resolution = "Rejected, actually."
    rehashed = decision_hash(decision)  # the decisions' own chain agrees with the rewrite...
    tamper(
        "UPDATE governance_decision SET resolution = %s, record_hash = %s WHERE id = %s",
        [decision.resolution, rehashed, decision.pk],
    )
    report = verify()
    assert "does not match its hash" not in report
    entry = entry_for(Decision, decision.pk)  # ...but not the ledger
    assert f"Entry {entry.seq}: decision {decision.pk} (governance.decision)" in report
    assert "record_hash, resolution changed outside Waymark" in report


def test_a_ledger_rewritten_and_resealed_without_the_key_is_caught(
    board_gate, secretary, ledger_unguarded
):
    """Someone rewrites a decision and its entry, and seals the chain again from there on as
    best they can without the key: with a key of their own, and with a plain hash."""
    decision = decide(board_gate, secretary)
    ledger.seal_pending()
    tamper("UPDATE governance_decision SET resolution = 'Rejected' WHERE id = %s", [decision.pk])
    target = entry_for(Decision, decision.pk)
    fields = ledger.read_fields(Decision, decision.pk, "default")
    previous = Entry.objects.get(seq=target.seq - 1).seal
    for entry in Entry.objects.filter(seq__gte=target.seq).order_by("seq"):
        entry.previous_seal = previous
        if entry.seq == target.seq:
            entry.fields = fields
        if entry.seq % 2:
            entry.mac = ledger.own_mac(entry, key=b"a guess at the key")
            sealed = ledger.seal(entry, key=b"a guess at the key")
        else:
            entry.mac = hashlib.sha256(json.dumps(entry.fields).encode()).hexdigest()
            sealed = hashlib.sha256((entry.mac + previous).encode()).hexdigest()
        Entry.objects.filter(pk=entry.pk).update(
            fields=entry.fields, mac=entry.mac, previous_seal=previous, seal=sealed
        )
        previous = sealed
    report = verify()
    assert "changed outside Waymark" not in report  # the rows now agree with the entries...
    named = f"Entry {target.seq} (governance.decision {decision.pk}, added)"
    assert f"{named}: its own HMAC does not match" in report  # ...but not with the key
    assert f"{named}: its seal does not match" in report


def test_an_entry_forged_for_a_row_added_outside_waymark_is_named(strategy, ledger_unguarded):
    row = strategy.history.earliest()
    history = type(row)
    names = [f.column for f in history._meta.concrete_fields if f.column != "history_id"]
    listed = ", ".join(names)
    tamper(
        f"INSERT INTO strategies_historicalstrategy ({listed}) "
        f"SELECT {listed} FROM strategies_historicalstrategy WHERE history_id = %s",
        [row.history_id],
    )
    added = history.objects.order_by("-history_id").first()
    forged = Entry(
        recorded_at=row.history_date,
        kind="strategies.historicalstrategy",
        object_pk=str(added.history_id),
        action="added",
        fields=ledger.read_fields(history, added.history_id, "default"),
    )
    forged.mac = ledger.own_mac(forged, key=b"not the key")
    forged.save()
    report = verify()
    assert f"Entry not yet sealed (id {forged.pk})" in report
    assert "its own HMAC does not match" in report
    assert ledger.seal_pending() == 0  # and it is never sealed into the chain


def test_a_ledger_entry_deleted_is_named(board_gate, secretary, ledger_unguarded):
    decide(board_gate, secretary)
    ledger.seal_pending()
    middle = Entry.objects.exclude(object_pk=ledger.BEGAN).order_by("seq")[3]  # a row's
    tamper("DELETE FROM audit_entry WHERE seq = %s", [middle.seq])
    report = verify()
    assert f"Entry {middle.seq + 1} " in report
    assert f"entry {middle.seq} before it are missing from the ledger" in report
    assert f"{middle.kind.split('.')[1].removeprefix('historical')}" in report  # its row shows


def test_a_removal_through_waymark_is_recorded_and_passes(strategy, officer):
    from strategies import editing
    from strategies.models import Priority

    priority = editing.add_item(Priority(strategy=strategy, position=1, title="Start well"))
    editing.delete_item(priority, "Merged into another priority")
    assert "Audit intact:" in verify()
    assert Entry.objects.filter(
        action=Entry.Action.ADDED, kind="strategies.historicalpriority"
    ).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger refusing DELETE is PostgreSQL's"
)
@pytest.mark.parametrize(
    "statement", ["UPDATE audit_entry SET kind = 'x'", "DELETE FROM audit_entry"]
)
def test_postgresql_refuses_to_change_or_delete_a_ledger_entry(board_gate, statement):
    from django.db import DatabaseError, transaction

    assert Entry.objects.exists()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        tamper(statement)


def test_sqlite_refuses_to_change_a_ledger_entry(board_gate):
    from django.db import DatabaseError, transaction

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's trigger is tested above")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        tamper("UPDATE audit_entry SET kind = 'x'")


def test_the_product_refuses_to_change_or_delete_an_entry(board_gate):
    entry = Entry.objects.first()
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    assert Gate.objects.filter(pk=board_gate.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_entries_are_sealed_in_order_once_their_transaction_commits(board_gate, secretary):
    before = Entry.objects.filter(seq__isnull=False).count()
    decide(board_gate, secretary)
    sealed = list(Entry.objects.order_by("seq").values_list("seq", flat=True))
    assert None not in sealed and sealed == list(range(1, len(sealed) + 1))
    assert len(sealed) > before
    assert "waiting" not in verify()


def test_an_entry_of_a_transaction_rolled_back_goes_with_it(strategy, officer):
    from django.db import transaction

    count = Entry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        strategy.vision = "Never kept"
        strategy.save()
        assert Entry.objects.count() > count
        raise RuntimeError
    assert Entry.objects.count() == count


def test_an_entry_copied_into_the_ledger_is_named_as_replayed(board_gate):
    """Were the table's unique constraint on the entries' own HMACs dropped (as its owner could),
    a copy of an earlier entry would carry a valid HMAC: verify names it as a copy."""
    from audit.verify import Finding, check_chain

    ledger.seal_pending()
    first = Entry.objects.order_by("seq").first()
    copy = Entry(**{f.attname: getattr(first, f.attname) for f in Entry._meta.concrete_fields})
    copy.pk, copy.seq = 10_000, None
    entries = [*Entry.objects.order_by("seq"), copy]
    findings = [item for item in check_chain(entries) if isinstance(item, Finding)]
    assert [str(f) for f in findings] == [
        f"Entry not yet sealed (id 10000) ({first.kind} {first.object_pk}, {first.action}): it "
        f"is a copy of Entry {first.seq} ({first.kind} {first.object_pk}, {first.action}): "
        "replayed"
    ]


def _priority_history_written_as_a_migration_would(strategy):
    """A priority and its history row, with no ledger entry (no signal, as a migration writes)."""
    from strategies.models import Priority

    priority = Priority(strategy=strategy, title="Carers", position=1)
    priority.skip_history_when_saving = True
    priority.save()
    history = Priority.history.model
    history.objects.bulk_create(
        [
            history(
                **{f.attname: getattr(priority, f.attname) for f in history.tracked_fields},
                history_date=strategy.created_at,
                history_type="+",
                history_change_reason="On record before priorities kept a history",
            )
        ]
    )
    return history


def test_a_table_the_ledger_begins_to_keep_starts_its_chain_at_migrate(strategy, monkeypatch):
    """A new history table, which its migration may fill with the record so far, has no entry
    at all: after `migrate` the ledger enters its rows as found, and leaves the rest be."""
    history = _priority_history_written_as_a_migration_would(strategy)
    # As if the table were new: a kind the ledger has never kept.
    new_kind = "strategies.historicalpriority-new"
    real_kind_of = ledger.kind_of
    monkeypatch.setattr(ledger, "kind_of", lambda m: new_kind if m is history else real_kind_of(m))
    others = Entry.objects.count()
    ledger.open_ledger()
    found = Entry.objects.filter(kind=new_kind)
    assert found.count() == 1 and found.get().action == Entry.Action.FOUND
    assert Entry.objects.count() == others + 1


def test_a_row_slipped_into_a_kept_empty_table_is_never_taken_as_found(strategy):
    """Every table the ledger keeps has an entry from the first migrate (its rows, or one saying
    it is kept from then), so a later `migrate` does not bless a row written past Waymark."""
    kind = "strategies.historicalpriority"
    assert Entry.objects.filter(kind=kind, object_pk=ledger.BEGAN).exists()
    _priority_history_written_as_a_migration_would(strategy)
    ledger.open_ledger()
    assert not Entry.objects.filter(kind=kind).exclude(object_pk=ledger.BEGAN).exists()
    assert "it has no ledger entry" in verify()
