"""The strategy as a JSON download (portal/exchange/document.py) for staff who can read it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from portal.exchange.document import export_strategy
from strategies import access


@login_required
@require_GET
def export_json(request: HttpRequest, slug: str) -> HttpResponse:
    """Respondents' personal data is in the file only for administrators; everyone else gets
    responses anonymised (or none, if they may not read the consultation's responses)."""
    strategy = access.get_visible_strategy(request.user, slug)
    document = export_strategy(
        strategy, by=request.user, personal_data=access.can_export_personal_data(request.user)
    )
    response = JsonResponse(document, json_dumps_params={"indent": 1, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{strategy.slug}.json"'
    return response
