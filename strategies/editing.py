"""Changes to a strategy's content: the functions views, the admin and load_demo call.

Each runs in one transaction with the strategy row locked, so places in a list are handed out
one at a time. History is never bypassed: every row is saved or deleted one by one so that
django-simple-history records it, with the reason the person gave.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Model
from django.utils.text import slugify

from .models import IndicatorObjective, Objective, Organisation, OutcomeIndicator, Strategy


def lock_strategy(strategy: Strategy) -> Strategy:
    return Strategy.objects.select_for_update().get(pk=strategy.pk)


def unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)
    if len(base) > 70:  # cut between words, not inside one ("...-2024-2029-b")
        cut = base[:71].rfind("-")
        base = base[:cut] if cut > 20 else base[:70]
    base = base.strip("-") or "strategy"
    slug, n = base, 2
    taken = Strategy.objects.exclude(pk=exclude_pk).filter(slug__startswith=base)
    existing = set(taken.values_list("slug", flat=True))
    while slug in existing:
        slug, n = f"{base}-{n}", n + 1
    return slug


def with_reason(instance: Model, reason: str) -> Model:
    if reason:
        instance._change_reason = reason
    return instance


@transaction.atomic
def create_strategy(
    strategy: Strategy,
    lead: Organisation,
    partners: Iterable[Organisation] = (),
    reason: str = "",
    joint_leads: Iterable[Organisation] = (),
) -> Strategy:
    strategy.lead_organisation = lead
    strategy.stage = Strategy.Stage.DRAFT
    strategy.slug = strategy.slug or unique_slug(strategy.title)
    strategy.version = 1
    with_reason(strategy, reason or "Strategy started").save()
    set_partners(strategy, partners, reason=reason, joint_leads=joint_leads)
    return strategy


def siblings_of(item: Model):
    """The queryset of items that share `item`'s list (its parent's children)."""
    parent_field = type(item).position_parent
    return type(item)._default_manager.filter(**{parent_field: getattr(item, parent_field)})


def strategy_of(item: Model) -> Strategy:
    for path in ("strategy", "priority.strategy", "objective.priority.strategy"):
        obj = item
        try:
            for part in path.split("."):
                obj = getattr(obj, part)
        except AttributeError:
            continue
        return obj
    raise TypeError(f"{type(item).__name__} is not part of a strategy")


def add_item(item: Model, reason: str = "") -> Model:
    """Save a new priority, objective, action, indicator or evidence source at the end of its
    list."""
    with transaction.atomic():
        lock_strategy(strategy_of(item))
        last = siblings_of(item).aggregate(last=Max("position"))["last"] or 0
        item.position = last + 1
        item.version = 1
        with_reason(item, reason).save()
    return item


def move_item(item: Model, direction: str, reason: str = "") -> bool:
    """Swap an item with its neighbour above ("up") or below ("down").

    Returns False, changing nothing, when the item is already at that end of its list."""
    with transaction.atomic():
        lock_strategy(strategy_of(item))
        item = type(item)._default_manager.get(pk=item.pk)
        siblings = siblings_of(item)
        if direction == "up":
            neighbour = siblings.filter(position__lt=item.position).order_by("-position").first()
        else:
            neighbour = siblings.filter(position__gt=item.position).order_by("position").first()
        if neighbour is None:
            return False
        mine, theirs = item.position, neighbour.position
        # Park the item past the end so the unique place constraint holds at every step; the
        # parking is not a change anyone made, so it is left out of the history.
        item.position = (siblings.aggregate(last=Max("position"))["last"] or 0) + 1
        item.skip_history_when_saving = True
        item.save(update_fields=["position"])
        del item.skip_history_when_saving
        # A move changes no one's words, so it leaves `version` alone: an officer editing the
        # item's text meanwhile is not told of a conflict that is not there.
        neighbour.position = mine
        with_reason(neighbour, reason).save(update_fields=["position"])
        item.position = theirs
        with_reason(item, reason).save(update_fields=["position"])
    return True


class StaleItem(Exception):
    """The item changed after the person asked to remove it; `current` is what is saved now."""

    def __init__(self, current: Model) -> None:
        super().__init__("changed since opened")
        self.current = current


def delete_item(item: Model, reason: str = "", expected_version: int | None = None) -> None:
    """Remove an item and everything under it, each row with the reason in its history.

    With `expected_version`, refuse (StaleItem) if someone changed the item since the person
    looked at it, rather than silently deleting their edit."""
    with transaction.atomic():
        lock_strategy(strategy_of(item))
        item = type(item)._default_manager.get(pk=item.pk)
        if expected_version is not None and item.version != expected_version:
            raise StaleItem(item)
        _delete_tree(item, reason)


def _delete_tree(item: Model, reason: str) -> None:
    label = type(item)._meta.verbose_name
    inherited = f"{reason} (removed with its {label})" if reason else f"Removed with its {label}"
    for child_set in ("objectives", "actions"):
        if hasattr(item, child_set):
            for child in getattr(item, child_set).all():
                _delete_tree(child, inherited)
    for link_set in ("indicator_links", "objective_links"):
        if hasattr(item, link_set):
            for link in getattr(item, link_set).all():
                with_reason(link, inherited).delete()
    with_reason(item, reason).delete()


def _sync_links(existing: dict[int, Model], wanted: set[int], make, reason: str) -> None:
    for target_id, link in existing.items():
        if target_id not in wanted:
            with_reason(link, reason).delete()
    for target_id in sorted(wanted - existing.keys()):
        with_reason(make(target_id), reason).save()


def set_partners(
    strategy: Strategy,
    organisations: Iterable[Organisation],
    reason: str = "",
    joint_leads: Iterable[Organisation] | None = None,
) -> None:
    """Make the strategy's partners exactly `organisations` and, when given, those leading it
    jointly exactly `joint_leads` (each a partner too); one history row per change."""
    links = {link.organisation_id: link for link in strategy.partner_links.all()}
    leading = None if joint_leads is None else {o.pk for o in joint_leads}
    wanted = {o.pk for o in organisations} | (leading or set())
    wanted.discard(strategy.lead_organisation_id)
    _sync_links(
        links,
        wanted,
        lambda org_id: strategy.partner_links.model(
            strategy=strategy, organisation_id=org_id, joint_lead=org_id in (leading or set())
        ),
        reason,
    )
    if leading is None:
        return
    for org_id, link in links.items():
        if org_id in wanted and link.joint_lead != (org_id in leading):
            link.joint_lead = org_id in leading
            with_reason(link, reason).save(update_fields=["joint_lead"])


def set_indicator_objectives(
    indicator: OutcomeIndicator, objectives: Iterable[Objective], reason: str = ""
) -> None:
    links = {link.objective_id: link for link in indicator.objective_links.all()}
    _sync_links(
        links,
        {o.pk for o in objectives},
        lambda obj_id: IndicatorObjective(indicator=indicator, objective_id=obj_id),
        reason,
    )


def save_content_form(form) -> Model:
    """Save a validated ContentForm: a new item goes to the end of its list; links follow."""
    reason = form.cleaned_data.get("reason", "")
    with transaction.atomic():
        item = form.save(commit=False)
        if item.pk is None and hasattr(type(item), "position_parent"):
            add_item(item, reason)
        elif item.pk is None and isinstance(item, Strategy):
            data = form.cleaned_data
            return create_strategy(
                item,
                form.lead_organisation,
                data.get("partners", ()),
                reason,
                data.get("joint_leads", ()),
            )
        else:
            with_reason(item, reason).save()
        if isinstance(item, Strategy):
            data = form.cleaned_data
            set_partners(item, data.get("partners", ()), reason, data.get("joint_leads", ()))
        if isinstance(item, OutcomeIndicator):
            set_indicator_objectives(item, form.cleaned_data.get("objectives", ()), reason)
    return item
