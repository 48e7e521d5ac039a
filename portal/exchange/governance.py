"""Governance's share of a strategy's JSON export (document.py): its gates, what each waits
for, decisions, transitions and committee reports, and the bodies and meetings they name.
(Files exported before committee reports were carried have none, and import as they are; files
exported before gate dependencies were rows of their own give each gate's "waits_for" instead;
files exported before the council's references were kept lack them: rows.ADDED_LATER.)

Bodies are matched on import by organisation and name, meetings by body and start time; what is
not there is created (a new body with the secretaries the file names). Decisions keep their
hash chain: the file's chain is checked against the file's own ids first, and the decisions are
then chained again with the new database's ids, so `manage.py verify_audit` passes.
"""

from __future__ import annotations

from typing import Any

from governance.models import (
    ApprovedPart,
    Body,
    BodySecretary,
    CommitteeReport,
    Decision,
    Gate,
    GateDependency,
    Meeting,
    Transition,
)
from governance.workflow import decision_hash
from strategies.models import Priority, Revision, Strategy

from .rows import (
    ADDED_LATER,
    ORGANISATION,
    USER,
    ExchangeError,
    Exporter,
    Importer,
    label,
    stored_value,
)

BODY = label(Body)
MEETING = label(Meeting)
BODY_FIELDS = ["name", "kind", "is_executive", "meets_in_public"]
# The keys of export_shared's section, written after every other row of the document.
SHARED_KEYS = ("bodies", "meetings")


def export_part(strategy: Strategy, exporter: Exporter) -> dict[str, Any]:
    # planned_until is worked out from the plan (Gate.save), not carried.
    gates = exporter.rows(Gate.objects.filter(strategy=strategy), exclude=["planned_until"])
    return {
        "gates": gates,
        "dependencies": exporter.rows(GateDependency.objects.filter(from_gate__strategy=strategy)),
        # In the order of their hash chain.
        "decisions": exporter.rows(
            Decision.objects.filter(gate__strategy=strategy), order=("recorded_at", "pk")
        ),
        # The priorities decisions approved by name, in the words approved.
        "approved_parts": exporter.rows(
            ApprovedPart.objects.filter(decision__gate__strategy=strategy).order_by("pk")
        ),
        "transitions": exporter.rows(Transition.objects.filter(strategy=strategy)),
        "reports": exporter.rows(CommitteeReport.objects.filter(gate__strategy=strategy)),
    }


def export_shared(exporter: Exporter) -> dict[str, Any]:
    meetings = list(Meeting.objects.filter(pk__in=exporter.referenced[MEETING]).order_by("pk"))
    for meeting in meetings:
        exporter.refer(BODY, meeting.body_id)
    bodies = Body.objects.filter(pk__in=exporter.referenced[BODY]).prefetch_related(
        "secretary_links"
    )
    body_rows = []
    for body in bodies.order_by("pk"):
        secretaries = sorted(link.user_id for link in body.secretary_links.all())
        for user_id in secretaries:
            exporter.refer(USER, user_id)
        exporter.refer(ORGANISATION, body.organisation_id)
        body_rows.append(
            {
                "id": body.pk,
                "organisation": body.organisation_id,
                **{name: getattr(body, name) for name in BODY_FIELDS},
                "secretaries": secretaries,
            }
        )
    return {"bodies": body_rows, "meetings": [exporter.row(m) for m in meetings]}


def import_shared(data: dict[str, Any], importer: Importer) -> None:
    for row in _rows(data, "bodies"):
        what = f"Body {row.get('id')}"
        organisation = importer.ref(ORGANISATION, row.get("organisation"), what)
        body = Body.objects.filter(organisation_id=organisation, name=row.get("name")).first()
        if body is None:
            body = Body(organisation_id=organisation, **{n: row.get(n) for n in BODY_FIELDS})
            _check(body, what)
            importer.note_created(body)
            body.save()
            for user_id in row.get("secretaries") or []:
                link = BodySecretary(body=body, user_id=importer.ref(USER, user_id, what))
                importer.note_created(link)
                link.save()
            importer.notes.append(f"Body “{body}” created.")
        importer.ids[BODY][importer.source_id(row, what)] = body.pk
    for row in _rows(data, "meetings"):
        what = f"Meeting {row.get('id')}"
        candidate = importer.build(Meeting, row, what)
        meeting = Meeting.objects.filter(
            body_id=candidate.body_id, starts_at=candidate.starts_at
        ).first()
        if meeting is None:
            meeting = candidate
            _check(meeting, what)
            importer.note_created(meeting)
            meeting.save()
            importer.notes.append(f"Meeting “{meeting}” created.")
        importer.ids[MEETING][importer.source_id(row, what)] = meeting.pk


def import_part(data: dict[str, Any], importer: Importer) -> None:
    gates = _rows(data, "gates")
    for row in gates:
        what = f"Gate {row.get('id')}"
        gate = importer.build(Gate, row, what, planned_until=None)
        gate.planned_until = gate.plan_ends_on()  # from the plan, as Gate.save() keeps it
        importer.save(gate, what, importer.source_id(row, what))
    if "dependencies" in data:
        importer.create_all(GateDependency, data["dependencies"], "Gate dependency")
    else:
        _import_waits_for(gates, importer)
    decisions = _rows(data, "decisions")
    _check_file_chain(decisions, importer)
    previous = ""
    for row in decisions:
        what = f"Decision {row.get('id')}"
        decision = importer.build(Decision, row, what, previous_hash=previous, record_hash="-" * 64)
        decision.record_hash = decision_hash(decision)
        importer.save(decision, what, importer.source_id(row, what))
        previous = decision.record_hash
    for row in data.get("approved_parts", []):  # files exported before these have none
        what = f"Approved part {row.get('id') if isinstance(row, dict) else ''}"
        # A priority removed since it was approved is not in the file: the words are kept.
        priority = (
            importer.ids[label(Priority)].get(row.get("priority"))
            if isinstance(row, dict)
            else None
        )
        importer.create(ApprovedPart, row, what, priority=priority)
    importer.create_all(Transition, data.get("transitions"), "Transition")
    importer.create_all(CommitteeReport, data.get("reports", []), "Committee report")


def _import_waits_for(gates: list[dict[str, Any]], importer: Importer) -> None:
    """An older file's dependencies, as each gate's list of the gates it waits for: the file has
    no history of them, so each is recorded as created by the import."""
    for row in gates:
        waits = row.get("waits_for")
        if not isinstance(waits, list):
            raise ExchangeError(f"Gate {row['id']} has no “waits_for”.")
        for waited in waits:
            link = GateDependency(
                from_gate_id=importer.ids[label(Gate)][row["id"]],
                to_gate_id=importer.ref(label(Gate), waited, f"Gate {row['id']} (waits for)"),
            )
            importer.note_created(link)
            link.save()


def _check_file_chain(decisions: list[dict[str, Any]], importer: Importer) -> None:
    """Every decision in the file must match its hash, computed with the file's own ids, and
    follow the one before it: a file changed by hand is refused, not laundered."""
    gates = {g["id"]: g for g in importer.document["governance"]["gates"]}
    revisions = {r["id"]: r for r in importer.document["strategies"]["revisions"]}
    previous = ""
    for row in decisions:
        what = f"Decision {row.get('id')}"

        def when(name: str, row=row, what=what):
            return stored_value(Decision._meta.get_field(name), row[name], what)

        try:
            gate = gates[row["gate"]]
            decision = Decision(
                id=row["id"],
                gate=Gate(id=gate["id"], strategy_id=gate["strategy"]),
                meeting_id=row["meeting"],
                decided_on=when("decided_on"),
                outcome=row["outcome"],
                resolution=row["resolution"],
                reasons=row["reasons"],
                alternatives_considered=row["alternatives_considered"],
                conflicts_declared=row["conflicts_declared"],
                published_on=when("published_on"),
                revision=Revision(content_hash=revisions[row["revision"]]["content_hash"]),
                recorded_by_id=row["recorded_by"],
                recorded_at=when("recorded_at"),
                corrects_id=row["corrects"],
                previous_hash=row["previous_hash"],
                # Absent from files written before these fields existed (rows.ADDED_LATER).
                **{
                    name: row.get(name, Decision._meta.get_field(name).get_default())
                    for name in ADDED_LATER["governance.decision"]
                },
            )
        except KeyError as missing:
            raise ExchangeError(
                f"{what} has no {missing} (or names a row not in the file)."
            ) from None
        if row["previous_hash"] != previous or decision_hash(decision) != row["record_hash"]:
            raise ExchangeError(
                f"{what} does not match its hash: the decisions in the file have been changed "
                "since they were recorded."
            )
        previous = row["record_hash"]


def _rows(data: dict[str, Any], key: str) -> list:
    rows = data.get(key)
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ExchangeError(f"The file's governance section has no list of {key}.")
    return rows


def _check(obj, what: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean()
    except ValidationError as error:
        raise ExchangeError(f"{what}: {'; '.join(error.messages)}") from None
