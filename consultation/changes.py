"""What a "you said, we did" entry says changed in its strategy: the items it names
(`YouSaidWeDid.changed_items`, each {"kind": "priority", "id": 12}), offered for choosing from
the strategy's content, and each shown with the difference between the text consulted on (the
window's revision) and the revision that changed it (the entry's), by strategies' own
comparison of two revisions (strategies/revisions.py, `compare`)."""

from __future__ import annotations

from typing import Any

from strategies.revisions import KIND_LABELS, ItemComparison, compare, items_of, snapshot

from .models import ConsultationWindow, YouSaidWeDid

Key = tuple[str, int]

# The strategy's own details (vision, summary, contact) count as an item too.
DETAILS_LABEL = "The strategy's details (vision, summary, contact)"


def value_of(key: Key) -> str:
    """A key as a form's checkbox carries it: "priority:12"."""
    return f"{key[0]}:{key[1]}"


def key_of(value: Any) -> Key | None:
    """The key of a checkbox's value, or of an item as stored; None if it is not one."""
    if isinstance(value, dict):
        kind, pk = value.get("kind"), value.get("id")
    else:
        kind, _, pk = str(value).partition(":")
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (kind, pk) if kind in KIND_LABELS else None


def keys_of(entry: YouSaidWeDid) -> list[Key]:
    """The items `entry` says changed, as keys (anything malformed left out)."""
    items = entry.changed_items if isinstance(entry.changed_items, list) else []
    return [key for key in map(key_of, items) if key is not None]


def stored(keys: list[Key]) -> list[dict[str, Any]]:
    return [{"kind": kind, "id": pk} for kind, pk in keys]


def label(key: Key, item: dict[str, Any], top_level_term: str = "") -> str:
    """'Priority: Start well', 'Objective: …'; the strategy's top-level word for priorities."""
    kind = key[0]
    if kind == "strategy":
        return DETAILS_LABEL
    name = top_level_term if kind == "priority" and top_level_term else KIND_LABELS[kind]
    return f"{name}: {item.get('title') or item.get('code') or '(untitled)'}"


def item_choices(window: ConsultationWindow) -> list[tuple[str, list[tuple[str, str]]]]:
    """The strategy's items to choose from, grouped as its page groups them: each priority with
    its objectives and actions, then the indicators, the evidence and the strategy's details;
    from its content as it stands, and after them any item of the text consulted on that has
    since been removed (a removal is a change too)."""
    current = snapshot(window.strategy)
    term = current["strategy"].get("top_level_term", "")
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for priority in current["priorities"]:
        options = [(value_of(("priority", priority["id"])), label(("priority", 0), priority, term))]
        for objective in priority["objectives"]:
            key = ("objective", objective["id"])
            options.append((value_of(key), label(key, objective)))
            for action in objective["actions"]:
                key = ("action", action["id"])
                options.append((value_of(key), label(key, action)))
        groups.append(
            (f"{term or 'Priority'} {priority['position']}: {priority['title']}", options)
        )
    for kind, group, name in (
        ("indicator", "indicators", "Outcome indicators"),
        ("evidence", "evidence", "Evidence"),
    ):
        if current[group]:
            groups.append(
                (name, [(value_of((kind, i["id"])), label((kind, 0), i)) for i in current[group]])
            )
    details = ("strategy", current["strategy"]["id"])
    groups.append(("The strategy itself", [(value_of(details), DETAILS_LABEL)]))
    if window.revision is not None:
        now = items_of(current)
        removed = [
            (value_of(key), label(key, item, term))
            for key, (_, item) in items_of(window.revision.content).items()
            if key not in now
        ]
        if removed:
            groups.append(("Removed since the text consulted on", removed))
    return groups


def changes_of(
    entry: YouSaidWeDid, window: ConsultationWindow | None = None
) -> list[ItemComparison]:
    """For each item `entry` names, the difference between the text consulted on and the
    entry's revision ("added", "removed", "changed", or "unchanged"), in page order; none when
    either text is not on record. Reads no more rows than the two revisions (already loaded by
    the pages' `select_related`)."""
    window = window or entry.window
    keys = set(keys_of(entry))
    if not keys or window.revision is None or entry.revision is None:
        return []
    return compare(window.revision, entry.revision, only=keys)
