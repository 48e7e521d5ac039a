"""The admin's records of what bodies decided: decisions (with the priorities each approved by
name), the executive's responses to scrutiny, and the transitions of gates and strategies. All
are read-only here: they are recorded through the workflow (the gate actions, the decision's
page, and admin_call_ins.py's action on decisions)."""

from __future__ import annotations

from django.contrib import admin

from strategies.admin_base import HistoryAdmin, ReadOnlyAdmin, ReadOnlyMixin

from .admin_bodies import BodyListFilter
from .models import ApprovedPart, Decision, ExecutiveResponse, Transition


class ApprovedPartInline(ReadOnlyMixin, admin.TabularInline):
    """The priorities a decision approved, in the words approved (never changed)."""

    model = ApprovedPart
    fields = ["position", "title", "description"]
    readonly_fields = fields
    extra = 0
    verbose_name = "priority it approved"
    verbose_name_plural = "priorities it approved (none: the whole strategy)"


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """Decisions are recorded through the workflow (the gate actions or the secretary's page)
    and are never changed; a correction is a new record."""

    list_display = [
        "strategy",
        "gate",
        "outcome",
        "decided",
        "minute_reference",
        "recorded_later",
        "recorded_by",
    ]
    inlines = [ApprovedPartInline]
    list_filter = ["outcome", "decided_on", "recorded_later", ("gate__body", BodyListFilter)]
    list_select_related = [
        "gate__strategy__lead_organisation",
        "gate__body",
        "meeting__body",
        "recorded_by",
    ]
    search_fields = [
        "resolution",
        "reasons",
        "gate__strategy__title",
        "minute_reference",
        "decision_notice_reference",
    ]

    @admin.display(description="decided", ordering="decided_on")
    def decided(self, decision):
        return decision.decided_when

    @admin.display(description="strategy", ordering="gate__strategy__title")
    def strategy(self, decision):
        """Which strategy, with its period and lead: titles alone repeat across councils."""
        strategy = decision.gate.strategy
        return f"{strategy.title_with_period} ({strategy.lead_organisation.display_name})"


@admin.register(ExecutiveResponse)
class ExecutiveResponseAdmin(ReadOnlyMixin, HistoryAdmin):
    """Recorded on the decision's page through the workflow (record_executive_response)."""

    list_display = ["decision", "body", "responded_on", "recorded_by", "recorded_later"]
    list_select_related = ["decision__gate__body", "body", "recorded_by"]
    search_fields = ["response", "decision__gate__strategy__title", "minute_reference"]


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["at", "strategy", "gate", "from_state", "to_state", "by", "comment"]
    list_filter = ["to_state", "at"]
    list_select_related = ["strategy", "gate__body", "by"]
    search_fields = ["strategy__title", "comment"]
