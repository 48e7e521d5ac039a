"""The site's own pages: the start page or dashboard at `/`, the health check, the approval
timeline across strategies, the page for a form sent without its CSRF token, and the error page
(a 503 while the database cannot be reached, the 500 page otherwise)."""

from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.http import urlencode
from django.views import defaults
from django.views.decorators.http import require_GET

from governance.filters import filter_strategies
from strategies.models import Strategy

from . import dashboard
from .timeline import layout, load_timelines

TIMELINE_PAGE_SIZE = 10  # each strategy is a drawing of its own: ten keep the page quick
RETRY_AFTER = 10  # seconds: what a 503 asks a browser or monitor to wait before trying again


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500
        response = JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: say so plainly (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)


def _database_errors() -> tuple[type[BaseException], ...]:
    """The errors that mean the database cannot be reached or has dropped the connection:
    Django's own (which wrap the driver's), and the driver's, should any arrive unwrapped."""
    errors: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        import psycopg2
    except ImportError:  # pragma: no cover - SQLite only
        pass
    else:
        errors += [psycopg2.OperationalError, psycopg2.InterfaceError]
    return tuple(errors)


DATABASE_DOWN = _database_errors()


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error`, or an error it was raised from or while handling, is the database
    being unreachable."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_DOWN):
            return True
        seen.add(id(error))
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500 (config/urls.py). Django calls it inside the `except` that caught what a
    request raised, in any middleware or view. While the database cannot be reached (stopped,
    restarting, a dropped connection) the answer is a 503 asking to try again shortly, with
    Retry-After; Django discards the broken connection at the end of the request, so the next
    one connects afresh. Nothing here touches the database: the page has no request context."""
    if not database_unavailable(sys.exception()):
        return defaults.server_error(request)
    page = loader.get_template("503.html").render()
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"  # the next try must reach Waymark again
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard for signed-in staff; a public start page for everyone else."""
    if not request.user.is_authenticated:
        return render(request, "portal/start.html")
    return dashboard_page(request)


def dashboard_page(request: HttpRequest) -> HttpResponse:
    board = dashboard.Dashboard(request.user)
    return render(request, "portal/dashboard.html", dashboard.context(board))


@login_required
@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    """Every strategy the user may read, planned against actual, filtered by lead organisation,
    stage and body; `?print=1` gives the same page laid out for paper."""
    filtering = filter_strategies(request.user, request.GET)
    strategies, organisations, bodies = (
        filtering.strategies,
        filtering.organisations,
        filtering.bodies,
    )
    organisation, stage, body = filtering.organisation, filtering.stage, filtering.body
    problems = filtering.problems
    page = Paginator(strategies.order_by("title", "pk"), TIMELINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    timelines = load_timelines(page.object_list, today)
    filters = {"organisation": organisation, "stage": stage, "body": body}
    kept = filtering.query
    printing = request.GET.get("print") == "1"
    return render(
        request,
        "portal/timeline_print.html" if printing else "portal/timeline.html",
        {
            "page": page,
            "timelines": timelines,
            "shared_axis": layout(timelines, today),
            "drawn": any(t.chart for t in timelines),
            "today": today,
            "problems": problems,
            "organisations": organisations,
            "bodies": bodies,
            "stages": Strategy.Stage.choices,
            "organisation": organisation,
            "stage": stage,
            "body": body,
            "filtered": bool(kept),
            "filter_query": kept,
            "print_query": urlencode(
                {**{k: v for k, v in filters.items() if v}, "print": "1", "page": page.number}
            ),
            "chosen": {
                "organisation": next((o for o in organisations if str(o.pk) == organisation), None),
                "stage": dict(Strategy.Stage.choices).get(stage, ""),
                "body": next((b for b in bodies if str(b.pk) == body), None),
            },
        },
    )
