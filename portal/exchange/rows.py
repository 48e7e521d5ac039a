"""The rows of an exported strategy document and the two helpers that write and read them: the
Exporter (which rows are carried, and the shared rows they refer to) and the Importer (new ids
for old, references mapped, every refusal an ExchangeError naming what is wrong). document.py
puts the document together; people.py brings in the organisations and users it names;
governance.py and consultation.py are those apps' sections."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import connection, models
from django.db.models import Min

from strategies.models import (
    Strategy,
    User,
)

from .streaming import CHUNK, Lazy

SCHEMA = "waymark.strategy/1"

ORGANISATION = "strategies.organisation"
USER = "strategies.user"
STRATEGY = "strategies.strategy"

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

# Fields added to a model after files of this schema were first written: a file exported before
# a field existed has no key for it, and its rows (and their history) take the field's default.
# Any other missing key is still refused.
ADDED_LATER: dict[str, set[str]] = {
    "strategies.strategy": {"review_due_on", "published_on"},
    "strategies.outcomeindicator": {"polarity", "target_date"},
    "governance.gate": {"forward_plan_reference", "report_number", "agenda_item"},
    "governance.decision": {
        "decided_precision",
        "minute_reference",
        "decision_notice_reference",
        "recorded_later",
        "recorded_from",
    },
    "governance.meeting": {"time_known"},
    "consultation.consultationwindow": {
        "recorded_later",
        "recorded_from",
        "reported_responses",
        "contact_name",
        "contact_email",
        "contact_phone",
    },
    "consultation.event": {"time_known", "ends_on"},
    "consultation.response": {
        "channel",
        "received_on",
        "late",
        "keyed_by",
        "imported_from",
        "source_row_id",
    },
    "consultation.responsetheme": {"suggested"},
    "consultation.yousaidwedid": {"changed_items", "corrected_at"},
}


def added_later(model: type[models.Model], name: str) -> bool:
    """Whether a row of `model` (or of its history) may lack the field `name` (ADDED_LATER)."""
    recorded = getattr(model, "instance_type", model)  # a history table's own model
    return name in ADDED_LATER.get(label(recorded), set())


def default_of(f: models.Field) -> Any:
    """A missing field's value: what a new row would take."""
    return f.get_default()


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

    def value_rows(self, queryset, exclude: Iterable[str] = (), key: str = "") -> Iterator:
        """As `row` for each row of `queryset` in the order given, read as plain values (no model
        objects: fast at tens of thousands of rows), with `key`'s value first when asked:
        (key value, row) pairs then, else rows. Read as they are asked for, a chunk at a time;
        the model counts as carried from the call on."""
        model = queryset.model
        self.carried.add(label(model))
        fields = [f for f in model._meta.concrete_fields if f.name not in set(exclude)]
        names = [f.attname for f in fields]
        shared = [
            (i, label(f.related_model))
            for i, f in enumerate(fields)
            if f.is_relation and label(f.related_model) in self.SHARED
        ]
        values = queryset.values_list(*([key] if key else []), *names).iterator(CHUNK)

        def read() -> Iterator:
            for found in values:
                row = found[1:] if key else found
                for i, target in shared:
                    self.refer(target, row[i])
                data = {f.name: plain(v) for f, v in zip(fields, row, strict=True)}
                yield (found[0], data) if key else data

        return read()

    def rows(self, queryset, exclude: Iterable[str] = (), order: tuple[str, ...] = ("pk",)) -> Lazy:
        """As `row` for each row of `queryset` (by id unless `order` says), read as the document
        is written (streaming.Lazy), a chunk at a time; the model counts as carried now."""
        self.carried.add(label(queryset.model))
        objects = queryset.order_by(*order).iterator(chunk_size=CHUNK)
        return Lazy(self.row(obj, exclude) for obj in objects)


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
        if not isinstance(row, dict):
            raise ExchangeError(f"{what} is not a record.")
        value = row.get("id")
        if not isinstance(value, int):
            raise ExchangeError(f"{what} has no id.")
        return value

    def history_ref(self, target: str, old: Any, what: str) -> int | None:
        """Like `ref`, for history rows, which may name items deleted before the export: those
        get ids of their own below zero, which no live row will ever take."""
        if old is None:
            return None
        if not isinstance(old, int) or isinstance(old, bool):
            raise ExchangeError(f"{what} refers to {target.split('.')[1]} {old!r}, not an id.")
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
            if f.name not in row and added_later(model, f.name):
                values[f.attname] = default_of(f)
                continue
            if f.name not in row:
                raise ExchangeError(f"{what} has no “{f.name}”.")
            value = row[f.name]
            if f.is_relation:
                if value is None and not f.null:
                    raise ExchangeError(f"{what}: “{f.name}” is empty.")
                values[f.attname] = self.ref(label(f.related_model), value, what)
            else:
                values[f.attname] = stored_value(f, value, what)
        return model(**values)

    def save(self, obj: models.Model, what: str, old: int | None = None) -> models.Model:
        """Check and store a row as it was (its dates and counters kept, no history written:
        the row's history comes from the file)."""
        # Empty values are left to the database: the workflow writes some that a form would
        # not accept (a transition's first state is empty), and they are not the file's fault.
        # A title or a name is still needed.
        empty = [
            f.name
            for f in obj._meta.concrete_fields
            if getattr(obj, f.attname) in f.empty_values and not _written_text(f)
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


def stored_value(f: models.Field, value: Any, what: str) -> Any:
    """The file's `value` for the field `f` (not a reference) as the database would store it, or
    a refusal naming the field: a value of the wrong kind, out of the column's range, or empty
    where the field never is."""
    if value is None:
        if not f.null:
            raise ExchangeError(f"{what}: “{f.name}” is empty.")
        return None
    if isinstance(value, dict | list) and not isinstance(f, models.JSONField):
        raise ExchangeError(f"{what}: “{f.name}” is not a single value.")
    try:
        converted = f.to_python(value)
        _in_range(f, converted)
    except ValidationError as error:
        raise ExchangeError(f"{what}: “{f.name}”: {' '.join(error.messages)}") from None
    except (TypeError, ValueError, ArithmeticError):  # OverflowError is one
        raise ExchangeError(f"{what}: “{f.name}” cannot be {value!r}.") from None
    return converted


def _in_range(f: models.Field, value: Any) -> None:
    """What the column can hold (a form's validators would say it; history rows have none)."""
    if value is None:
        return
    if isinstance(f, models.IntegerField) and not isinstance(f, models.AutoField):
        low, high = connection.ops.integer_field_range(f.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError(f"{value} is out of range.")
    elif isinstance(f, models.DecimalField):
        if not value.is_finite():
            raise ValidationError(f"{value} is not a number.")
        DecimalValidator(f.max_digits, f.decimal_places)(value)
    elif isinstance(f, models.FloatField) and not math.isfinite(value):
        raise ValidationError(f"{value} is not a number.")
    elif isinstance(f, models.DateTimeField | models.DateField) and value.year > 9000:
        raise ValidationError(f"{value} is not a plausible date.")
    elif isinstance(f, models.CharField) and f.max_length and len(value) > f.max_length:
        raise ValidationError(f"longer than {f.max_length} characters.")


def _written_text(f: models.Field) -> bool:
    """A title or a name a person gives, which is never empty (other empty text may be the
    workflow's own: a transition's first state)."""
    return f.name in {"title", "name"} and not f.blank


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
