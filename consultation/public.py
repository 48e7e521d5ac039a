"""Consultation's panel on the public page of a published strategy (registered in apps.py)."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import ConsultationWindow, YouSaidWeDid


def public_response_panel(request, strategy, published) -> dict | None:
    """The published "you said, we did" of the strategy's consultations: what the public was
    told, never the responses themselves."""
    windows = list(
        ConsultationWindow.objects.filter(
            strategy=strategy, state=ConsultationWindow.State.RESPONSE_PUBLISHED
        )
        .prefetch_related(
            Prefetch("you_said_we_did", queryset=YouSaidWeDid.objects.select_related("theme"))
        )
        .order_by("closes_on", "pk")
    )
    return {"windows": windows} if windows else None
