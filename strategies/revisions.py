"""Revisions: frozen, hashed copies of a strategy's whole content, and their comparison."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max

from .models import Revision, Strategy, User
from .templatetags.waymark import plain_number

# Each item kind in a snapshot, the fields it keeps and how they are labelled in a comparison.
STRATEGY_FIELDS = {
    "title": "Title",
    "period": "Period",
    "lead_organisation": "Lead organisation",
    "partners": "Partners",
    "vision": "Vision",
    "summary": "Summary",
    "top_level_term": "Word for the top level",
    "author": "Author",
    "contact": "Contact officer",
    "replaces": "Replaces",
}
ITEM_FIELDS = {
    "priority": {"position": "Place", "title": "Title", "description": "Description"},
    "objective": {
        "position": "Place",
        "title": "Title",
        "description": "Description",
        "commitment_level": "Commitment level",
    },
    "action": {
        "position": "Place",
        "title": "Title",
        "lead": "Lead",
        "due_date": "Due",
        "milestone": "Milestone",
        "status": "Status",
        "rag": "RAG rating",
    },
    "indicator": {
        "position": "Place",
        "framework": "Framework",
        "code": "Code",
        "title": "Title",
        "unit": "Unit",
        "baseline": "Baseline",
        "target": "Target",
        "latest": "Latest value",
        "objectives": "Measures objectives",
    },
    "evidence": {
        "position": "Place",
        "kind": "Kind",
        "title": "Title",
        "year": "Year",
        "url": "Link",
    },
}
KIND_LABELS = {
    "strategy": "Strategy",
    "priority": "Priority",
    "objective": "Objective",
    "action": "Action",
    "indicator": "Indicator",
    "evidence": "Evidence",
}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def snapshot(strategy: Strategy) -> dict[str, Any]:
    """The whole content of `strategy` as plain JSON data, with display values, in page order."""
    strategy = Strategy.objects.with_content().get(pk=strategy.pk)
    author = ", ".join(x for x in (strategy.author_name, strategy.author_title) if x)
    contact = ", ".join(
        x for x in (strategy.contact_name, strategy.contact_phone, strategy.contact_email) if x
    )
    return {
        "strategy": {
            "id": strategy.pk,
            "title": strategy.title,
            "period": strategy.period,
            "lead_organisation": strategy.leads_named,
            "partners": ", ".join(o.name for o in strategy.other_partners),
            "vision": strategy.vision,
            "summary": strategy.summary,
            "top_level_term": strategy.get_top_level_term_display(),
            "author": author,
            "contact": contact,
            "replaces": strategy.replaces.title if strategy.replaces else "",
        },
        "priorities": [
            {
                "id": p.pk,
                "position": p.position,
                "title": p.title,
                "description": p.description,
                "objectives": [
                    {
                        "id": o.pk,
                        "position": o.position,
                        "title": o.title,
                        "description": o.description,
                        "commitment_level": o.get_commitment_level_display(),
                        "actions": [
                            {
                                "id": a.pk,
                                "position": a.position,
                                "title": a.title,
                                "lead": a.lead,
                                "due_date": f"{a.due_date:%d %b %Y}" if a.due_date else "",
                                "milestone": a.milestone,
                                "status": a.get_status_display(),
                                "rag": a.get_rag_display(),
                            }
                            for a in o.actions.all()
                        ],
                    }
                    for o in p.objectives.all()
                ],
            }
            for p in strategy.priorities.all()
        ],
        "indicators": [
            {
                "id": i.pk,
                "position": i.position,
                "framework": i.get_framework_display(),
                "code": i.code,
                "title": i.title,
                "unit": i.unit,
                "baseline": plain_number(i.baseline),
                "target": plain_number(i.target),
                "latest": f"{plain_number(i.latest_value)} ({i.latest_date:%d %b %Y})"
                if i.latest_value is not None
                else "",
                "objectives": ", ".join(o.title for o in i.objectives.all()),
            }
            for i in strategy.indicators.all()
        ],
        "evidence": [
            {
                "id": e.pk,
                "position": e.position,
                "kind": e.get_kind_display(),
                "title": e.title,
                "year": e.year,
                "url": e.url,
            }
            for e in strategy.evidence.all()
        ],
    }


def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def take_revision(strategy: Strategy, label: str, by: User | None = None) -> Revision:
    """Freeze the strategy's current content as its next revision."""
    with transaction.atomic():
        Strategy.objects.select_for_update().get(pk=strategy.pk)
        content = snapshot(strategy)
        number = (strategy.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
        return Revision.objects.create(
            strategy=strategy,
            number=number,
            label=label,
            content=content,
            content_hash=content_hash(content),
            created_by=by if by is not None and by.is_authenticated else None,
        )


def revision_is_intact(revision: Revision) -> bool:
    return content_hash(revision.content) == revision.content_hash


# Comparison -----------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class ItemComparison:
    kind: str
    depth: int
    old_title: str
    new_title: str
    status: str  # "added", "removed", "changed" or "unchanged"
    fields: list[FieldChange] = field(default_factory=list)
    key: tuple[str, int] | None = None  # (kind, id), as in a snapshot

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def changed_fields(self) -> list[FieldChange]:
        return [f for f in self.fields if f.changed]


def _flatten(content: dict[str, Any]) -> dict[tuple[str, int], tuple[int, dict[str, Any]]]:
    """Every item of a snapshot, keyed by (kind, id), in page order, with its depth."""
    items: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}
    s = content["strategy"]
    items[("strategy", s["id"])] = (0, s)
    for p in content["priorities"]:
        items[("priority", p["id"])] = (0, p)
        for o in p["objectives"]:
            items[("objective", o["id"])] = (1, o)
            for a in o["actions"]:
                items[("action", a["id"])] = (2, a)
    for i in content["indicators"]:
        items[("indicator", i["id"])] = (0, i)
    for e in content["evidence"]:
        items[("evidence", e["id"])] = (0, e)
    return items


def items_of(content: dict[str, Any]) -> dict[tuple[str, int], tuple[int, dict[str, Any]]]:
    """Every item of a snapshot by (kind, id), in page order, with its depth (the items a
    consultation's "you said, we did" names: consultation/changes.py)."""
    return _flatten(content)


def _merged_order(old_keys: list, new_keys: list) -> list:
    """New order, with items only in the old placed after the item that preceded them there."""
    order = list(new_keys)
    present = set(order)
    for index, key in enumerate(old_keys):
        if key in present:
            continue
        anchor = next((k for k in reversed(old_keys[:index]) if k in present), None)
        order.insert(order.index(anchor) + 1 if anchor is not None else 0, key)
        present.add(key)
    return order


def compare(
    old: Revision, new: Revision, only: set[tuple[str, int]] | None = None
) -> list[ItemComparison]:
    """Side-by-side comparison of two revisions: every item (or `only` those keyed (kind, id)),
    marked added, removed or changed."""
    old_items, new_items = _flatten(old.content), _flatten(new.content)
    result = []
    for key in _merged_order(list(old_items), list(new_items)):
        if only is not None and key not in only:
            continue
        kind = key[0]
        labels = STRATEGY_FIELDS if kind == "strategy" else ITEM_FIELDS[kind]
        depth, before = old_items.get(key, (None, None))
        depth_new, after = new_items.get(key, (None, None))
        fields = [
            FieldChange(
                label, _text((before or {}).get(name, "")), _text((after or {}).get(name, ""))
            )
            for name, label in labels.items()
        ]
        if before is None:
            status = "added"
        elif after is None:
            status = "removed"
        elif any(f.changed for f in fields):
            status = "changed"
        else:
            status = "unchanged"
        result.append(
            ItemComparison(
                kind=kind,
                depth=depth if depth is not None else depth_new,
                old_title=_text((before or {}).get("title", "")),
                new_title=_text((after or {}).get("title", "")),
                status=status,
                fields=fields,
                key=key,
            )
        )
    return result
