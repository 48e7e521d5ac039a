"""What a "you said, we did" entry must be, whichever door it comes through: it says what
changed in the strategy (with the revision that changed it, taken after the text consulted on,
and the items it changed, each different between the two) or why nothing changed. Each problem
is a WorkflowError naming the field it belongs beside, as in rules.py."""

from __future__ import annotations

from django.db.models import QuerySet

from governance.workflow import WorkflowError
from strategies.models import Revision
from strategies.revisions import items_of

from ..changes import changes_of, keys_of
from ..models import ConsultationWindow, Theme, YouSaidWeDid

# The choice an entry makes with its "the strategy changed" box, named wherever it is missing.
CHANGED_OR_WHY_NOT = (
    "Tick “the strategy changed” and say what changed, or leave it unticked and say why nothing "
    "changed."
)


def entry_problems(entry: YouSaidWeDid) -> list[WorkflowError]:
    """An entry says what changed (with the revision that changed it, after the text consulted
    on, and the items it changed: changed_item_problems) or why nothing did. (That its theme
    and revision are its consultation's own is the model's check, YouSaidWeDid.clean.)"""
    if not entry.changed:
        problems = [] if entry.why_not.strip() else [WorkflowError(CHANGED_OR_WHY_NOT, "why_not")]
        if keys_of(entry):
            problems.append(
                WorkflowError(
                    "Items are chosen only when the strategy changed: tick “the strategy "
                    "changed”, or untick them.",
                    field="changed_items",
                )
            )
        return problems
    problems = [] if entry.we_did.strip() else [WorkflowError(CHANGED_OR_WHY_NOT, "we_did")]
    consulted_on = entry.window.revision if entry.window_id else None
    if entry.revision_id is None:
        problems.append(
            WorkflowError("Choose the revision that made the change.", field="revision")
        )
    elif consulted_on is not None and entry.revision.number <= consulted_on.number:
        problems.append(
            WorkflowError(
                f"Choose a revision taken after the text consulted on (revision "
                f"{consulted_on.number}).",
                field="revision",
            )
        )
    else:
        problems += changed_item_problems(entry, consulted_on)
    return problems


def changed_item_problems(
    entry: YouSaidWeDid, consulted_on: Revision | None
) -> list[WorkflowError]:
    """Each item an entry names is one of its strategy's, and differs between the text consulted
    on and the entry's revision (when both are on record)."""
    keys = keys_of(entry)
    if not keys or consulted_on is None:
        return []
    known = items_of(consulted_on.content) | items_of(entry.revision.content)
    if any(key not in known for key in keys):
        return [WorkflowError("Choose items of this strategy's text.", field="changed_items")]
    same = [row for row in changes_of(entry, entry.window) if row.status == "unchanged"]
    return [
        WorkflowError(
            f"“{row.new_title or row.kind_label}” is the same in revision {entry.revision.number} "
            f"as in the text consulted on (revision {consulted_on.number}): choose the revision "
            f"that changed it, or untick it.",
            field="changed_items",
        )
        for row in same[:1]
    ]


def themes_without_entry(window: ConsultationWindow) -> QuerySet[Theme]:
    """The window's themes no entry speaks of: publishing asks to confirm with these named (a
    warning, not a refusal: a theme may have been folded into another)."""
    return window.themes.exclude(pk__in=window.you_said_we_did.values("theme_id"))
