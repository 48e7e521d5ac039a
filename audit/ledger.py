"""Writing the audit ledger: every entry of the record, as it is written, chained and sealed.

What the ledger keeps: every row of a history table (django-simple-history's, one per change a
person makes to a tracked model) and every row of a model that says `append_only = True` (the
records of the past: revisions, decisions, transitions, reminders sent, and whatever else is
declared so). Each row added, and each removed through Django, becomes an entry, in the same
transaction as the row.

An entry holds each column's digest and a seal: HMAC-SHA256, under `settings.AUDIT_KEY`, of the
entry and the seal before it. The key lives outside the database (an environment variable or a
file), so someone who can write to the database alone can change a row but cannot make a seal
that matches. audit/verify.py reads the chain back; audit/checkpoints.py keeps its head outside.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import hmac
import json
import uuid
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .models import Entry

# Any number, the same for every process: the PostgreSQL advisory lock that puts sealing in one
# line (SQLite's writers are in one line already: config/settings.py uses IMMEDIATE).
LOCK_ID = 7_405_417_311
BATCH = 500  # entries written at a time (SQLite takes 999 values in one statement)
# The row of an entry that says only "the ledger keeps this table from here", written when a
# table begins to be kept while it is empty: it has an entry from then, so a row slipped into it
# later is never taken for one found when the ledger began.
BEGAN = "*"


def is_ledgered(model: type[models.Model]) -> bool:
    """Whether the ledger keeps this model's rows: a history table, or a record of the past."""
    if model._meta.abstract or model._meta.proxy or model is Entry:
        return False
    is_history = hasattr(model, "instance_type") and hasattr(model, "history_object")
    return is_history or bool(getattr(model, "append_only", False))


def ledgered_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if is_ledgered(model)]


def kind_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def canonical(value: Any) -> str:
    """One spelling for a column's value, however the database returns it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (float, int, uuid.UUID)):
        return repr(value) if isinstance(value, float) else str(value)
    return str(value)


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()[:32]


def columns(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def fields_of(names: list[str], values: tuple) -> dict[str, str]:
    return {name: digest(value) for name, value in zip(names, values, strict=True)}


def read_fields(model: type[models.Model], pk: Any, using: str) -> dict[str, str]:
    """The row's columns as the database holds them (not as the instance in memory spells
    them), so the digests are the ones audit/verify.py will compute."""
    names = columns(model)
    values = model._base_manager.using(using).filter(pk=pk).values_list(*names).first()
    return fields_of(names, values) if values is not None else {}


def _hmac(parts: list, key: bytes | None) -> str:
    message = json.dumps(parts, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key or settings.AUDIT_KEY, message, hashlib.sha256).hexdigest()


def own_mac(entry: Entry, key: bytes | None = None) -> str:
    """The entry's own HMAC, made as it is written: what it says of which row."""
    parts = [canonical(entry.recorded_at), entry.kind, entry.object_pk, entry.action, entry.fields]
    return _hmac(parts, key)


def seal(entry: Entry, key: bytes | None = None) -> str:
    """The entry's place in the chain: an HMAC over its number, its own HMAC and the seal of
    the entry before it."""
    return _hmac([entry.seq, entry.mac, entry.previous_seal], key)


def append(kind: str, object_pk: Any, action: str, fields: dict[str, str], using: str) -> Entry:
    """Writes one entry in the caller's transaction, and has it sealed once that commits. No
    lock is taken here, so writing the record never waits on the ledger or deadlocks with the
    rows the caller locks."""
    entry = Entry(
        recorded_at=timezone.now(),
        kind=kind,
        object_pk=str(object_pk),
        action=action,
        fields=fields,
    )
    entry.mac = own_mac(entry)
    entry.save(using=using, force_insert=True)
    _seal_on_commit(using)
    return entry


def _seal_on_commit(using: str) -> None:
    """seal_pending once the transaction commits, once however many entries it writes. It runs
    robustly: if sealing fails (the database restarting just after the commit, say), Django logs
    it and the request that wrote the record still succeeds, since the record is stored; the
    entries wait, unsealed, for the next transaction's sealing or verify_audit. (A function, not
    a callable object: Django names a failing callback by its __qualname__, and a callable
    object has none, which turned a stored decision's answer into an error.)"""
    queued = connections[using].run_on_commit
    if any(getattr(callback, "seals_the_ledger", False) for _, callback, _ in queued):
        return

    def seal_committed_entries() -> None:
        seal_pending(using)

    seal_committed_entries.seals_the_ledger = True
    transaction.on_commit(seal_committed_entries, using=using, robust=True)


def seal_pending(using: str = "default") -> int:
    """Numbers and seals, in the order they were written, the entries committed but not yet
    sealed; returns how many. Called once each transaction that wrote entries commits, and by
    verify_audit and audit_checkpoint for any left by a process that stopped in between. An
    entry whose own HMAC does not match was not written by Waymark: it is left for
    verify_audit to name."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
        entries = Entry.objects.using(using)
        pending = list(entries.filter(seq__isnull=True).order_by("id"))
        if not pending:
            return 0
        last = entries.filter(seq__isnull=False).order_by("-seq").values_list("seq", "seal")
        seq, previous = last.first() or (0, "")
        sealed = []
        for entry in pending:
            if not hmac.compare_digest(own_mac(entry), entry.mac):
                continue
            seq += 1
            entry.seq, entry.previous_seal = seq, previous
            entry.seal = previous = seal(entry)
            sealed.append(entry)
        # One statement run for each entry (executemany): bulk_update's CASE over hundreds of
        # rows costs far more once an import seals tens of thousands.
        table = connection.ops.quote_name(Entry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET seq = %s, previous_seal = %s, seal = %s WHERE id = %s",
                [(e.seq, e.previous_seal, e.seal, e.pk) for e in sealed],
            )
    return len(sealed)


def row_saved(sender, instance, created, using, rows=None, **kwargs) -> None:
    if instance is None:  # rows written in bulk, announced in one post_save
        rows_written(sender, rows, using)
        return
    action = Entry.Action.ADDED if created else Entry.Action.CHANGED
    append(kind_of(sender), instance.pk, action, read_fields(sender, instance.pk, using), using)


def rows_written(sender, rows, using) -> None:
    """Rows written in bulk and announced in one post_save with no instance and the query set
    of them (strategies/models/base.py, announce_history_written): an entry for each, read and
    written a batch at a time, in the caller's transaction."""
    names = columns(sender)
    at = names.index(sender._meta.pk.attname)
    now, batch = timezone.now(), []
    for values in rows.order_by("pk").values_list(*names).iterator(chunk_size=BATCH):
        entry = Entry(
            recorded_at=now,
            kind=kind_of(sender),
            object_pk=str(values[at]),
            action=Entry.Action.ADDED,
            fields=fields_of(names, values),
        )
        entry.mac = own_mac(entry)
        batch.append(entry)
    _insert(batch, using)
    _seal_on_commit(using)


def _insert(entries: list[Entry], using: str) -> None:
    """New entries in one statement run for each (executemany): tens of thousands at once (an
    import) cost a fraction of bulk_create's, which builds an expression for every value."""
    if not entries:
        return
    connection = connections[using]
    names = ["recorded_at", "kind", "object_pk", "action", "fields", "mac", "previous_seal", "seal"]
    fields = [Entry._meta.get_field(name) for name in names]
    table = connection.ops.quote_name(Entry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",
            [
                [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
                for entry in entries
            ],
        )


def row_removed(sender, instance, using, **kwargs) -> None:
    append(kind_of(sender), instance.pk, Entry.Action.REMOVED, {}, using)


def listen() -> None:
    """Hears every ledgered model's saves and deletions (called once, from AppConfig.ready)."""
    for model in ledgered_models():
        uid = f"audit-ledger-{kind_of(model)}"
        post_save.connect(row_saved, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(row_removed, sender=model, dispatch_uid=uid, weak=False)


def open_ledger(using: str = "default", **kwargs) -> None:
    """After `migrate`, enters every row already there ("found when the ledger began") of each
    table the ledger has no entry of at all: every table, the first time (a database from
    before the ledger, or one just created), and afterwards a table it begins to keep (a new
    history table, which its migration may have filled with the rows of the record so far). So
    the chain starts unbroken for each. A table still empty gets one entry saying it is kept
    from now (`BEGAN`), so it is never entered as found again. Rows written later without an
    entry are what verify_audit reports."""
    kept = set(Entry.objects.using(using).values_list("kind", flat=True).distinct())
    with transaction.atomic(using=using):
        now, batch = timezone.now(), []
        for model in ledgered_models():
            if kind_of(model) in kept:
                continue
            names = columns(model)
            at = names.index(model._meta.pk.attname)
            rows = model._base_manager.using(using).order_by("pk").values_list(*names)
            if not rows.exists():
                began = Entry(
                    recorded_at=now, kind=kind_of(model), object_pk=BEGAN, action=Entry.Action.FOUND
                )
                began.fields = {}
                began.mac = own_mac(began)
                batch.append(began)
                continue
            for values in rows.iterator(chunk_size=2000):
                entry = Entry(
                    recorded_at=now,
                    kind=kind_of(model),
                    object_pk=str(values[at]),
                    action=Entry.Action.FOUND,
                    fields=fields_of(names, values),
                )
                entry.mac = own_mac(entry)
                batch.append(entry)
                if len(batch) == 2000:
                    Entry.objects.using(using).bulk_create(batch)
                    batch = []
        Entry.objects.using(using).bulk_create(batch)
        seal_pending(using)
