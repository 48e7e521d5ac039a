"""Small display filters used across Waymark's templates: `{% load waymark %}`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from ..models import Strategy

register = template.Library()


@register.filter
def plain_number(value) -> str:
    """64.600 → 64.6, 15.000 → 15, None → "": numbers as a person writes them."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    text = format(value.normalize(), "f")
    return text


@register.filter
def html_datetime(value) -> str:
    """A `<time datetime>` value HTML accepts: "2026-12-06T11:05:23+00:00" in the site's time
    zone, or "2026-12-06" for a date. Django's `date:'c'` keeps microseconds, which the HTML
    standard's date-and-time strings do not allow (it takes at most three fraction digits)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


@register.filter
def plural(word) -> str:
    """ "Priority" → "Priorities", "Goal" → "Goals": the plural of the word a strategy uses for
    its top level, as a revision's snapshot keeps it; the model spells each one
    (Strategy.TopLevelTerm.plural_label)."""
    return Strategy.TopLevelTerm.plural_of(str(word))


@register.filter
def duration(value) -> str:
    """timedelta(minutes=15) → "15 minutes", timedelta(hours=2) → "2 hours"."""
    if value is None or value == "":
        return ""
    minutes = round(value.total_seconds() / 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@register.filter
def lookup(mapping, key):
    """`{{ approvals|lookup:priority.pk }}`: a dict's value for a key, or nothing."""
    try:
        return mapping.get(key, [])
    except AttributeError:
        return []


@register.filter
def changed_from(approval, item) -> bool:
    """Whether `item`'s words are no longer those `approval` approved (strategies/approvals.py)."""
    return approval.differs_from(item.title, item.description)
