"""Rows for the calendar feed, read with their related objects in one query, each related object
built once however many rows point at it.

`select_related` builds a fresh strategy, body, organisation and meeting for every gate: at
5,000 strategies that is over 100,000 model instances, most of them copies, and building them
was most of the feed's time. Here the query reads plain values (`values_list`) and each related
object is made once per primary key and shared, so the rows are still model instances and the
domain's rules (deadlines, labels) read them as they read any other.
"""

from __future__ import annotations

from django.db import models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


def _columns(model: type[models.Model], unread: set[str]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.name not in unread]


def _maker(model: type[models.Model], db: str, columns: list[str]):
    """Builds an instance of `model` from the values of `columns`, as `model.from_db` does but
    without running `Model.__init__` field by field (a third of the feed's time at 5,000
    strategies): the values go straight where Django keeps them, the instance's `__dict__`
    under each field's attname, and the fields left out are deferred as `.only()` leaves them.
    A model that listens for its own creation (pre_init or post_init) gets `from_db`."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return lambda values: model.from_db(db, columns, values[: len(columns)])
    new = model.__new__

    def make(values):
        """`values` start with the columns' (any after them are another model's)."""
        instance = new(model)
        instance.__dict__.update(zip(columns, values, strict=False))
        instance._state = state = ModelState()
        state.adding, state.db, state.fields_cache = False, db, {}
        return instance

    return make


def with_shared_relations(
    queryset, paths: list[str], unread: dict[str, set[str]] | None = None
) -> list[models.Model]:
    """The rows of `queryset`, with each relation in `paths` ("body", "body__organisation",
    "meeting__body", ...; a parent before its children) set on it as select_related would,
    one instance per related row shared by every row that refers to it. Relations to the same
    model share instances whichever path reached them. `unread` names, by path ("" for the rows
    themselves), long fields the feed never shows: they are deferred, as `.only()` leaves them
    (read one and it costs a query; the feed's tests pin the number)."""
    unread = unread or {}
    model = queryset.model
    db = queryset.db
    own = _columns(model, unread.get("", set()))
    # Each relation: where its parent is among the instances a row reaches (0: the row), the
    # name it is cached under, its maker, its instances by primary key, where its columns
    # start and end in a row, and where its primary key is.
    plan = []
    models_of = {"": model}
    index_of = {"": 0}
    made: dict[type[models.Model], dict[object, models.Model]] = {}
    selected = list(own)
    for path in paths:
        parent, _, name = path.rpartition("__")
        field = models_of[parent]._meta.get_field(name)
        related = models_of[path] = field.related_model
        columns = _columns(related, unread.get(path, set()))
        start = len(selected)
        plan.append(
            (
                index_of[parent],
                field.cache_name,
                _maker(related, db, columns),
                made.setdefault(related, {}),
                start,
                start + len(columns),
                start + columns.index(related._meta.pk.attname),
            )
        )
        index_of[path] = len(plan)
        selected += [f"{path}__{column}" for column in columns]
    rows = []
    make_row = _maker(model, db, own)
    for values in queryset.values_list(*selected):
        row = make_row(values)  # its own columns come first
        reached = [row]
        for parent, name, make, known, start, end, pk in plan:
            holder = reached[parent]
            obj = None
            if holder is not None:
                key = values[pk]
                if key is not None:
                    obj = known.get(key)
                    if obj is None:
                        obj = known[key] = make(values[start:end])
                # As select_related leaves it: the relation cached on the instance holding it.
                holder._state.fields_cache[name] = obj
            reached.append(obj)
        rows.append(row)
    return rows
