"""export_strategy / import_strategy: a strategy's JSON round trip into an empty database with
nothing lost, and the files an import refuses, leaving nothing behind."""

from __future__ import annotations

import copy
import datetime
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from audit.verify import verify
from consultation.models import (
    ConsultationWindow,
    Event,
    Response,
    ResponseTheme,
    Theme,
    WindowPartner,
    YouSaidWeDid,
)
from delivery import plan
from delivery.models import IndicatorValue, IndicatorValueImport, Milestone, ProgressUpdate
from governance import workflow
from governance.models import (
    Body,
    CommitteeReport,
    Decision,
    Gate,
    GateDependency,
    Meeting,
    Transition,
)
from portal.exchange.document import SCHEMA, ExchangeError, export_strategy, import_strategy
from strategies import editing
from strategies.models import (
    Action,
    EvidenceSource,
    IndicatorObjective,
    Objective,
    Organisation,
    OutcomeIndicator,
    Priority,
    Revision,
    Strategy,
    StrategyPartner,
    User,
)

MK = "milton-keynes-jhws-2012-2015"
DUDLEY = "dudley-hws-2017-2022"

LIVE_TABLES = {
    ("strategies", "partners"): StrategyPartner,
    ("strategies", "priorities"): Priority,
    ("strategies", "objectives"): Objective,
    ("strategies", "actions"): Action,
    ("strategies", "indicators"): OutcomeIndicator,
    ("strategies", "indicator_objectives"): IndicatorObjective,
    ("strategies", "evidence"): EvidenceSource,
    ("strategies", "revisions"): Revision,
    ("governance", "gates"): Gate,
    ("governance", "dependencies"): GateDependency,
    ("governance", "decisions"): Decision,
    ("governance", "transitions"): Transition,
    ("governance", "reports"): CommitteeReport,
    ("governance", "meetings"): Meeting,
    ("delivery", "milestones"): Milestone,
    ("delivery", "progress_updates"): ProgressUpdate,
    ("indicator_values", "imports"): IndicatorValueImport,
    ("indicator_values", "values"): IndicatorValue,
}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def admin_user(demo):
    return User.objects.get(username="admin")


def everything_counts() -> dict[str, int]:
    models = [
        Organisation,
        User,
        Strategy,
        Priority,
        Objective,
        Action,
        Revision,
        Gate,
        Decision,
        Transition,
        Body,
        Meeting,
        ConsultationWindow,
        Response,
        Theme,
    ]
    counted = {m.__name__: m.objects.count() for m in models}
    counted["history"] = Strategy.history.count() + Priority.history.count()
    return counted


def canonical(document: dict) -> dict:
    """The document with every database id replaced by what identifies the row regardless of the
    database: organisations by slug, users by username, bodies by name, everything else by the
    order it appears in the file (which follows the order it was created in). Decision hashes,
    which are sealed with the ids, and the time of export are left out."""
    doc = copy.deepcopy(document)
    doc.pop("exported_at")
    # Documents travel as details and hashes only, and an import leaves them out with a note
    # (portal/exchange/documents.py; tests/documents/test_export.py).
    doc.pop("documents", None)
    keys: dict[str, dict] = {
        "strategies.organisation": {o["id"]: o["slug"] for o in doc["organisations"]},
        "strategies.user": {u["id"]: u["username"] for u in doc["users"]},
        "governance.body": {b["id"]: b["name"] for b in doc["governance"]["bodies"]},
    }

    def key(label, value):
        if value is None:
            return None
        table = keys.setdefault(label, {})
        return table.setdefault(value, f"{label}#{len(table) + 1}")

    tables = [("strategies.strategy", Strategy, [doc["strategies"]["strategy"]])]
    tables += [(m._meta.label_lower, m, doc[a][b]) for (a, b), m in LIVE_TABLES.items()]
    for name, model in [
        ("windows", ConsultationWindow),
        ("window_partners", WindowPartner),
        ("events", Event),
        ("themes", Theme),
        ("responses", Response),
        ("response_themes", ResponseTheme),
        ("you_said_we_did", YouSaidWeDid),
    ]:
        tables.append((model._meta.label_lower, model, doc["consultation"][name]))
    for label, _model, rows in tables:  # ids first, in file order
        for row in rows:
            key(label, row["id"])
    history_models = {}
    for label, rows in doc["history"].items():
        history_models[label] = apps.get_model(label).history.model
        for row in rows:
            key(label, row["id"])
    for label, model, rows in tables + [
        (label, history_models[label], rows) for label, rows in doc["history"].items()
    ]:
        for row in rows:
            for f in model._meta.concrete_fields:
                if f.name == "id":
                    row["id"] = key(label, row["id"])
                elif f.is_relation:
                    row[f.name] = key(f.related_model._meta.label_lower, row[f.name])
            row.pop("record_hash", None)
            row.pop("previous_hash", None)
            if "waits_for" in row:
                row["waits_for"] = sorted(key("governance.gate", w) for w in row["waits_for"])
    for body in doc["governance"]["bodies"]:
        body["id"] = key("governance.body", body["id"])
        body["organisation"] = key("strategies.organisation", body["organisation"])
        body["secretaries"] = sorted(key("strategies.user", u) for u in body["secretaries"])
    for user in doc["users"]:
        user["id"] = key("strategies.user", user["id"])
        user["organisation"] = key("strategies.organisation", user["organisation"])
        user["is_active"] = None  # users created by an import are inactive until activated
    for organisation in doc["organisations"]:
        organisation["id"] = key("strategies.organisation", organisation["id"])
    doc["strategies"]["replaces"] = None
    return doc


def enrich(strategy: Strategy) -> None:
    """What the seed lacks for a thorough round trip: a deleted item in the history, a corrected
    decision and a theme-tagged response."""
    secretary = User.objects.get(username="admin")
    priority = strategy.priorities.first()
    gone = editing.add_item(Objective(priority=priority, title="Dropped later"))
    gone.delete()
    decision = Decision.objects.filter(gate__strategy=strategy).order_by("recorded_at").first()
    workflow.correct_decision(decision, secretary, resolution="Corrected wording.", comment="typo")
    # The delivery plan: a milestone completed, one removed, and a corrected progress update
    # (written as a row: the seed's strategy is not approved, when updates are reported).
    objective = Objective.objects.filter(priority__strategy=strategy).first() or editing.add_item(
        Objective(priority=priority, title="Smoking in pregnancy")
    )
    action = editing.add_item(Action(objective=objective, title="Stop smoking service"))
    done = plan.save_milestone(
        Milestone(action=action, title="Launch", due_on=datetime.date(2013, 4, 1)), secretary
    )
    plan.complete_milestone(done, secretary, on=datetime.date(2013, 3, 28))
    plan.remove_milestone(
        plan.save_milestone(
            Milestone(action=action, title="Dropped", due_on=datetime.date(2013, 5, 1)), secretary
        ),
        secretary,
    )
    update = ProgressUpdate.objects.create(
        action=action, as_of=datetime.date(2013, 3, 31), status="in_progress", rag="amber",
        recorded_by=secretary, recorded_at=timezone.now(),
    )  # fmt: skip
    update.rag = "green"
    update._change_reason = "Corrected: figures were wrong"
    update.save()
    # An indicator's values: one imported from a file and corrected since, one removed.
    indicator = editing.add_item(
        OutcomeIndicator(strategy=strategy, framework="phof", code="2.14", title="Smoking")
    )
    source = IndicatorValueImport.objects.create(
        indicator=indicator, file_name="smoking.csv", sha256="a" * 64, imported_by=secretary,
        imported_at=timezone.now(), added=2,
    )  # fmt: skip
    for year, figure in ((2012, "19.1"), (2013, "18.4")):
        IndicatorValue.objects.create(
            indicator=indicator, period=str(year), period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31), value=figure, lower_ci="15.0",
            upper_ci="22.0", imported_from=source,
        )  # fmt: skip
    first, second = indicator.values.order_by("period_start")
    first.value, first._change_reason = "19.0", "Revised by ONS"
    first.save()
    second.delete()


def flush() -> None:
    """Empty every table inside the test's transaction (rolled back afterwards)."""
    if connection.vendor == "postgresql":  # TRUNCATE refuses while deferred checks are pending
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not Strategy.objects.exists() and not User.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_round_trip_into_an_empty_database_loses_nothing(admin_user):
    strategy = Strategy.objects.get(slug=MK)
    enrich(strategy)
    assert strategy.consultations.exists() and Response.objects.exists()
    assert Gate.objects.filter(strategy=strategy, waits_for__isnull=False).count() >= 2
    before = export_strategy(strategy, by=admin_user, personal_data=True)
    counts = {
        "responses": len(before["consultation"]["responses"]),
        "decisions": len(before["governance"]["decisions"]),
        "committee reports": len(before["governance"]["reports"]),
        "milestones": len(before["delivery"]["milestones"]),
        "progress updates": len(before["delivery"]["progress_updates"]),
        "indicator values": len(before["indicator_values"]["values"]),
        "their imports": len(before["indicator_values"]["imports"]),
        "removed values": sum(
            1 for r in before["history"]["delivery.indicatorvalue"] if r["history_type"] == "-"
        ),
        "their corrections": len(before["history"]["delivery.progressupdate"]) - 1,
        "removed milestones": sum(
            1 for r in before["history"]["delivery.milestone"] if r["history_type"] == "-"
        ),
        "their history": len(before["history"]["governance.committeereport"]),
        "deleted objectives": sum(
            1 for r in before["history"]["strategies.objective"] if r["history_type"] == "-"
        ),
    }
    assert all(counts.values()), counts
    flush()
    text = json.dumps(before)  # what a file holds
    imported, notes = import_strategy(json.loads(text))
    assert any("created" in note for note in notes)
    assert bool(before["documents"]["documents"]) == any("not imported" in n for n in notes)
    assert verify() == []
    after = export_strategy(imported, by=None, personal_data=True)
    # The import is itself on record, as the newest row of the strategy's history.
    recorded = after["history"]["strategies.strategy"].pop()
    assert recorded["history_change_reason"].startswith("Imported from a Waymark export")
    after["exported_by"] = before["exported_by"]
    assert canonical(after) == canonical(before)
    # The import made no history of its own beyond that one row (the file's history is the
    # history), and the revision hashes and response references came through as they were.
    assert [r.content_hash for r in Revision.objects.order_by("pk")] == [
        r["content_hash"] for r in before["strategies"]["revisions"]
    ]
    assert sorted(Response.objects.values_list("reference", flat=True)) == sorted(
        r["reference"] for r in before["consultation"]["responses"]
    )


def test_import_beside_the_original_matches_shared_rows(admin_user):
    """Into a database that has the organisations, users and bodies: they are matched, not
    duplicated; an anonymised file's responses get references of their own."""
    strategy = Strategy.objects.get(slug=MK)
    document = export_strategy(strategy)
    assert all(r["reference"] == "" for r in document["consultation"]["responses"])
    assert all(r["general_comments"] == "" for r in document["consultation"]["responses"])
    document["strategies"]["strategy"]["slug"] = "mk-copy"
    for window in document["consultation"]["windows"]:
        window["slug"] += "-copy"
    for row in document["history"]["consultation.consultationwindow"]:
        row["slug"] += "-copy"  # as it was then, beside the row as it is now
    organisations, users, bodies = (
        Organisation.objects.count(),
        User.objects.count(),
        Body.objects.count(),
    )
    imported, notes = import_strategy(document, by=admin_user)
    assert (Organisation.objects.count(), User.objects.count(), Body.objects.count()) == (
        organisations,
        users,
        bodies,
    )
    assert imported.pk != strategy.pk
    assert imported.gates.count() == strategy.gates.count()
    assert Response.objects.filter(window__strategy=imported).count() == (
        Response.objects.filter(window__strategy=strategy).count()
    )
    assert verify() == []
    last = imported.history.order_by("-history_date").first()
    assert last.history_user == admin_user


def test_a_file_from_before_committee_reports_were_carried_imports(admin_user):
    document = export_strategy(Strategy.objects.get(slug=MK))
    del document["governance"]["reports"]
    del document["history"]["governance.committeereport"]
    document["strategies"]["strategy"]["slug"] = "mk-older-file"
    for window in document["consultation"]["windows"]:
        window["slug"] += "-older"
    imported, _notes = import_strategy(document, by=admin_user)
    assert imported.gates.exists()
    assert not CommitteeReport.objects.filter(gate__strategy=imported).exists()


def test_a_file_from_before_the_delivery_plan_was_carried_imports(admin_user):
    document = export_strategy(Strategy.objects.get(slug=MK))
    del document["delivery"]
    document["history"].pop("delivery.milestone", None)
    document["history"].pop("delivery.progressupdate", None)
    document["strategies"]["strategy"]["slug"] = "mk-older-file"
    for window in document["consultation"]["windows"]:
        window["slug"] += "-older"
    imported, _notes = import_strategy(document, by=admin_user)
    assert imported.priorities.exists()
    assert not Milestone.objects.filter(action__objective__priority__strategy=imported).exists()


def test_a_file_from_before_indicator_values_were_carried_imports(admin_user):
    document = export_strategy(Strategy.objects.get(slug=MK))
    del document["indicator_values"]
    document["history"].pop("delivery.indicatorvalue", None)
    document["history"].pop("delivery.indicatorvalueimport", None)
    document["strategies"]["strategy"]["slug"] = "mk-before-values"
    for window in document["consultation"]["windows"]:
        window["slug"] += "-before-values"
    imported, _notes = import_strategy(document, by=admin_user)
    assert not IndicatorValue.objects.filter(indicator__strategy=imported).exists()


def test_a_file_from_before_gate_dependencies_were_rows_imports(admin_user):
    """Older files give each gate's "waits_for" list, with no history of the links: the links
    are made, each recorded as created by the import."""
    original = Strategy.objects.get(slug=MK)
    document = export_strategy(original)
    by_source = {}
    for link in document["governance"].pop("dependencies"):
        by_source.setdefault(link["from_gate"], []).append(link["to_gate"])
    for gate in document["governance"]["gates"]:
        gate["waits_for"] = by_source.get(gate["id"], [])
    del document["history"]["governance.gatedependency"]
    document["strategies"]["strategy"]["slug"] = "mk-older-file"
    for window in document["consultation"]["windows"]:
        window["slug"] += "-older"
    imported, _notes = import_strategy(document, by=admin_user)

    def links(strategy):
        return sorted(
            (str(d.from_gate), str(d.to_gate))
            for d in GateDependency.objects.filter(from_gate__strategy=strategy)
        )

    assert links(imported) == links(original) != []
    history = GateDependency.history.filter(from_gate__strategy=imported)
    assert {(h.history_type, h.history_user, h.history_change_reason) for h in history} == {
        ("+", admin_user, f"Imported from a Waymark export of {document['exported_at']}")
    }


def test_gates_are_imported_with_their_plans_end_worked_out(admin_user):
    """The file carries each gate's plan, not the day the plan ends (files written before that
    column existed have none); the import works it out, as Gate.save() does."""
    strategy = Strategy.objects.get(slug=MK)
    document = export_strategy(strategy)
    gates = document["governance"]["gates"]
    assert gates and all("planned_until" not in gate for gate in gates)
    planned = [g for g in gates if g["planned_precision"] != "not_set"]
    assert planned
    planned[0]["planned_date"], planned[0]["planned_precision"] = "2012-10-10", "season"
    document["strategies"]["strategy"]["slug"] = "mk-copy"
    for window in document["consultation"]["windows"]:
        window["slug"] += "-copy"
    imported, _ = import_strategy(document, by=admin_user)
    for gate in imported.gates.all():
        assert gate.planned_until == gate.plan_ends_on()
    autumn = imported.gates.get(planned_precision="season", planned_date="2012-10-10")
    assert str(autumn.planned_until) == "2012-11-30"


def _dates_as_records_give_them(strategy: Strategy) -> tuple[Meeting, Event]:
    """A meeting of the strategy's route with no time recorded, and an event over two months."""
    meeting = Meeting.objects.filter(gates__strategy=strategy).order_by("pk").first()
    meeting.starts_at = timezone.localtime(meeting.starts_at).replace(hour=0, minute=0)
    meeting.time_known = False
    meeting.save()
    event = Event.objects.filter(window__strategy=strategy).order_by("pk").first()
    event.date_precision, event.time_known = "month", False
    event.starts_at = timezone.localtime(event.starts_at).replace(hour=0, minute=0)
    event.ends_on = timezone.localtime(event.starts_at).date() + datetime.timedelta(days=31)
    event.save()
    return meeting, event


@pytest.mark.django_db(transaction=False)
def test_a_time_not_recorded_and_an_event_over_months_come_through(admin_user):
    strategy = Strategy.objects.get(slug=MK)
    meeting, event = _dates_as_records_give_them(strategy)
    document = json.loads(json.dumps(export_strategy(strategy, by=admin_user)))
    [row] = [m for m in document["governance"]["meetings"] if m["id"] == meeting.pk]
    assert row["time_known"] is False
    [row] = [e for e in document["consultation"]["events"] if e["id"] == event.pk]
    assert (row["time_known"], row["ends_on"]) == (False, event.ends_on.isoformat())
    flush()
    imported, _notes = import_strategy(document)
    [copy_of_meeting] = Meeting.objects.filter(starts_at=meeting.starts_at)
    assert not copy_of_meeting.time_known
    copy_of_event = Event.objects.get(window__strategy=imported, title=event.title)
    assert (copy_of_event.time_known, copy_of_event.ends_on) == (False, event.ends_on)
    assert copy_of_event.when == event.when


def test_a_file_from_before_times_could_be_left_out_imports_them_as_known(admin_user):
    """Files exported before meetings and events had `time_known` (and events `ends_on`) lack
    those keys, in their rows and their history: the time was known, the event one day."""
    document = export_strategy(Strategy.objects.get(slug=MK))
    # (Meetings are shared rows, matched on import: their history stays where it is.)
    rows = [*document["governance"]["meetings"], *document["consultation"]["events"]]
    rows += document["history"]["consultation.event"]
    for row in rows:
        row.pop("time_known")
        row.pop("ends_on", None)
    document["strategies"]["strategy"]["slug"] = "mk-older-file"
    for window in document["consultation"]["windows"]:
        window["slug"] += "-older"
    imported, _notes = import_strategy(document, by=admin_user)
    events = Event.objects.filter(window__strategy=imported)
    assert events and all(e.time_known and e.ends_on is None for e in events)
    assert all(h.time_known for h in Event.history.filter(window__strategy=imported))


def test_a_file_from_before_the_lifecycle_fields_imports(admin_user):
    """Files exported before a strategy kept its review and first publication days, and an
    indicator its polarity and target date, lack those keys in their rows and history."""
    document = export_strategy(Strategy.objects.get(slug=MK))
    strategy_rows = [
        document["strategies"]["strategy"],
        *document["history"]["strategies.strategy"],
    ]
    for row in strategy_rows:
        row.pop("review_due_on")
        row.pop("published_on")
    indicators = document["strategies"]["indicators"]
    for row in [*indicators, *document["history"].get("strategies.outcomeindicator", [])]:
        row.pop("polarity")
        row.pop("target_date")
    document["strategies"]["strategy"]["slug"] = "mk-older-file"
    for window in document["consultation"]["windows"]:
        window["slug"] += "-older"
    imported, _notes = import_strategy(document, by=admin_user)
    assert imported.review_due_on is None and imported.published_on is None
    assert all(i.polarity == "neither" for i in imported.indicators.all())


@pytest.fixture
def document(admin_user):
    return export_strategy(Strategy.objects.get(slug=MK), by=admin_user, personal_data=True)


def refused(document, message: str) -> None:
    before = everything_counts()
    with pytest.raises(ExchangeError) as refusal:
        import_strategy(document)
    assert message in refusal.value.message
    assert "Nothing was imported" in refusal.value.message
    assert everything_counts() == before


def rename(document) -> dict:
    """The same strategy under new addresses, so only the fault under test stops it."""
    document["strategies"]["strategy"]["slug"] = "renamed"
    for window in document["consultation"]["windows"]:
        window["slug"] += "-renamed"
    for response in document["consultation"]["responses"]:
        response["reference"] = ""
    return document


def test_unknown_schema_is_refused(document):
    document["schema"] = "waymark.strategy/99"
    refused(document, "waymark.strategy/99")


def test_missing_section_is_refused(document):
    del document["governance"]
    refused(document, "“governance”")


def test_missing_field_is_refused(document):
    del rename(document)["strategies"]["priorities"][0]["title"]
    refused(document, "has no “title”")


def test_reference_to_a_row_not_in_the_file_is_refused_and_nothing_is_saved(document):
    rename(document)["governance"]["dependencies"][-1]["to_gate"] = 999999
    refused(document, "refers to gate 999999, which is not in the file")


def test_reference_to_an_unknown_user_is_refused(document):
    rename(document)["governance"]["transitions"][0]["by"] = 424242
    refused(document, "424242")


def test_slug_already_here_is_refused(document):
    refused(document, "already here")


def test_consultation_slug_already_here_is_refused(document):
    document["strategies"]["strategy"]["slug"] = "renamed"
    refused(document, "consultation at the address")


def test_changed_decision_is_refused(document):
    rename(document)["governance"]["decisions"][0]["resolution"] = "Something else entirely."
    refused(document, "does not match its hash")


def test_changed_revision_is_refused(document):
    rename(document)["strategies"]["revisions"][0]["content"]["strategy"]["vision"] = "Other."
    refused(document, "does not match its hash")


def test_invalid_choice_is_refused(document):
    rename(document)["governance"]["gates"][0]["state"] = "sideways"
    refused(document, "Gate")


def test_an_empty_title_is_refused(document):
    rename(document)["strategies"]["priorities"][0]["title"] = ""
    refused(document, "title")
    document["strategies"]["strategy"]["title"] = None
    refused(document, "“title” is empty")


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (("consultation", "windows", 0, "reported_responses"), float("inf"), "cannot be inf"),
        (("strategies", "priorities", 0, "position"), 10**30, "out of range"),
        (("history", "strategies.priority", 0, "position"), -(10**19), "out of range"),
        (("governance", "decisions", 0, "decided_on"), None, "“decided_on” is empty"),
        (("governance", "decisions", 0, "recorded_at"), "2025-02-31T10:00:00", "recorded_at"),
        (("governance", "meetings", 0, "starts_at"), "99999-01-01T10:00:00", "starts_at"),
        (("organisations", 0), "a string", "is not a record"),
        (("users", 0), None, "is not a record"),
        (("strategies", "replaces"), 7, "is not a record"),
        (("history", "strategies.priority", 0, "id"), {"id": 1}, "not an id"),
        (("strategies", "priorities", 0, "title"), ["a", "list"], "not a single value"),
    ],
)
def test_a_malformed_value_is_refused_with_a_clear_message(document, where, value, message):
    """Values a hand-edited or damaged file may hold: each is refused, naming what is wrong,
    and nothing is saved (never a traceback)."""
    node = rename(document)
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    refused(document, message)


def test_a_new_organisation_with_an_impossible_value_is_refused(document):
    organisation = rename(document)["organisations"][0]
    organisation.update(slug="elsewhere", name="Elsewhere Council")  # not here: it is created
    organisation["consultation_minimum_days"] = float("inf")
    refused(document, "cannot be inf")


def test_anonymised_export_has_no_respondent_text(admin_user):
    strategy = Strategy.objects.get(slug=MK)
    response = Response.objects.filter(window__strategy=strategy).exclude(general_comments="")
    assert response.exists()
    text = json.dumps(export_strategy(strategy, by=admin_user))
    for r in Response.objects.filter(window__strategy=strategy):
        assert r.reference not in text
        if len(r.general_comments) > 20:
            assert r.general_comments not in text


# The commands -----------------------------------------------------------------------------------


def test_commands_round_trip_through_a_file(demo, tmp_path):
    path = tmp_path / "dudley.json"
    call_command("export_strategy", DUDLEY, output=str(path), stdout=StringIO())
    data = json.loads(path.read_text())
    assert data["schema"] == SCHEMA and data["personal_data"] is False
    Strategy.objects.filter(slug=DUDLEY).update(slug="dudley-old")  # test set-up only
    ConsultationWindow.objects.filter(strategy__slug="dudley-old").delete()
    out = StringIO()
    call_command("import_strategy", str(path), stdout=out)
    assert "Imported" in out.getvalue()
    assert Strategy.objects.filter(slug=DUDLEY).exists()


def test_personal_data_needs_an_administrator(demo, tmp_path):
    with pytest.raises(CommandError, match="administrator"):
        call_command("export_strategy", MK, include_personal_data=True, stdout=StringIO())
    with pytest.raises(CommandError, match="administrator"):
        call_command(
            "export_strategy", MK, include_personal_data=True, username="officer", stdout=StringIO()
        )
    out = StringIO()
    call_command("export_strategy", MK, include_personal_data=True, username="admin", stdout=out)
    data = json.loads(out.getvalue())
    assert data["personal_data"] is True and data["exported_by"] == "admin"
    assert all(r["reference"] for r in data["consultation"]["responses"])


def test_import_command_refuses_with_a_clear_message(demo, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"schema": "other/1"}))
    with pytest.raises(CommandError, match="schema"):
        call_command("import_strategy", str(path), stdout=StringIO())
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not a JSON file"):
        call_command("import_strategy", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_strategy", str(tmp_path / "missing.json"), stdout=StringIO())
    with pytest.raises(CommandError, match="No strategy"):
        call_command("export_strategy", "nope", stdout=StringIO())
    # --as is who it is for: their read rule holds, as in the browser and the API.
    with pytest.raises(CommandError, match="cannot read"):
        call_command("export_strategy", DUDLEY, username="mk-officer", stdout=StringIO())
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_strategy", DUDLEY, output=str(tmp_path / "no" / "x.json"))


@pytest.mark.django_db(transaction=False)
def test_a_file_from_before_responses_kept_a_history_gives_each_its_first_row(admin_user):
    strategy = Strategy.objects.get(slug=MK)
    enrich(strategy)
    before = export_strategy(strategy, by=admin_user, personal_data=True)
    assert before["history"].pop("consultation.response")  # as files exported until now
    flush()
    import_strategy(json.loads(json.dumps(before)))
    responses = Response.objects.all()
    assert responses.count() == len(before["consultation"]["responses"]) > 0
    rows = Response.history.filter(id__in=responses.values("pk"))
    assert rows.count() == responses.count()
    assert all("carried no history of responses" in r.history_change_reason for r in rows)
    assert verify() == []


@pytest.mark.django_db(transaction=False)
def test_a_sent_progress_report_travels_as_it_was_sent(admin_user):
    from delivery import reports
    from delivery.models import ProgressReport

    strategy = Strategy.objects.get(slug=MK)
    enrich(strategy)
    strategy.stage = Strategy.Stage.IN_DELIVERY
    strategy.save(update_fields=["stage"])
    report = reports.start_report(
        strategy, admin_user, "Year one", datetime.date(2013, 1, 1), datetime.date(2013, 12, 31)
    )
    report.summary = "On track."
    reports.save_report(report, admin_user)
    reports.send_report(report, admin_user)
    report.refresh_from_db()
    before = export_strategy(strategy, by=admin_user, personal_data=True)
    assert len(before["delivery"]["progress_reports"]) == 1
    flush()
    imported, _notes = import_strategy(json.loads(json.dumps(before)))
    copy = ProgressReport.objects.get(strategy=imported)
    assert (copy.title, copy.summary, copy.sent_at) == ("Year one", "On track.", report.sent_at)
    assert copy.snapshot is not None and copy.snapshot.keys() == report.snapshot.keys()
    assert verify() == []


def test_an_imported_indicator_code_is_stored_as_its_framework_s_list_spells_it(admin_user):
    """The import checks codes through OutcomeIndicator.clean, as the forms and the admin do."""
    strategy = Strategy.objects.get(slug=MK)
    editing.add_item(
        OutcomeIndicator(strategy=strategy, framework="nhsof", code="3a", title="Admissions")
    )
    document = rename(export_strategy(strategy, by=admin_user, personal_data=True))
    (row,) = document["strategies"]["indicators"]
    row["code"] = "1.4 (ii)"
    imported, _ = import_strategy(document)
    assert imported.indicators.get().code == "1.4.ii"
