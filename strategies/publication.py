"""What the public may read of a strategy: once published (governance.workflow.publish), the
text frozen as the "As published" revision, never the working copy."""

from __future__ import annotations

from django.db.models import Q

from .models import Revision, Strategy

# The label of the revision governance.workflow.publish takes; the public page shows it.
PUBLISHED_LABEL = "As published"


def published_strategies():
    """The strategies with a public page (`Strategy.has_public_page`)."""
    stages = Strategy.Stage
    return Strategy.objects.filter(
        Q(stage__in=stages.published_values())
        | Q(stage__in=stages.once_published_values(), published_on__isnull=False)
    ).select_related("lead_organisation")


def published_revision(strategy: Strategy) -> Revision | None:
    return strategy.revisions.filter(label=PUBLISHED_LABEL).order_by("-number").first()
