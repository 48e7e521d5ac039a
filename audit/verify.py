"""Reading the audit ledger back: what `manage.py verify_audit` reports.

Four checks, each naming what it finds:
1. the chain: entries numbered 1, 2, 3… without a gap, each sealed (under the key) over itself
   and the seal before it: an entry deleted, inserted, rewritten, or re-sealed without the key;
2. the rows: every ledgered row is as its last entry recorded it, none is missing, and none is
   there without an entry: a row rewritten, deleted or added outside Waymark;
3. the live rows: every tracked row matches its latest history row, so a change made to the
   table itself (a gate flipped to passed) shows although it left no history;
4. the records' own checks: a model may offer `audit_findings()` (revisions compare their
   content with its hash, decisions their hash chain), which are run too.
A checkpoint (audit/checkpoints.py) adds a fifth: the ledger still holds the entry it names,
with the same seal, so removing the newest entries shows.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import F

from . import ledger
from .models import Entry


@dataclass
class Finding:
    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


@dataclass
class Recorded:
    label: str
    action: str
    fields: dict[str, str]


def name(model: type[models.Model], pk) -> str:
    return f"{model._meta.verbose_name} {pk} ({ledger.kind_of(model)})"


def where(entry: Entry) -> str:
    number = f"Entry {entry.seq}" if entry.seq else f"Entry not yet sealed (id {entry.pk})"
    return f"{number} ({entry.kind} {entry.object_pk}, {entry.action})"


def check_chain(entries, key: bytes | None = None) -> Iterator[Finding | tuple[str, str, Recorded]]:
    """Yields findings about the entries and their chain, and each entry's (kind, row, what it
    recorded). Takes the sealed entries in order, then those not yet sealed."""
    expected_seq, previous = 1, ""
    seen: dict[str, str] = {}  # own HMAC → where it was first
    for entry in entries:
        if entry.mac in seen:  # the table's unique constraint dropped, and an entry copied
            yield Finding(where(entry), f"it is a copy of {seen[entry.mac]}: replayed")
        seen.setdefault(entry.mac, where(entry))
        if not hmac.compare_digest(ledger.own_mac(entry, key), entry.mac):
            yield Finding(
                where(entry),
                "its own HMAC does not match: the entry was written or rewritten outside "
                "Waymark, or without Waymark's audit key",
            )
        if entry.seq is not None:
            if entry.seq != expected_seq:
                missing = (
                    f"entry {expected_seq}"
                    if entry.seq == expected_seq + 1
                    else f"entries {expected_seq} to {entry.seq - 1}"
                )
                yield Finding(
                    where(entry), f"{missing} before it are missing from the ledger (deleted)"
                )
            elif entry.previous_seal != previous:
                yield Finding(where(entry), "it does not follow the entry before it")
            if not hmac.compare_digest(ledger.seal(entry, key), entry.seal):
                yield Finding(
                    where(entry),
                    "its seal does not match: the entry was rewritten, or sealed again without "
                    "Waymark's audit key",
                )
            expected_seq, previous = entry.seq + 1, entry.seal
        label = f"Entry {entry.seq}" if entry.seq else f"Entry not yet sealed (id {entry.pk})"
        yield entry.kind, entry.object_pk, Recorded(label, entry.action, entry.fields)


def check_rows(model: type[models.Model], recorded: dict[str, Recorded]) -> Iterator[Finding]:
    """Compares every row of a ledgered table with its last entry; `recorded` is that table's
    entries by row, and what is left of it afterwards was not found."""
    names = ledger.columns(model)
    at = names.index(model._meta.pk.attname)
    rows = model._base_manager.order_by("pk").values_list(*names)
    for values in rows.iterator(chunk_size=2000):
        pk = str(values[at])
        last = recorded.pop(pk, None)
        if last is None:
            yield Finding(name(model, pk), "it has no ledger entry: added outside Waymark")
            continue
        if last.action == Entry.Action.REMOVED:
            yield Finding(last.label, f"{name(model, pk)} was removed, yet it is there again")
            continue
        now = ledger.fields_of(names, values)
        changed = sorted(n for n in now.keys() & last.fields.keys() if now[n] != last.fields[n])
        if changed:
            yield Finding(
                last.label,
                f"{name(model, pk)} does not match what was recorded: {', '.join(changed)} "
                "changed outside Waymark",
            )
    for pk, last in recorded.items():
        if last.action != Entry.Action.REMOVED:
            yield Finding(last.label, f"{name(model, pk)} is missing: deleted outside Waymark")


def check_live_rows(history: type[models.Model]) -> Iterator[Finding]:
    """Every row of a tracked model against its latest history row."""
    live_model = history.instance_type
    live_names = {f.attname for f in live_model._meta.concrete_fields}
    names = [
        f.attname
        for f in history._meta.concrete_fields
        if f.attname in live_names and not f.attname.startswith("history_")
    ]
    pk_name = live_model._meta.pk.attname
    latest: dict = {}
    rows = history._base_manager.order_by(pk_name, "history_date", "history_id")
    for row in rows.values_list("history_id", "history_type", *names).iterator(chunk_size=2000):
        latest[row[2 + names.index(pk_name)]] = row
    for values in live_model._base_manager.order_by("pk").values_list(*names).iterator():
        pk = values[names.index(pk_name)]
        last = latest.get(pk)
        if last is None:
            yield Finding(name(live_model, pk), "it has no history: added outside Waymark")
            continue
        if last[1] == "-":
            yield Finding(name(live_model, pk), "its history says it was deleted, yet it is there")
            continue
        changed = [
            n
            for n, a, b in zip(names, values, last[2:], strict=True)
            if ledger.canonical(a) != ledger.canonical(b)
        ]
        if changed:
            yield Finding(
                name(live_model, pk),
                f"{', '.join(changed)} differ from its latest history (history row {last[0]}): "
                "changed outside Waymark, leaving no history",
            )


def verify(key: bytes | None = None) -> list[Finding]:
    findings: list[Finding] = []
    by_kind: dict[str, dict[str, Recorded]] = {}
    sealed_first = Entry.objects.order_by(F("seq").asc(nulls_last=True), "id")
    for item in check_chain(sealed_first.iterator(chunk_size=2000), key):
        if isinstance(item, Finding):
            findings.append(item)
        else:
            kind, pk, recorded = item
            if pk == ledger.BEGAN:  # the table kept from here: no row of its own
                continue
            by_kind.setdefault(kind, {})[pk] = recorded
    for model in ledger.ledgered_models():
        findings += check_rows(model, by_kind.pop(ledger.kind_of(model), {}))
        if hasattr(model, "instance_type"):
            findings += check_live_rows(model)
    for kind, rows in by_kind.items():
        findings += [Finding(r.label, f"{kind} {pk}: no such table") for pk, r in rows.items()]
    for model in apps.get_models():
        if hasattr(model, "audit_findings"):
            findings += [Finding(where, problem) for where, problem in model.audit_findings()]
    return findings
