"""Pages kept once rendered, until anything they could show has changed.

A cached page is found under a key that holds the *data version*: one reading, in one query,
of the newest row of every history table and of the few tables that keep no history (all of
them append-only, or anonymised with a date), and on PostgreSQL of the transactions still
running, since there a row can commit after a row with a higher id. Every change a person
makes writes a history row (the audit history is complete, see strategies/models/base.py), so
any change anywhere gives a new version, and a page rendered before it is never found again.
Nothing is ever invalidated by hand, and a stale page cannot be served: the worst a missed
change could do is also a hole in the audit history, which the tests forbid.

The key also holds everything else a page depends on: the page's address with its query
string, the host, the person (and their CSRF secret, so that the forms' tokens stay theirs),
htmx's partial requests, and the day in the site's time zone (deadlines, "overdue" and
"today" move with it), or the minute for a page that depends on the time of day. A page is
not kept when it shows or leaves messages, when its answer is not a rendered 200, when it gave
out a new CSRF cookie, or for anything but GET.

Each process keeps its own pages in memory (the "pages" cache, settings.py): nothing is shared
between processes, so nothing needs to be, and a deploy starts with none.
See docs/decisions/0013-pages-cached-by-data-version.md.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

# Tables that keep no history say how a change to them shows in the data version, on the model:
# - `append_only = True`: rows are added, never changed or deleted (their save() refuses), so
#   the newest id shows every change;
# - `stamped_by = "<column>"`: rows are added, and later changed only by stamping that column
#   (a response's `anonymised_at`), so the newest id and the newest stamp show every change;
# - `changed_with = "<foreign key>"`: rows are added, and changed only in the same transaction
#   as the row they belong to, whose own reading shows it (a response's answers).
# The link tables Django keeps without a model of ours (a user's groups) show a change by their
# size and newest row. Every model of Waymark's apps is one of these or recorded by
# django-simple-history (the tests check), so this module names no app's model.


def our_apps() -> list:
    """Waymark's own apps (the packages at the top of the project folder), whose data pages
    show."""
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == Path(settings.BASE_DIR).resolve()
    ]


def our_models() -> list:
    return [m for c in our_apps() for m in c.get_models(include_auto_created=True)]


def is_historical(model) -> bool:
    return hasattr(model, "instance_type")  # django-simple-history's history models


def is_counted(model) -> bool:
    """A many-to-many link table Django made, without history of its own."""
    return model._meta.auto_created and not hasattr(model, "history")


def how_changes_show(model) -> str | None:
    """How a change to `model` shows: "history" (a history table), "append_only", "stamped",
    "changed_with" or "counted"; None for a model recorded by its own history table, or one that
    says nothing (a mistake the tests catch)."""
    if is_historical(model):
        return "history"
    if getattr(model, "append_only", False):
        return "append_only"
    if getattr(model, "stamped_by", None):
        return "stamped"
    if getattr(model, "changed_with", None):
        return "changed_with"
    if is_counted(model):
        return "counted"
    return None


_version_sql: dict[str, str] = {}  # by database vendor


def _readings(model, quote) -> list[str]:
    """What shows a change to one table, as SQL expressions (none for a table with history:
    its history table shows it)."""
    table = quote(model._meta.db_table)
    how = how_changes_show(model)
    readings = []
    if how == "counted":
        readings.append(f"(SELECT COUNT(*) FROM {table})")
    if how is not None:
        readings.append(f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {table})")
    if how == "stamped":
        column = model._meta.get_field(model.stamped_by).column
        readings.append(f"(SELECT MAX({quote(column)}) FROM {table})")
    return readings


def version_sql() -> str:
    """One statement: the newest row of every table whose change a page could show."""
    if connection.vendor not in _version_sql:
        quote = connection.ops.quote_name
        parts = [reading for model in our_models() for reading in _readings(model, quote)]
        if connection.vendor == "postgresql":
            # PostgreSQL hands out ids when rows are inserted, not when they commit: a change
            # that took a lower id can commit after one with a higher id, leaving the newest id
            # where it was. The snapshot (the transactions still running) changes at every
            # commit, so it catches that; the ids still catch changes within one transaction.
            # SQLite gives out ids and commits in the same order (IMMEDIATE transactions).
            parts.append("pg_current_snapshot()::text")
        _version_sql[connection.vendor] = "SELECT " + ", ".join(parts)
    return _version_sql[connection.vendor]


def data_version() -> str:
    """A short string that changes whenever anything a page could show has changed."""
    with connection.cursor() as cursor:
        cursor.execute(version_sql())
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:24]


def _now() -> datetime.datetime:
    return timezone.localtime()


def _key(request: HttpRequest, per: str, csrf_secret: str) -> str:
    now = _now()
    moment = now.strftime("%Y-%m-%d %H:%M") if per == "minute" else now.date().isoformat()
    user = request.user.pk if request.user.is_authenticated else "-"
    parts = [
        request.get_full_path(),
        request.get_host(),
        request.scheme,
        str(user),
        csrf_secret,
        request.headers.get("HX-Request", ""),
        moment,
        data_version(),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _has_messages(request: HttpRequest) -> bool:
    return len(get_messages(request)) > 0  # counts without marking them as shown


def _rebuilt(kept: tuple[int, bytes, list[tuple[str, str]]]) -> HttpResponse:
    status, content, headers = kept
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def cached_page(view: Callable | None = None, *, per: str = "day") -> Callable:
    """Keep the page a view renders until the data version, the day (or, with per="minute",
    the minute) or anything else in its key changes. Put it below the decorators that refuse
    a request (sign-in, method), so that they run every time."""
    if view is None:
        return lambda view: cached_page(view, per=per)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.PAGE_CACHE or request.method != "GET" or _has_messages(request):
            return view(request, *args, **kwargs)
        store = caches["pages"]
        # The version is read before the view runs, so the page is rendered from data at least
        # as new as its key says: a change committed in between only makes it newer.
        csrf_secret = request.META.get("CSRF_COOKIE", "")
        key = _key(request, per, csrf_secret)
        kept = store.get(key)
        if kept is not None:
            return _rebuilt(kept)
        response = view(request, *args, **kwargs)
        new_secret = not csrf_secret and "CSRF_COOKIE" in request.META
        if (
            response.status_code == 200
            and not response.streaming
            and getattr(response, "is_rendered", True)  # a TemplateResponse renders later
            and not new_secret  # its forms' tokens belong to a cookie this answer sets
            and not _has_messages(request)
            and not response.cookies
        ):
            headers = [(name, value) for name, value in response.items()]
            store.set(key, (response.status_code, response.content, headers))
        return response

    return wrapper
