"""The merged audit history of a strategy and everything inside it.

django-simple-history keeps one history table per model. A strategy's timeline is the union of
the rows of all of them that belong to it, newest first. Paging happens in the database on that
union; only the page's rows are then loaded, with the previous version of each, so a page costs
the same number of queries however long the history grows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Page, Paginator
from django.db import connections, router
from django.db.models import CharField as CharFieldType
from django.db.models import F, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.fields.related import ForeignKey
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString

from strategies.models import (
    Action,
    EvidenceSource,
    IndicatorObjective,
    Objective,
    Organisation,
    OutcomeIndicator,
    Priority,
    Strategy,
    StrategyPartner,
)
from strategies.templatetags.waymark import plain_number

from .history_sources import BY_KIND, NAMED_BY_THEMSELVES, SOURCES
from .word_diff import WordDiff, is_long, preview, word_diff

EMPTY = "—"  # how an empty value reads

# Fields that say where an item sits rather than what it says; never listed as changes.
HIDDEN_FIELDS = {
    "id",
    "strategy",
    "priority",
    "objective",
    "indicator",
    "window",
    "created_at",
    "updated_at",
}
ITEM_LABELS = {
    "strategy": "Strategy",
    "partner": "Partner",
    "priority": "Priority",
    "objective": "Objective",
    "action": "Action",
    "indicator": "Indicator",
    "indicator_objective": "Indicator link",
    "evidence": "Evidence",
}


def sources(strategy: Strategy) -> dict[str, QuerySet]:
    """Each history table's rows that belong to `strategy`, including deleted items' rows."""
    priority_ids = Priority.history.filter(strategy_id=strategy.pk).values("id")
    objective_ids = Objective.history.filter(priority_id__in=priority_ids).values("id")
    indicator_ids = OutcomeIndicator.history.filter(strategy_id=strategy.pk).values("id")
    return {
        "strategy": Strategy.history.filter(id=strategy.pk),
        "partner": StrategyPartner.history.filter(strategy_id=strategy.pk),
        "priority": Priority.history.filter(strategy_id=strategy.pk),
        "objective": Objective.history.filter(priority_id__in=priority_ids),
        "action": Action.history.filter(objective_id__in=objective_ids),
        "indicator": OutcomeIndicator.history.filter(strategy_id=strategy.pk),
        "indicator_objective": IndicatorObjective.history.filter(indicator_id__in=indicator_ids),
        "evidence": EvidenceSource.history.filter(strategy_id=strategy.pk),
        **{source.kind: source.rows(strategy) for source in SOURCES},
    }


@dataclass
class Change:
    label: str
    old: str
    new: str

    @property
    def long(self) -> bool:
        """Whether either value is a long text (more than a few words, or several lines)."""
        return is_long(self.old, self.new)

    @cached_property
    def words(self) -> WordDiff | None:
        """For a long text, what changed inside it word by word; None for a short value, or
        one set or cleared, which reads best as "old → new"."""
        if EMPTY in (self.old, self.new) or not self.long:
            return None
        return word_diff(self.old, self.new)

    @cached_property
    def preview(self) -> SafeString | None:
        """The start of a long new value (the whole text one click away); None if short."""
        return preview(self.new)


@dataclass
class Entry:
    kind: str
    when: datetime.datetime
    who: str
    action: str  # "Created", "Changed" or "Deleted"
    item: str
    reason: str
    changes: list[Change]

    top_level_label: str = "Priority"

    @property
    def kind_label(self) -> str:
        if self.kind == "priority":
            return self.top_level_label
        return ITEM_LABELS.get(self.kind) or BY_KIND[self.kind].label


class _Formatter:
    """Turns stored values into what a person reads, looking related names up in bulk."""

    def __init__(self, records: list[Model]) -> None:
        wanted: dict[type[Model], set[Any]] = {}
        for record in records:
            for f in record.tracked_fields:
                if isinstance(f, ForeignKey) and f.name not in HIDDEN_FIELDS:
                    value = getattr(record, f.attname)
                    if value is not None:
                        wanted.setdefault(f.related_model, set()).add(value)
            if record.instance_type in NAMED_BY_THEMSELVES:  # by its own name, e.g. a reference
                wanted.setdefault(record.instance_type, set()).add(record.id)
        # select_related() follows required foreign keys, so names built from them (a gate is
        # named by its body) cost no query each.
        self.names: dict[type[Model], dict[Any, str]] = {
            model: {
                obj.pk: str(obj)
                for obj in model._default_manager.select_related().filter(pk__in=ids)
            }
            for model, ids in wanted.items()
        }

    def name(self, model: type[Model], pk: Any) -> str:
        return self.names.get(model, {}).get(pk, f"(deleted, #{pk})")

    def __call__(self, f, value: Any) -> str:
        if value is None or value == "":
            return EMPTY
        if isinstance(f, ForeignKey):
            return self.names.get(f.related_model, {}).get(value, f"(deleted, #{value})")
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "j M Y, H:i")
        if isinstance(value, datetime.date):
            return date_format(value, "j M Y")
        if isinstance(value, Decimal):
            return plain_number(value)
        return str(value)


def _item_label(kind: str, record: Model, names: dict[str, dict[int, str]], fmt) -> str:
    if kind not in ITEM_LABELS:
        return BY_KIND[kind].describe(record, fmt)
    if kind == "partner":
        return names["organisation"].get(record.organisation_id, "(deleted organisation)")
    if kind == "indicator_objective":
        indicator = names["indicator"].get(record.indicator_id, "(deleted indicator)")
        objective = names["objective"].get(record.objective_id, "(deleted objective)")
        return f"{indicator} measures {objective}"
    return str(getattr(record, "title", "")) or f"#{record.id}"


def _label(f) -> str:
    name = str(f.verbose_name)
    return name[:1].upper() + name[1:]


def _changes(record: Model, previous: Model | None, fmt: _Formatter) -> list[Change]:
    changes = []
    for f in record.tracked_fields:
        if f.name in HIDDEN_FIELDS:
            continue
        new = getattr(record, f.attname)
        if record.history_type == "-":
            continue
        if previous is None:
            if new in (None, ""):
                continue
            changes.append(Change(_label(f), EMPTY, fmt(f, new)))
        else:
            old = getattr(previous, f.attname)
            if old != new:
                changes.append(Change(_label(f), fmt(f, old), fmt(f, new)))
    return changes


class _CompiledRows:
    """The union's (src, hid) rows for the paginator: one SQL text for both the count and the
    page."""

    def __init__(self, sql: str, params: list, db: str) -> None:
        self.sql, self.params, self.db = sql, params, db

    def count(self) -> int:
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({self.sql}) AS merged", self.params)
            return cursor.fetchone()[0]

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"{self.sql} LIMIT %s OFFSET %s",
                [*self.params, page.stop - page.start, page.start],
            )
            return [{"src": src, "hid": hid} for src, hid, _ in cursor.fetchall()]


# A strategy id no row has: the merged history's SQL is compiled once with it, and each
# strategy's own id then takes its place among the parameters.
_STAND_IN = -918_273_645
_compiled: dict[str, tuple[str, tuple, dict[str, type[Model]]]] = {}


def _merged(strategy: Strategy) -> tuple[_CompiledRows, dict[str, type[Model]]]:
    """The strategy's merged history as SQL, and each kind's history model.

    The union of fifteen history tables is the same for every strategy but for the strategy's
    id, and it costs more to compile than to run; so it is compiled once per database and
    process, for a stand-in strategy, whose id each strategy's then replaces."""
    db = router.db_for_read(Strategy)
    if db not in _compiled:
        tables = sources(Strategy(pk=_STAND_IN))
        for kind, qs in tables.items():
            if _STAND_IN not in qs.query.sql_with_params()[1]:
                raise ImproperlyConfigured(
                    f"The history source “{kind}” does not select its rows by the strategy's "
                    f"id, so the merged history cannot reuse its SQL (see history_sources.py)."
                )
        heads = [
            qs.annotate(
                src=Value(kind, output_field=CharFieldType()),
                hid=F("history_id"),
                at=F("history_date"),
            )
            .values("src", "hid", "at")
            .order_by()
            for kind, qs in tables.items()
        ]
        union = heads[0].union(*heads[1:], all=True).order_by("-at", "-hid")
        sql, params = union.query.sql_with_params()
        _compiled[db] = (sql, params, {kind: qs.model for kind, qs in tables.items()})
    sql, params, models = _compiled[db]
    params = [strategy.pk if p == _STAND_IN else p for p in params]
    return _CompiledRows(sql, params, db), models


def timeline(strategy: Strategy, page_number: Any = 1, per_page: int = 25) -> Page:
    """One page of the strategy's merged history, newest first; each item an Entry."""
    merged, models = _merged(strategy)
    page = Paginator(merged, per_page).get_page(page_number)

    wanted: dict[str, list[int]] = {}
    for row in page.object_list:
        wanted.setdefault(row["src"], []).append(row["hid"])

    records: dict[tuple[str, int], Model] = {}
    previous: dict[tuple[str, int], Model] = {}
    for kind, ids in wanted.items():
        model_history = models[kind]
        earlier = model_history.objects.filter(
            id=OuterRef("id"), history_id__lt=OuterRef("history_id")
        ).order_by("-history_id")
        rows = list(
            model_history.objects.filter(history_id__in=ids)
            .select_related("history_user")
            .annotate(previous_hid=Subquery(earlier.values("history_id")[:1]))
        )
        prev_ids = [r.previous_hid for r in rows if r.previous_hid]
        prev_rows = {p.history_id: p for p in model_history.objects.filter(history_id__in=prev_ids)}
        for r in rows:
            records[(kind, r.history_id)] = r
            if r.previous_hid:
                previous[(kind, r.history_id)] = prev_rows[r.previous_hid]

    all_records = list(records.values()) + list(previous.values())
    fmt = _Formatter(all_records)
    names = _link_names(records)

    entries = []
    for row in page.object_list:
        record = records[(row["src"], row["hid"])]
        prev = previous.get((row["src"], row["hid"]))
        user = record.history_user
        entries.append(
            Entry(
                kind=row["src"],
                when=record.history_date,
                who=(
                    user.display_name
                    if user
                    else "a member of the public"
                    if row["src"] == "response"  # sent through the online form
                    else "System"
                ),
                action={"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type],
                item=_item_label(row["src"], record, names, fmt),
                reason=record.history_change_reason or "",
                changes=_changes(record, prev, fmt),
                top_level_label=strategy.top_level_label,
            )
        )
    page.object_list = entries
    return page


def _link_names(records: dict[tuple[str, int], Model]) -> dict[str, dict[int, str]]:
    """Names for the two link kinds, whose rows carry only ids.

    Deleted items keep their last title."""
    org_ids = {r.organisation_id for (k, _), r in records.items() if k == "partner"}
    ind_ids = {r.indicator_id for (k, _), r in records.items() if k == "indicator_objective"}
    obj_ids = {r.objective_id for (k, _), r in records.items() if k == "indicator_objective"}

    def latest_titles(model, ids) -> dict[int, str]:
        if not ids:
            return {}
        titles: dict[int, str] = {}
        for h in model.history.filter(id__in=ids).order_by("history_id").values("id", "title"):
            titles[h["id"]] = h["title"]
        return titles

    return {
        "organisation": dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "name"))
        if org_ids
        else {},
        "indicator": latest_titles(OutcomeIndicator, ind_ids),
        "objective": latest_titles(Objective, obj_ids),
    }
