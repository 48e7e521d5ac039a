"""The strategy as a JSON download (portal/exchange/document.py) for staff who can read it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from portal.exchange.document import export_text
from strategies import access


@login_required
@require_GET
def export_json(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Respondents' personal data is in the file only for administrators; everyone else gets
    responses anonymised (or none, if they may not read the consultation's responses). Written
    as it is read: memory holds a chunk of rows at a time, however big the strategy."""
    strategy = access.get_visible_strategy(request.user, slug)
    text = export_text(
        strategy, by=request.user, personal_data=access.can_export_personal_data(request.user)
    )
    response = StreamingHttpResponse(text, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{strategy.slug}.json"'
    return response
