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

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

# Tables that keep no history, and how a change to them shows in the data version. Every model
# of Waymark's apps is either recorded by django-simple-history or named here (the tests check).
APPEND_ONLY = {  # rows are added, never changed or deleted (their save() refuses)
    "strategies.Revision",
    "strategies.SentReminder",
    "governance.Decision",
    "governance.Transition",
}
ANONYMISED = {  # added by the public; later anonymised, which stamps the row's anonymised_at
    "consultation.Response": "anonymised_at",
    "consultation.PriorityAnswer": None,  # anonymised with its response, in one transaction
}
COUNTED = {  # small link tables Django keeps without a model of ours: their size and newest row
    "strategies.User_groups",
    "strategies.User_user_permissions",
    "governance.GateTemplate_waits_for",
}
APPS = ["strategies", "governance", "consultation"]

_version_sql: dict[str, str] = {}  # by database vendor


def is_historical(model) -> bool:
    return hasattr(model, "instance_type")  # django-simple-history's history models


def _readings(model, quote) -> list[str]:
    """What shows a change to one table, as SQL expressions (none for a table with history:
    its history table shows it)."""
    name, table = model._meta.label, quote(model._meta.db_table)
    readings = []
    if name in COUNTED:
        readings.append(f"(SELECT COUNT(*) FROM {table})")
    if is_historical(model) or name in APPEND_ONLY or name in ANONYMISED or name in COUNTED:
        readings.append(f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {table})")
    if ANONYMISED.get(name):
        readings.append(f"(SELECT MAX({quote(ANONYMISED[name])}) FROM {table})")
    return readings


def version_sql() -> str:
    """One statement: the newest row of every table whose change a page could show."""
    if connection.vendor not in _version_sql:
        quote = connection.ops.quote_name
        parts = [
            reading
            for label in APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            for reading in _readings(model, quote)
        ]
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
