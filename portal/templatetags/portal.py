"""The strategy page's frame: `{% load portal %}{% strategy_tabs strategy as tabs %}` gives the
tabs of a strategy's pages that the user may open, wherever the page comes from (its content and
history here, its route in governance, its consultation in consultation)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse

from consultation import access as consultation_access

register = template.Library()


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url: str


@register.simple_tag(takes_context=True)
def strategy_tabs(context, strategy) -> list[Tab]:
    """Content, Route, Report, Consultation (for those who may read its responses), History and
    Revisions, in that order. A tab is not offered to those its page would refuse."""
    user = context["user"]
    slug = {"slug": strategy.slug}
    tabs = [
        Tab("content", "Content", strategy.get_absolute_url()),
        Tab("route", "Route", reverse("governance:route", kwargs=slug)),
        Tab("report", "Report", reverse("strategy-report", kwargs=slug)),
    ]
    if consultation_access.can_read(user, strategy):
        tabs.append(
            Tab("consultation", "Consultation", reverse("consultation:strategy", kwargs=slug))
        )
    tabs += [
        Tab("history", "History", reverse("strategy-history", kwargs=slug)),
        Tab("revisions", "Revisions", reverse("strategies:revisions", kwargs=slug)),
    ]
    return tabs
