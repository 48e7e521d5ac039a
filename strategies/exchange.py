"""A strategy as one JSON document, and back: for publication, a move to another system, or a
records request (see docs/decisions/0009-exports-and-publication.md).

The document has a schema version at the top, the organisations and users it refers to (by
natural key: slug, username), then one section per app: `strategies` (the strategy, its content
and revisions, written here), `governance` and `consultation` (written by those apps through
`strategies.extensions.EXCHANGE_PARTS`), and `history`: the audit history rows of the strategy
and everything in it, as the History tab shows them.

Rows carry the ids they had in the database they came from; references between rows use those
ids. An import gives every row a new id and maps the references, in one transaction: a file
with an unknown schema, a missing key, a reference to a row that is not in the file, a slug
that is already taken, or a revision or decision whose hash does not match is refused with an
ExchangeError that says what is wrong, and nothing is saved.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models import Min
from django.utils import timezone

from .extensions import EXCHANGE_PARTS
from .history import _sources as history_sources
from .models import (
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
from .revisions import content_hash

SCHEMA = "waymark.strategy/1"

ORGANISATION = "strategies.organisation"
USER = "strategies.user"
STRATEGY = "strategies.strategy"

# The strategies section: its tables in the order an import creates them.
CONTENT_TABLES: list[tuple[str, type[models.Model]]] = [
    ("partners", StrategyPartner),
    ("priorities", Priority),
    ("objectives", Objective),
    ("actions", Action),
    ("indicators", OutcomeIndicator),
    ("indicator_objectives", IndicatorObjective),
    ("evidence", EvidenceSource),
    ("revisions", Revision),
]
ORGANISATION_FIELDS = [
    "name",
    "short_name",
    "slug",
    "kind",
    "agenda_counting",
    "agenda_notice_days",
    "consultation_minimum_days",
    "key_decision_notice_days",
    "call_in_working_days",
]
USER_FIELDS = ["username", "first_name", "last_name", "job_title", "role", "is_active"]


class ExchangeError(Exception):
    """A refused import (or export); the message says what is wrong, for the person running it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def plain(value: Any) -> Any:
    """A field's value as JSON data."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


# Export -----------------------------------------------------------------------------------------


class Exporter:
    """Collects the rows of one strategy, and which shared rows (organisations, users, bodies,
    meetings) they refer to, so that those are written too."""

    # Rows that belong to no one strategy: written once, referred to by id, matched on import.
    SHARED = {ORGANISATION, USER, "governance.body", "governance.meeting"}

    def __init__(self, strategy: Strategy, by: User | None, personal_data: bool) -> None:
        self.strategy = strategy
        self.by = by
        self.personal_data = personal_data
        self.referenced: dict[str, set[int]] = defaultdict(set)
        # Models whose history a part leaves out of this export (rows the user may not read).
        self.withheld: set[str] = set()
        # Models whose rows the export carries: only their history goes in, so the file never
        # holds history of rows it leaves out (a model added by an app but not by its part).
        self.carried: set[str] = set()

    def refer(self, target: str, pk: int | None) -> None:
        if pk is not None:
            self.referenced[target].add(pk)

    def row(self, obj: models.Model, exclude: Iterable[str] = ()) -> dict[str, Any]:
        """Every stored field of `obj` by name; a foreign key as the id it points to."""
        exclude = set(exclude)
        self.carried.add(label(type(obj)))
        data = {}
        for f in obj._meta.concrete_fields:
            if f.name in exclude:
                continue
            value = getattr(obj, f.attname)
            if f.is_relation and label(f.related_model) in self.SHARED:
                self.refer(label(f.related_model), value)
            data[f.name] = plain(value)
        return data

    def rows(self, queryset, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
        self.carried.add(label(queryset.model))
        return [self.row(obj, exclude) for obj in queryset.order_by("pk")]


def history_tables(strategy: Strategy) -> dict[str, models.QuerySet]:
    """The history tables of the strategy and everything in it, by the model they record, in the
    order an import writes them (parents before children)."""
    tables = {}
    for queryset in history_sources(strategy).values():
        tables[label(queryset.model.instance_type)] = queryset
    return tables


def export_strategy(
    strategy: Strategy, by: User | None = None, personal_data: bool = False
) -> dict[str, Any]:
    """The whole strategy as JSON data. Respondents' personal data (what they wrote and who they
    responded for) is left out unless `personal_data`; callers decide who may ask for it."""
    exporter = Exporter(strategy, by, personal_data)
    strategy = Strategy.objects.select_related("replaces").get(pk=strategy.pk)
    section: dict[str, Any] = {
        "strategy": exporter.row(strategy),
        "replaces": (
            {
                "id": strategy.replaces_id,
                "slug": strategy.replaces.slug,
                "title": strategy.replaces.title,
            }
            if strategy.replaces
            else None
        ),
    }
    for key, model in CONTENT_TABLES:
        section[key] = exporter.rows(model.objects.filter(**{_strategy_path(model): strategy}))
    parts = {part.key: part.export(strategy, exporter) for part in EXCHANGE_PARTS}
    history = {}
    for model_label, queryset in history_tables(strategy).items():
        if model_label in exporter.withheld or model_label not in exporter.carried:
            continue
        history[model_label] = [
            exporter.row(row, exclude={"history_id"})
            for row in queryset.order_by("history_date", "history_id")
        ]
    for part in reversed(EXCHANGE_PARTS):
        if part.export_shared:
            parts[part.key].update(part.export_shared(exporter))
    users = User.objects.filter(pk__in=exporter.referenced[USER]).order_by("pk")
    user_rows = []
    for user in users:
        exporter.refer(ORGANISATION, user.organisation_id)
        user_rows.append(
            {
                "id": user.pk,
                **{name: getattr(user, name) for name in USER_FIELDS},
                "organisation": user.organisation_id,
                "email": user.email if personal_data else "",
            }
        )
    organisations = Organisation.objects.filter(pk__in=exporter.referenced[ORGANISATION])
    return {
        "schema": SCHEMA,
        "exported_at": plain(timezone.now().replace(microsecond=0)),
        "exported_by": by.username if by is not None and by.is_authenticated else "",
        "personal_data": personal_data,
        "organisations": [
            {"id": o.pk, **{name: getattr(o, name) for name in ORGANISATION_FIELDS}}
            for o in organisations.order_by("pk")
        ],
        "users": user_rows,
        "strategies": section,
        **parts,
        "history": history,
    }


def _strategy_path(model: type[models.Model]) -> str:
    return {
        Objective: "priority__strategy",
        Action: "objective__priority__strategy",
        IndicatorObjective: "indicator__strategy",
    }.get(model, "strategy")


# Import -----------------------------------------------------------------------------------------


class Importer:
    """Maps the file's ids to the new database's as rows are created, and refuses references to
    rows that are not in the file."""

    def __init__(self, document: dict[str, Any], by: User | None) -> None:
        self.document = document
        self.by = by if by is not None and by.is_authenticated else None
        self.ids: dict[str, dict[int, int | None]] = defaultdict(dict)
        self.notes: list[str] = []
        self.strategy: Strategy | None = None
        self._free_ids: dict[str, int] = {}
        # Set by the history import: the models whose history the file carries.
        self.history_models: dict[str, type[models.Model]] = {}

    @property
    def reason(self) -> str:
        exported = self.document.get("exported_at", "")
        return f"Imported from a Waymark export of {exported}".strip()

    # References ---------------------------------------------------------------------------------

    def ref(self, target: str, old: Any, what: str) -> int | None:
        """The new id of the row the file calls `old`; None stays None."""
        if old is None:
            return None
        try:
            return self.ids[target][old]
        except (KeyError, TypeError):
            name = target.split(".")[1]
            raise ExchangeError(
                f"{what} refers to {name} {old!r}, which is not in the file."
            ) from None

    def source_id(self, row: dict[str, Any], what: str) -> int:
        value = row.get("id")
        if not isinstance(value, int):
            raise ExchangeError(f"{what} has no id.")
        return value

    def history_ref(self, target: str, old: Any, what: str) -> int | None:
        """Like `ref`, for history rows, which may name items deleted before the export: those
        get ids of their own below zero, which no live row will ever take."""
        if old is None:
            return None
        known = self.ids[target]
        if old in known:
            return known[old]
        if target == STRATEGY:  # an earlier strategy this one once named as replaced
            return None
        if target not in self.history_models:
            return self.ref(target, old, what)
        if target not in self._free_ids:
            history = self.history_models[target]
            lowest = min(
                0,
                history.objects.aggregate(low=Min("id"))["low"] or 0,
                history.instance_type.objects.aggregate(low=Min("pk"))["low"] or 0,
            )
            self._free_ids[target] = lowest - 1
        known[old] = self._free_ids[target]
        self._free_ids[target] -= 1
        return known[old]

    # Rows ---------------------------------------------------------------------------------------

    def build(
        self, model: type[models.Model], row: dict[str, Any], what: str, **given: Any
    ) -> models.Model:
        """An unsaved `model` from `row`, its references mapped; `given` fields are set as is."""
        if not isinstance(row, dict):
            raise ExchangeError(f"{what} is not a record.")
        values = {}
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            if f.name in given:
                values[f.attname] = given[f.name]
                continue
            if f.name not in row:
                raise ExchangeError(f"{what} has no “{f.name}”.")
            value = row[f.name]
            if f.is_relation:
                values[f.attname] = self.ref(label(f.related_model), value, what)
            else:
                try:
                    values[f.attname] = None if value is None else f.to_python(value)
                except ValidationError as error:
                    raise ExchangeError(f"{what}: “{f.name}”: {' '.join(error.messages)}") from None
        return model(**values)

    def save(self, obj: models.Model, what: str, old: int | None = None) -> models.Model:
        """Check and store a row as it was (its dates and counters kept, no history written:
        the row's history comes from the file)."""
        # Empty values are left to the database: the workflow writes some that a form would
        # not accept (a transition's first state is empty), and they are not the file's fault.
        empty = [
            f.name for f in obj._meta.concrete_fields if getattr(obj, f.attname) in f.empty_values
        ]
        try:
            obj.full_clean(exclude=empty)
        except ValidationError as error:
            raise ExchangeError(f"{what}: {_messages(error)}") from None
        obj.save_base(raw=True)
        if old is not None:
            self.ids[label(type(obj))][old] = obj.pk
        return obj

    def create(
        self, model: type[models.Model], row: dict[str, Any], what: str, **given: Any
    ) -> models.Model:
        return self.save(self.build(model, row, what, **given), what, self.source_id(row, what))

    def create_all(self, model: type[models.Model], rows: Any, what: str, **given: Any) -> list:
        return [
            self.create(model, row, f"{what} {row.get('id') if isinstance(row, dict) else ''}")
            for row in _list(rows, what)
        ]

    def note_created(self, obj: models.Model) -> None:
        """Shared rows the import creates are changes, so they go in the history as such."""
        obj._history_user = self.by
        obj._change_reason = self.reason


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return " ".join(error.messages)


def _list(value: Any, what: str) -> list:
    if not isinstance(value, list):
        raise ExchangeError(f"The file's {what} are not a list.")
    return value


def section(document: dict[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key)
    if not isinstance(value, dict):
        raise ExchangeError(f"The file has no “{key}” section.")
    return value


def import_strategy(document: Any, by: User | None = None) -> tuple[Strategy, list[str]]:
    """Create the strategy of an exported document, with everything in it, in one transaction.
    Returns it with notes for the person importing (things matched rather than created)."""
    if not isinstance(document, dict):
        raise ExchangeError("The file is not a Waymark strategy export.")
    schema = document.get("schema")
    if schema != SCHEMA:
        raise ExchangeError(
            f"The file's schema is {schema!r}; this Waymark reads {SCHEMA!r} only. "
            "Nothing was imported."
        )
    for key in (
        "organisations",
        "users",
        "strategies",
        "history",
        *(p.key for p in EXCHANGE_PARTS),
    ):
        if key not in document:
            raise ExchangeError(f"The file has no “{key}” section. Nothing was imported.")
    importer = Importer(document, by)
    try:
        with transaction.atomic():
            _import_organisations(importer, document["organisations"])
            _import_users(importer, document["users"])
            for part in EXCHANGE_PARTS:
                if part.import_shared:
                    part.import_shared(section(document, part.key), importer)
            _import_content(importer, section(document, "strategies"))
            for part in EXCHANGE_PARTS:
                part.import_(section(document, part.key), importer)
            _import_history(importer, section(document, "history"))
            _record_import(importer)
    except ExchangeError as refusal:
        raise ExchangeError(f"{refusal.message} Nothing was imported.") from None
    except (IntegrityError, DatabaseError, ValueError, TypeError, KeyError) as error:
        raise ExchangeError(
            f"The file could not be imported ({type(error).__name__}: {error}). "
            "Nothing was imported."
        ) from None
    return importer.strategy, importer.notes


def _import_organisations(importer: Importer, rows: Any) -> None:
    for row in _list(rows, "organisations"):
        what = f"Organisation {row.get('id') if isinstance(row, dict) else row!r}"
        old = importer.source_id(row, what)
        slug, name = row.get("slug"), row.get("name")
        existing = Organisation.objects.filter(slug=slug).first()
        if existing is None:
            if Organisation.objects.filter(name=name).exists():
                raise ExchangeError(
                    f"{what}: an organisation called “{name}” is here with another address than "
                    f"“{slug}”. Give them the same address first."
                )
            existing = Organisation(**{n: row[n] for n in ORGANISATION_FIELDS if n in row})
            try:
                existing.full_clean()
            except ValidationError as error:
                raise ExchangeError(f"{what}: {_messages(error)}") from None
            importer.note_created(existing)
            existing.save()
            importer.notes.append(f"Organisation “{name}” created.")
        importer.ids[ORGANISATION][old] = existing.pk


def _import_users(importer: Importer, rows: Any) -> None:
    for row in _list(rows, "users"):
        what = f"User {row.get('id') if isinstance(row, dict) else row!r}"
        old = importer.source_id(row, what)
        user = User.objects.filter(username=row.get("username")).first()
        if user is None:
            # Created so that records can name them, but unable to sign in until an
            # administrator gives them a password and makes them active.
            user = User(
                **{name: row.get(name) or "" for name in USER_FIELDS if name != "is_active"},
                organisation_id=importer.ref(ORGANISATION, row.get("organisation"), what),
                email=row.get("email") or "",
                is_active=False,
            )
            user.set_unusable_password()
            try:
                user.full_clean(exclude=["password"])
            except ValidationError as error:
                raise ExchangeError(f"{what}: {_messages(error)}") from None
            importer.note_created(user)
            user.save()
            importer.notes.append(
                f"User “{user.username}” created, inactive and without a password."
            )
        importer.ids[USER][old] = user.pk


def _import_content(importer: Importer, data: dict[str, Any]) -> None:
    row = data.get("strategy")
    if not isinstance(row, dict):
        raise ExchangeError("The file has no strategy.")
    slug = row.get("slug")
    if Strategy.objects.filter(slug=slug).exists():
        raise ExchangeError(
            f"A strategy at the address “{slug}” is already here. Import into a database "
            "without it."
        )
    replaces = data.get("replaces")
    if replaces:
        local = Strategy.objects.filter(slug=replaces.get("slug")).first()
        importer.ids[STRATEGY][replaces.get("id")] = local.pk if local else None
        if local is None:
            importer.notes.append(
                f"It replaces “{replaces.get('title')}” ({replaces.get('slug')}), which is not "
                "here: import that strategy first to keep the link, or set it by hand."
            )
    importer.strategy = importer.create(Strategy, row, "The strategy")
    for key, model in CONTENT_TABLES:
        if key not in data:
            raise ExchangeError(f"The file's strategy has no “{key}”.")
        if model is Revision:
            for revision in _list(data[key], key):
                if not isinstance(revision, dict) or content_hash(
                    revision.get("content")
                ) != revision.get("content_hash"):
                    raise ExchangeError(
                        f"Revision {revision.get('number') if isinstance(revision, dict) else ''}"
                        " does not match its hash: the file has been changed since it was "
                        "exported."
                    )
        importer.create_all(model, data[key], model._meta.verbose_name.capitalize())


def _import_history(importer: Importer, history: dict[str, Any]) -> None:
    tables = history_tables(importer.strategy)
    importer.history_models = {
        model_label: queryset.model for model_label, queryset in tables.items()
    }
    unknown = set(history) - set(tables)
    if unknown:
        raise ExchangeError(f"The file has history of unknown kinds: {', '.join(sorted(unknown))}.")
    for model_label, queryset in tables.items():
        model = queryset.model
        for row in _list(history.get(model_label, []), f"history of {model_label}"):
            what = f"A history row of {model_label}"
            if not isinstance(row, dict):
                raise ExchangeError(f"{what} is not a record.")
            values = {}
            for f in model._meta.concrete_fields:
                if f.name == "history_id":
                    continue
                if f.name not in row:
                    raise ExchangeError(f"{what} has no “{f.name}”.")
                value = row[f.name]
                if f.name == "id":
                    values["id"] = importer.history_ref(model_label, value, what)
                elif f.name == "history_user":
                    values["history_user_id"] = importer.ref(USER, value, what)
                elif f.is_relation:
                    values[f.attname] = importer.history_ref(label(f.related_model), value, what)
                else:
                    try:
                        values[f.attname] = None if value is None else f.to_python(value)
                    except ValidationError as error:
                        raise ExchangeError(f"{what}: {' '.join(error.messages)}") from None
            model(**values).save()


def _record_import(importer: Importer) -> None:
    """The import is a change a person made: one entry in the strategy's history says so, without
    touching the strategy's own row."""
    strategy = Strategy.objects.get(pk=importer.strategy.pk)
    history = Strategy.history.model
    history.objects.create(
        **{f.attname: getattr(strategy, f.attname) for f in history.tracked_fields},
        history_date=timezone.now(),
        history_type="~",
        history_user=importer.by,
        history_change_reason=importer.reason,
    )
    importer.strategy = strategy
