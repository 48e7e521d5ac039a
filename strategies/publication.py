"""What the public may read of a strategy: once published (governance.workflow.publish), the
text frozen as the "As published" revision, never the working copy."""

from __future__ import annotations

from .models import Revision, Strategy

# The label of the revision governance.workflow.publish takes; the public page shows it.
PUBLISHED_LABEL = "As published"


def published_strategies():
    """The strategies with a public page (`Strategy.has_public_page`)."""
    return Strategy.objects.filter(stage__in=Strategy.Stage.published_values()).select_related(
        "lead_organisation"
    )


def published_revision(strategy: Strategy) -> Revision | None:
    return strategy.revisions.filter(label=PUBLISHED_LABEL).order_by("-number").first()
