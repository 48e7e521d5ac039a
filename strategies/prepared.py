"""Query sets whose SQL is built once per process and run again with each request's values.

Django builds a query set's SQL afresh every time it is read: on the staff dashboard, two dozen
small queries over the same tables, that is most of the page's time (about 60% at any size,
docs/decisions/0040). The SQL of such a list is the same for every person of the same kind on
the same day; only the ids change (the person, their organisation, a strategy). `rows()`
builds a list's query set once per process for each kind of person and each day, with stand-in
ids, keeps its compiled SQL, and runs that SQL with each request's own ids. The rows always come
from the database: nothing read is kept, only the text of the question.

How the ids are found in the SQL, or the query refused:
- The day is part of the key, never a stand-in: whatever a builder does with it (the first of
  the month, the next working day, a rule that starts on a date) is in the SQL as built.
- The query set is built twice, from two sets of stand-in ids that appear nowhere else (near two
  billion): the person (a `User` with stand-in ids, their role and superuser flag as the real
  one's, every other field deferred) and the other ids and lists of ids the caller names.
- While it is built nothing may read the database (a builder that looks something up would keep
  the answer for the stand-in), and a `Prefetch` with a query set of its own is refused (its
  SQL is not the one kept). Reading any other field of the person is such a read.
- The two SQL texts must be the same. Each parameter that holds a stand-in id in both builds
  becomes that id's slot; every other parameter must be the same in both builds (a constant),
  or the query is refused.
- The first preparation is also checked against the query set built from the real values.
- Whatever decides the shape and is not an id (the day, the person's role, whether they have an
  organisation, the length of a list of ids, anything the caller passes as `shape`) is part of
  the key.
- A refused query set is read the ordinary way, and under `CHECK` (every test run sets it) it
  fails loudly, as does any prepared read whose SQL and parameters differ from those of the same
  query set built afresh from the real values.

A builder must not branch on an id's value (`if organisation_id == 3`): the stand-ins cannot
show it. None does; CHECK would catch one in the tests that use such an id.

What Django offers for this is internal: the compiler a query set reads through
(`Query.get_compiler`), which is given the prepared SQL; the model instances, related rows and
annotations are then made by Django's own iterables as for any query set. A Django upgrade
that changes this is caught by the test suite, where every prepared read is checked.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable
from contextlib import ExitStack
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

# Set by the tests (tests/conftest.py): every prepared read is also built afresh and compared.
CHECK = False
# At most this many prepared queries a process (the oldest are dropped first): a few dozen
# names, a few kinds of person, a day, and lists of a few lengths each.
LIMIT = 2000

# Stand-in ids, far from any real one and below PostgreSQL's integer limit.
FIRST_ID, SECOND_ID = 1_800_000_000, 1_900_000_000
PERSON = ("user", "organisation")  # the ids a stand-in person carries


def _stand_in_id(order: int, index: int, which: int) -> int:
    return (FIRST_ID if which == 0 else SECOND_ID) + order * 1_000_000 + index


class Unpreparable(Exception):
    """The query set's SQL cannot be kept and run again with other values."""


@dataclass(frozen=True)
class Slot:
    position: int
    name: str
    index: int | None  # the place in a list of ids; None for a single id


@dataclass
class Prepared:
    queryset: QuerySet
    compiler: object
    sql: str | None  # None: a query that can match nothing, whatever the ids
    params: tuple
    slots: list[Slot]

    def values_for(self, ids: dict) -> tuple:
        params = list(self.params)
        for slot in self.slots:
            value = ids[slot.name]
            params[slot.position] = value if slot.index is None else value[slot.index]
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


KEPT = {"role", "is_superuser"}  # a person's kind (kind_of), not who they are


def stand_in_user(user, user_id: int, organisation_id: int):
    """A person of `user`'s kind (role and superuser flag) with stand-in ids, every other field
    deferred: a builder that reads anything more of them cannot be prepared."""
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


def _signature(ids: dict) -> tuple:
    """What of the ids shapes the SQL: each one's name, and a list's length."""
    shaped = []
    for name, value in sorted(ids.items()):
        if name in PERSON:
            raise TypeError(f"{name}: the person's ids come from `user`")
        if isinstance(value, tuple):
            shaped.append((name, len(value)))
        elif type(value) is int:
            shaped.append((name, None))
        else:
            raise TypeError(f"{name}: a prepared query takes ids and lists of ids")
    return tuple(shaped)


def _normal(ids: dict) -> dict:
    """Lists of ids as tuples without repeats (as SQL's IN takes them), in their order."""
    return {
        name: tuple(dict.fromkeys(value)) if isinstance(value, list | tuple | set) else value
        for name, value in ids.items()
    }


def _stand_ins(ids: dict, which: int) -> dict:
    """Stand-ins for `ids` and the person's, the first or second set."""
    stand_ins = {}
    for order, name in enumerate([*sorted(ids), *PERSON]):
        value = ids.get(name, 0)
        if isinstance(value, tuple):
            stand_ins[name] = tuple(_stand_in_id(order, i, which) for i in range(len(value)))
        else:
            stand_ins[name] = _stand_in_id(order, 0, which)
    return stand_ins


def _no_reads(execute, sql, params, many, context):
    raise Unpreparable("the builder read the database while building the query")


def _compile(build: Callable, user, today, ids: dict) -> tuple:
    """The query set `build` gives for these ids, its compiler, SQL and parameters (the SQL
    None: a query that can match nothing, whatever the ids). Nothing may read the database."""
    inputs = {name: value for name, value in ids.items() if name not in PERSON}
    if today is not None:
        inputs["today"] = today
    with ExitStack() as guard:
        for connection in connections.all():
            guard.enter_context(connection.execute_wrapper(_no_reads))
        try:
            if user is not None:
                inputs["user"] = stand_in_user(user, ids["user"], ids["organisation"])
            queryset = build(**inputs)
            lookups = queryset._prefetch_related_lookups
            if any(isinstance(p, Prefetch) and p.queryset is not None for p in lookups):
                raise Unpreparable("a Prefetch with a query set of its own is read apart")
            compiler = queryset.query.get_compiler(using=queryset.db)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                sql, params = None, ()
        except Unpreparable:
            raise
        except Exception as problem:
            raise Unpreparable(f"{type(problem).__name__}: {problem}") from problem
    compiler.connection = None  # set for each read, in its thread
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
    second (`two`), built from the stand-ins `first` and `second`: an id, or (None) a
    constant."""
    if type(one) is int:
        for name, a in first.items():
            b = second[name]
            if isinstance(a, tuple) and one in a and b[a.index(one)] == two:
                return Slot(position, name, a.index(one))
            if type(a) is int and (one, two) == (a, b):
                return Slot(position, name, None)
    if one != two or type(one) is not type(two):
        raise Unpreparable(f"parameter {position} depends on the ids in another way")
    return None


def prepare(key: Hashable, build: Callable, user, today, ids: dict) -> Prepared:
    first_ids, second_ids = _stand_ins(ids, 0), _stand_ins(ids, 1)
    first = _compile(build, user, today, first_ids)
    second = _compile(build, user, today, second_ids)
    if first[2] != second[2]:
        raise Unpreparable(f"{key}: the SQL's shape depends on the ids")
    queryset, compiler, sql, params = first
    slots = [
        _slot(n, one, two, first_ids, second_ids)
        for n, (one, two) in enumerate(zip(params, second[3], strict=True))
    ]
    return Prepared(queryset, compiler, sql, params, [s for s in slots if s is not None])


def _person(user) -> dict:
    if user is None:
        return {}
    return {"user": user.pk, "organisation": getattr(user, "organisation_id", None)}


def rows(name: str, build: Callable, *, user=None, today=None, shape: Hashable = (), **ids):
    """The rows of `build(**ids)` (given `user=` and `today=` too when there are), a query set:
    model instances or values, with whatever it selects related. Its SQL is prepared once per
    process for people of `user`'s kind, `today`, `shape`, and ids of the same kinds (single
    ids, and lists of ids of the same length). `name` names the query: one name, one builder.
    Returns a list."""
    ids = _normal(ids)
    connection = connections[router.db_for_read(None) or DEFAULT_DB_ALIAS]
    key = (
        name,
        connection.alias,
        connection.vendor,
        timezone.get_current_timezone_name(),
        None if user is None else kind_of(user),
        today,
        shape,
        _signature(ids),
    )
    inputs = dict(ids)
    if user is not None:
        inputs["user"] = user
    if today is not None:
        inputs["today"] = today
    prepared = _PREPARED.get(key, False)
    if prepared is False:
        prepared = _prepared_or_none(key, build, user, today, ids, inputs)
    if prepared is None:
        return list(build(**inputs))
    params = prepared.values_for({**ids, **_person(user)})
    if CHECK:
        _check(name, prepared, params, build(**inputs))
    if prepared.sql is None:
        return []
    return list(_with_sql(prepared, params))


def _prepared_or_none(key, build, user, today, ids: dict, inputs: dict) -> Prepared | None:
    """The query prepared and checked against the real values once, kept under `key`; None
    (kept too) if it cannot be (raised instead under CHECK)."""
    try:
        prepared = prepare(key, build, user, today, ids)
        try:  # a stand-in id out of a column's range makes "matches nothing", say
            _check(key[0], prepared, prepared.values_for({**ids, **_person(user)}), build(**inputs))
        except AssertionError as differs:
            raise Unpreparable(str(differs)) from differs
    except Unpreparable:
        if CHECK:
            raise
        prepared = None
    with _LOCK:
        while len(_PREPARED) >= LIMIT:
            del _PREPARED[next(iter(_PREPARED))]  # the oldest first
        _PREPARED[key] = prepared
    return prepared


def _check(name: str, prepared: Prepared, params: tuple, afresh: QuerySet) -> None:
    """Fails unless the prepared SQL with `params` is the query set's built afresh."""
    sql, expected = compiled(afresh)
    if (prepared.sql, params) != (sql, expected):
        raise AssertionError(
            f"prepared query {name} differs from the query built afresh:\n"
            f"{prepared.sql}\n{params}\nagainst\n{sql}\n{expected}"
        )


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
