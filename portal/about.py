"""The pages about Waymark itself, linked from the footer of every page: the accessibility
statement (at `/accessibility/`, an address the design keeps stable) and the privacy notice.

Both are public and read nothing from the database, so they answer the same to everyone and
cost no query. Who runs the service and where to write come from settings
(`OPEN_DATA_PUBLISHER`, `WAYMARK_CONTACT_EMAIL`), so each organisation that runs Waymark
publishes its own name and address without editing a template."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

# The dates the statement gives (the regulations ask for when it was prepared and reviewed, and
# when the service was last tested); change them when the statement is reviewed.
STATEMENT_PREPARED = datetime.date(2026, 12, 6)
LAST_TESTED = datetime.date(2026, 12, 6)


def _about(request: HttpRequest, template: str, extra: dict | None = None) -> HttpResponse:
    context = {
        "operator": settings.OPEN_DATA_PUBLISHER,
        "contact_email": settings.WAYMARK_CONTACT_EMAIL,
        "site_address": settings.WAYMARK_BASE_URL,
        **(extra or {}),
    }
    return render(request, template, context)


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """In the sections of GOV.UK's sample accessibility statement (see the template)."""
    return _about(
        request,
        "portal/accessibility_statement.html",
        {"prepared": STATEMENT_PREPARED, "last_tested": LAST_TESTED},
    )


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return _about(
        request,
        "portal/privacy_notice.html",
        {
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
            "retention_days": settings.RESPONSE_RETENTION_DAYS,
        },
    )
