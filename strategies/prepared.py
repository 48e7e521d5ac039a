"""Query sets whose SQL is built once per process and run again with each request's values.

Django builds a query set's SQL afresh every time it is read: on the staff dashboard, two dozen
small queries over the same tables, that is most of the page's time (about 60% at any size,
docs/decisions/0040). The SQL of such a list is the same for every person of the same kind on
every day; only its values change (the day, the person, their organisation). `rows()` builds a
list's query set once per process for each kind of person, with stand-in values, keeps its
compiled SQL, and from then on runs that SQL with the request's own values. The rows always
come from the database: nothing read is kept, only the text of the question.

How the values are found in the SQL, correct by construction or refused:
- The query set is built twice, from two sets of stand-ins that appear nowhere else (a day in
  the year 3000 or 3400; ids near two billion): the person (`User` with a stand-in id and
  organisation, everything else as the real one's) and the day.
- The two SQL texts must be the same: a value that changes the SQL's shape (a branch in the
  builder on the day, say) is refused.
- Each parameter that holds a stand-in becomes that value's slot. A parameter that is a day a
  fixed number of days from the stand-in day in both builds (today + 30 days) becomes the day
  plus that offset. Every other parameter must be the same in both builds (a constant);
  one that differs in any other way is refused.
- Whatever decides the shape and is not one of these values (the person's role, whether they
  have an organisation, anything the caller passes as `shape`) is part of the key.
- A refused or unbuildable query set is read the ordinary way, and under `CHECK` (every test
  run sets it) it fails loudly, as does any prepared read whose SQL and parameters differ from
  those of the same query set built afresh from the real values.

What Django offers for this is internal: the compiler a query set reads through
(`Query.get_compiler`), which is given the prepared SQL; the model instances, related rows and
annotations are then made by Django's own iterables as for any query set. A Django upgrade
that changes this is caught by the test suite, where every prepared read is checked.
"""

from __future__ import annotations

import copy
import datetime
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, ObjectDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import QuerySet
from django.utils import timezone

# Set by the tests (tests/conftest.py): every prepared read is also built afresh and compared.
CHECK = False

# Two stand-ins for each value, far from any real one: days of years no council works in (the
# two days of each value further apart than those of any other, so that a day derived from one
# is never taken for another's), ids near two billion (below PostgreSQL's integer limit).
FIRST_ID, SECOND_ID = 1_800_000_000, 1_900_000_000
PERSON = ("user", "organisation")  # the values a stand-in person carries


def _stand_in_day(order: int, which: int) -> datetime.date:
    return (
        datetime.date(3000 + 10 * order, 1, 1)
        if which == 0
        else datetime.date(3400 + 37 * order, 7, 1)
    )


def _stand_in_id(order: int, index: int, which: int) -> int:
    return (FIRST_ID if which == 0 else SECOND_ID) + order * 1_000_000 + index


class Unpreparable(Exception):
    """The query set's SQL cannot be kept and run again with other values."""


@dataclass(frozen=True)
class Slot:
    position: int
    name: str
    index: int | None  # the place in a list of ids; None for a single value
    offset: datetime.timedelta | None  # days from a day; None for the value itself
    as_text: bool  # the backend takes days as ISO text (SQLite)


@dataclass
class Prepared:
    queryset: QuerySet
    compiler: object
    sql: str | None  # None: a query that can match nothing, whatever the values
    params: tuple
    slots: list[Slot]

    def values_for(self, values: dict) -> tuple:
        params = list(self.params)
        for slot in self.slots:
            value = values[slot.name]
            if slot.index is not None:
                value = value[slot.index]
            if slot.offset is not None:
                value = value + slot.offset
            params[slot.position] = value.isoformat() if slot.as_text else value
        return tuple(params)


_PREPARED: dict[Hashable, Prepared | None] = {}
_LOCK = threading.Lock()


def kind_of(user) -> tuple:
    """What of a person may shape a query's SQL rather than fill its values."""
    return (
        user.is_authenticated,
        getattr(user, "role", None),
        getattr(user, "is_superuser", False),
        getattr(user, "organisation_id", None) is None,
    )


KEPT = {"role", "is_superuser", "is_staff", "is_active"}  # a person's kind, not who they are


def stand_in_user(user, user_id: int, organisation_id: int):
    """A person of `user`'s kind (role and flags) with stand-in ids, everything else deferred:
    a builder that reads anything more of them (their name, say) cannot be prepared."""
    if not user.is_authenticated:
        return user
    model = user.__class__  # through a lazy request.user too
    stand_ins = {
        "id": user_id,
        "organisation_id": None if user.organisation_id is None else organisation_id,
    }
    fields = [f.attname for f in model._meta.concrete_fields if f.attname in KEPT | {*stand_ins}]
    values = [stand_ins[name] if name in stand_ins else getattr(user, name) for name in fields]
    return model.from_db(None, fields, values)


def _signature(values: dict) -> tuple:
    """What of the values shapes the SQL: each one's name and kind, and a list's length."""
    shaped = []
    for name, value in sorted(values.items()):
        if isinstance(value, tuple):
            shaped.append((name, "ids", len(value)))
        elif type(value) in (int, datetime.date):
            shaped.append((name, type(value).__name__))
        else:
            raise TypeError(f"{name}: a prepared query takes days, ids and lists of ids")
    return tuple(shaped)


def _normal(values: dict) -> dict:
    """Lists of ids as tuples without repeats (as SQL's IN takes them), in their order."""
    return {
        name: tuple(dict.fromkeys(value)) if isinstance(value, list | tuple | set) else value
        for name, value in values.items()
    }


def _stand_ins(values: dict, which: int) -> dict:
    """Stand-ins for `values` (and the person's ids), the first or second set."""
    names = sorted(values) + list(PERSON)
    stand_ins = {}
    for order, name in enumerate(names):
        value = values.get(name, 0)
        if isinstance(value, tuple):
            stand_ins[name] = tuple(_stand_in_id(order, i, which) for i in range(len(value)))
        elif type(value) is datetime.date:
            stand_ins[name] = _stand_in_day(order, which)
        else:
            stand_ins[name] = _stand_in_id(order, 0, which)
    return stand_ins


def _date_of(param) -> datetime.date | None:
    if type(param) is datetime.date:
        return param
    if isinstance(param, str) and len(param) == 10:
        try:
            return datetime.date.fromisoformat(param)
        except ValueError:
            return None
    return None


def _compile(build: Callable, user, values: dict) -> tuple:
    """The query set `build` gives for stand-in values, its compiler, SQL and parameters (the
    SQL None: a query that can match nothing, whatever the values)."""
    inputs = {name: value for name, value in values.items() if name not in PERSON}
    try:
        if user is not None:
            inputs["user"] = stand_in_user(user, values["user"], values["organisation"])
        queryset = build(**inputs)
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = None, ()
    except (ObjectDoesNotExist, TypeError, ValueError, AttributeError) as problem:
        raise Unpreparable(f"{type(problem).__name__}: {problem}") from problem
    return queryset, compiler, sql, tuple(params)


def compiled(queryset) -> tuple[str | None, tuple]:
    """A query set's SQL and parameters as Django builds them (None: it can match nothing)."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None, ()
    return sql, tuple(params)


def _slot(position: int, one, two, first: dict, second: dict) -> Slot | None:
    """What parameter `position` holds, given its value in the first build (`one`) and the
    second (`two`), built from the stand-ins `first` and `second`: a value, a day some days
    from a day, or (None) a constant."""
    if type(one) is int:
        for name, a in first.items():
            b = second[name]
            if isinstance(a, tuple) and one in a and b[a.index(one)] == two:
                return Slot(position, name, a.index(one), None, False)
            if type(a) is int and (one, two) == (a, b):
                return Slot(position, name, None, None, False)
    day_one, day_two = _date_of(one), _date_of(two)
    if day_one and day_two:
        for name, a in first.items():
            if type(a) is datetime.date and day_one - a == day_two - second[name]:
                return Slot(position, name, None, day_one - a, isinstance(one, str))
    if one != two or type(one) is not type(two):
        raise Unpreparable(f"parameter {position} depends on the values in another way")
    return None


def prepare(key: Hashable, build: Callable, user, values: dict) -> Prepared:
    first_values, second_values = _stand_ins(values, 0), _stand_ins(values, 1)
    first = _compile(build, user, first_values)
    second = _compile(build, user, second_values)
    if first[2] != second[2]:
        raise Unpreparable(f"{key}: the SQL's shape depends on the values")
    queryset, compiler, sql, params = first
    slots = [
        _slot(n, one, two, first_values, second_values)
        for n, (one, two) in enumerate(zip(params, second[3], strict=True))
    ]
    return Prepared(queryset, compiler, sql, params, [s for s in slots if s is not None])


def rows(name: str, build: Callable, *, user=None, shape: Hashable = (), **values) -> list:
    """The rows of `build(**values)` (given `user=` too when there is a person), a query set:
    model instances or values, with whatever it selects related. Its SQL is prepared once per
    process for people of `user`'s kind, `shape`, and values of the same kinds (days, ids, and
    lists of ids of the same length). `name` names the query: one name, one builder."""
    values = _normal(values)
    connection = connections[router.db_for_read(None) or DEFAULT_DB_ALIAS]
    key = (
        name,
        connection.alias,
        connection.vendor,
        timezone.get_current_timezone_name(),
        None if user is None else kind_of(user),
        shape,
        _signature(values),
    )
    if key not in _PREPARED:
        try:
            prepared = prepare(key, build, user, values)
        except Unpreparable:
            if CHECK:
                raise
            prepared = None
        with _LOCK:
            _PREPARED[key] = prepared
    inputs = dict(values) if user is None else {**values, "user": user}
    prepared = _PREPARED[key]
    if prepared is None:
        return list(build(**inputs))
    person = {} if user is None else {"user": user.pk, "organisation": user.organisation_id}
    params = prepared.values_for({**values, **person})
    if CHECK and (afresh := compiled(build(**inputs))) != (prepared.sql, params):
        raise AssertionError(
            f"prepared query {name} differs from the query built afresh:\n"
            f"{prepared.sql}\n{params}\nagainst\n{afresh[0]}\n{afresh[1]}"
        )
    if prepared.sql is None:
        return []
    return list(_with_sql(prepared, params))


def forget() -> None:
    """Drop every prepared query (for tests that change what a builder reads, such as a module's
    period)."""
    with _LOCK:
        _PREPARED.clear()


def _with_sql(prepared: Prepared, params: tuple) -> QuerySet:
    """A fresh copy of the prepared query set that reads through the kept SQL with `params`."""
    queryset = prepared.queryset._chain()
    compiler = copy.copy(prepared.compiler)
    compiler.connection = connections[queryset.db]
    compiler.as_sql = lambda *args, **kwargs: (prepared.sql, params)
    queryset.query.get_compiler = lambda *args, **kwargs: compiler
    return queryset
