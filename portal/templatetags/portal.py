"""The strategy page's frame: `{% load portal %}{% strategy_tabs strategy as tabs %}` gives the
tabs of a strategy's pages that the user may open, wherever the page comes from (its content and
history here, its route in governance, its consultation in consultation); `{% stage_of strategy %}`
and `{% with_stages strategies as rows %}` name a strategy's stage as every page does
("Adopted, subject to call-in" while it is), for a strategy page and for a list; and
`{% timeline_svg chart timeline %}` draws a strategy's approval timeline (portal/timeline/svg.py)
on the timeline page and the strategy page's panel."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse

from consultation import access as consultation_access
from governance.deadlines import note_call_in
from portal.timeline.svg import timeline_svg as draw_timeline

register = template.Library()


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url: str


@register.simple_tag(takes_context=True)
def strategy_tabs(context, strategy) -> list[Tab]:
    """Content, Route, Report, Consultation (for those who may read its responses), Delivery,
    Documents, History and Revisions, in that order. A tab is not offered to those its page
    would refuse."""
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
    # The delivery plan: read by all who read the strategy (delivery/views/plan.py).
    tabs.append(Tab("delivery", "Delivery", reverse("delivery:plan", kwargs=slug)))
    # Its documents: read by all who read the strategy (documents/views/pages.py).
    tabs.append(Tab("documents", "Documents", reverse("documents:strategy", kwargs=slug)))
    tabs += [
        Tab("history", "History", reverse("strategy-history", kwargs=slug)),
        Tab("revisions", "Revisions", reverse("strategies:revisions", kwargs=slug)),
    ]
    return tabs


@register.simple_tag
def stage_of(strategy) -> str:
    """The strategy's stage as every page names it (Strategy.stage_label), with the call-in of
    its adoption looked up if the page has not (governance.deadlines.note_call_in: one query,
    for an adopted strategy only)."""
    note_call_in([strategy])
    return strategy.stage_label


@register.simple_tag
def with_stages(strategies) -> list:
    """The strategies of a list, each able to name its stage (Strategy.stage_label): one query
    for the whole list, none when it holds no adopted strategy."""
    return note_call_in(strategies)


@register.simple_tag
def timeline_svg(chart, timeline):
    """One strategy's timeline drawn on `chart`'s axis (portal/timeline/svg.py)."""
    return draw_timeline(chart, timeline)
