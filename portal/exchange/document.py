"""A strategy as one JSON document, and back: for publication, a move to another system, or a
records request (see docs/decisions/0009-exports-and-publication.md).

The document has a schema version at the top, the organisations and users it refers to (by
natural key: slug, username), then one section per app: `strategies` (the strategy, its content
and revisions, written here), `governance`, `consultation` and `delivery` (governance.py,
consultation.py and delivery.py, listed in `PARTS` below; `documents` carries the documents'
details and hashes, not their files), and `history`: the audit history rows of the strategy and
everything in it, as the History tab shows them.

A download writes the same document as it is read (export_text, streaming.py), its shared
rows (bodies and meetings, users, organisations) last, once every row naming them has been read:
JSON objects have no order, and an import reads either.

Rows carry the ids they had in the database they came from; references between rows use those
ids. An import gives every row a new id and maps the references, in one transaction: a file
with an unknown schema, a missing key, a reference to a row that is not in the file, a slug
that is already taken, or a revision or decision whose hash does not match is refused with an
ExchangeError that says what is wrong, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from consultation.models import Response
from portal.history import sources as history_sources
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
from strategies.revisions import content_hash

from . import consultation as consultation_part
from . import delivery as delivery_part
from . import documents as documents_part
from . import governance as governance_part
from . import indicators as indicators_part
from . import people
from .rows import (
    ORGANISATION,
    ORGANISATION_FIELDS,
    SCHEMA,
    STRATEGY,
    USER,
    USER_FIELDS,
    ExchangeError,
    Exporter,
    Importer,
    _list,
    added_later,
    default_of,
    label,
    plain,
    section,
    stored_value,
)
from .streaming import CHUNK, Lazy, json_text, read_whole


@dataclass(frozen=True)
class Part:
    """An app's section of the document, under `key`. `export(strategy, exporter)` gives its rows
    of the strategy; `export_shared(exporter)` (run after every part's `export`) the shared rows
    they refer to, such as bodies and meetings. On import, every `import_shared(data, importer)`
    runs before any `import_(data, importer)`, in the order of PARTS. A part carried `since_later`
    than the first files of the schema may be missing from a file: it imports as empty."""

    key: str
    export: Callable
    import_: Callable
    export_shared: Callable | None = None
    import_shared: Callable | None = None
    since_later: bool = False
    # The keys of the section export_shared gives.
    shared_keys: tuple[str, ...] = ()


PARTS = [
    Part(
        "governance",
        governance_part.export_part,
        governance_part.import_part,
        export_shared=governance_part.export_shared,
        import_shared=governance_part.import_shared,
        shared_keys=governance_part.SHARED_KEYS,
    ),
    Part("consultation", consultation_part.export_part, consultation_part.import_part),
    Part("delivery", delivery_part.export_part, delivery_part.import_part, since_later=True),
    Part(
        indicators_part.KEY,
        indicators_part.export_part,
        indicators_part.import_part,
        since_later=True,
    ),
    # Details and hashes only: an import leaves the documents out, with a note (documents.py).
    Part("documents", documents_part.export_part, documents_part.import_part, since_later=True),
]

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
    document = read_whole(_document(strategy, by, personal_data))
    # In the order of the first files: the shared rows before what refers to them.
    first = ["schema", "exported_at", "exported_by", "personal_data", "organisations", "users"]
    order = [*first, "strategies", *(part.key for part in PARTS), "history"]
    return {key: document[key] for key in order}


def export_text(
    strategy: Strategy, by: User | None = None, personal_data: bool = False
) -> Iterator[str]:
    """The same document as JSON text, written as it is read, for a download: memory holds a
    chunk of rows at a time. Its keys come in another order than export_strategy's (the rows
    shared by others, such as users, last, once every row that names them has been read), which
    a JSON reader, and import_strategy, do not see."""
    return json_text(_document(strategy, by, personal_data))


def _document(strategy: Strategy, by: User | None, personal_data: bool) -> dict[str, Any]:
    """The document with its tables as streaming.Lazy lists, in the order they can be written:
    the strategy's own rows first, then the history, then the shared rows they refer to
    (bodies and meetings, users, organisations), read when the writing reaches them."""
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
    # Each part's tables are carried from here on (Exporter.rows), before their rows are read.
    parts = {part.key: part.export(strategy, exporter) for part in PARTS}
    history = {}
    for model_label, queryset in history_tables(strategy).items():
        if model_label in exporter.withheld or model_label not in exporter.carried:
            continue
        history[model_label] = Lazy(
            exporter.row(row, exclude={"history_id"})
            for row in queryset.order_by("history_date", "history_id").iterator(CHUNK)
        )
    shared = cache(lambda: _shared_rows(exporter))
    for part in PARTS:
        for key in part.shared_keys:
            parts[part.key][key] = Lazy(lambda part=part, key=key: shared()[part.key][key])
    return {
        "schema": SCHEMA,
        "exported_at": plain(timezone.now().replace(microsecond=0)),
        "exported_by": by.username if by is not None and by.is_authenticated else "",
        "personal_data": personal_data,
        "strategies": section,
        **{part.key: parts[part.key] for part in PARTS if not part.shared_keys},
        "history": history,
        **{part.key: parts[part.key] for part in PARTS if part.shared_keys},
        "users": Lazy(lambda: shared()["users"]),
        "organisations": Lazy(lambda: shared()["organisations"]),
    }


def _shared_rows(exporter: Exporter) -> dict[str, Any]:
    """The rows the strategy's rows refer to: each part's shared section, users, organisations.
    Read once, when the first of them is written: after every row of the strategy and its
    history, so that all their references are known."""
    found: dict[str, Any] = {}
    for part in reversed(PARTS):
        if part.export_shared:
            found[part.key] = part.export_shared(exporter)
    found["users"] = []
    for user in User.objects.filter(pk__in=exporter.referenced[USER]).order_by("pk"):
        exporter.refer(ORGANISATION, user.organisation_id)
        found["users"].append(
            {
                "id": user.pk,
                **{name: getattr(user, name) for name in USER_FIELDS},
                "organisation": user.organisation_id,
                "email": user.email if exporter.personal_data else "",
            }
        )
    organisations = Organisation.objects.filter(pk__in=exporter.referenced[ORGANISATION])
    found["organisations"] = [
        {"id": o.pk, **{name: getattr(o, name) for name in ORGANISATION_FIELDS}}
        for o in organisations.order_by("pk")
    ]
    return found


def _strategy_path(model: type[models.Model]) -> str:
    return {
        Objective: "priority__strategy",
        Action: "objective__priority__strategy",
        IndicatorObjective: "indicator__strategy",
    }.get(model, "strategy")


# Import -----------------------------------------------------------------------------------------


# What a file unlike any export can still raise past the checks (the last net of import_strategy).
MALFORMED = (DatabaseError, ValidationError, ValueError, TypeError, KeyError, ArithmeticError)


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
        *(p.key for p in PARTS if not p.since_later),
    ):
        if key not in document:
            raise ExchangeError(f"The file has no “{key}” section. Nothing was imported.")
    importer = Importer(document, by)
    try:
        with transaction.atomic():
            people.import_organisations(importer, document["organisations"])
            people.import_users(importer, document["users"])
            for part in PARTS:
                if part.import_shared:
                    part.import_shared(section(document, part.key), importer)
            _import_content(importer, section(document, "strategies"))
            for part in PARTS:
                if part.since_later and part.key not in document:
                    continue  # a file from before the part was carried
                part.import_(section(document, part.key), importer)
            _import_history(importer, section(document, "history"))
            _record_import(importer)
    except ExchangeError as refusal:
        raise ExchangeError(f"{refusal.message} Nothing was imported.") from None
    except MALFORMED as error:
        raise ExchangeError(
            f"The file could not be imported ({type(error).__name__}: {error}). "
            "Nothing was imported."
        ) from None
    return importer.strategy, importer.notes


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
    if replaces is not None and not isinstance(replaces, dict):
        raise ExchangeError("The strategy it replaces is not a record.")
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


# History rows whose JSON names items by id (a progress report's commentary and snapshot) have
# those ids mapped as the live row's are, so the row and its history still agree.
HISTORY_VALUES = {"delivery.progressreport": delivery_part.history_values}


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
                if f.name not in row and added_later(model, f.name):
                    values[f.attname] = default_of(f)
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
                    values[f.attname] = stored_value(f, value, what)
            if fix := HISTORY_VALUES.get(model_label):  # ids inside a row's JSON, mapped
                fix(values, importer)
            model(**values).save()
    if label(Response) not in history:  # a file from before responses kept a history
        _first_response_history(importer)


def _first_response_history(importer: Importer) -> None:
    """Each response brought in gets the history row its file could not carry: who brought it
    in, now."""
    history = Response.history.model
    for response in Response.objects.filter(window__strategy=importer.strategy).order_by("pk"):
        history.objects.create(
            **{f.attname: getattr(response, f.attname) for f in history.tracked_fields},
            history_date=timezone.now(),
            history_type="+",
            history_user=importer.by,
            history_change_reason=f"{importer.reason} (its file carried no history of responses)",
        )


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
