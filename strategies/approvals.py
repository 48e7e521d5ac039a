"""What a body approved of the content: the second question strategies asks of an app above it.

A decision may approve named parts of the content rather than the whole text (a Board
approving the priorities as the basis of a strategy not yet drafted). Decisions belong to
governance, which depends on strategies and so cannot be imported here; yet the page that
edits a priority, which is strategies' own, must warn the officer that its words were
approved. Governance therefore adds its lookup from its AppConfig.ready(), as it adds the
rule of who else reads a strategy (readers.py; docs/decisions/0014 and 0018 say why a
registry). Only the warning is asked here: the mark in the history is governance's, made
whichever door the change comes through (governance/workflow/approved_parts.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Approval:
    """A body's approval of a part, in the words approved."""

    said: str  # "Approved by the Dudley Health and Wellbeing Board on 13 September 2017"
    title: str
    description: str
    url: str  # the decision's page

    def differs_from(self, title: str, description: str) -> bool:
        """Whether these words are not the ones approved (spacing aside)."""

        def words(text: str) -> str:
            return " ".join(text.split())

        return (words(title), words(description)) != (words(self.title), words(self.description))


# Each takes priority ids and gives, for those approved, the approvals that stand.
APPROVAL_LOOKUPS: list[Callable[[list[int]], dict[int, list[Approval]]]] = []


def add_approval_lookup(lookup: Callable[[list[int]], dict[int, list[Approval]]]) -> None:
    if lookup not in APPROVAL_LOOKUPS:
        APPROVAL_LOOKUPS.append(lookup)


def approvals_of(priority_ids: Iterable[int]) -> dict[int, list[Approval]]:
    """The standing approvals of these priorities, by priority id (none for the others)."""
    ids = [pk for pk in priority_ids if pk is not None]
    found: dict[int, list[Approval]] = {}
    if not ids:
        return found
    for lookup in APPROVAL_LOOKUPS:
        for pk, approvals in lookup(ids).items():
            found.setdefault(pk, []).extend(approvals)
    return found
