"""Governance's models: bodies and their meetings, routes of gates, decisions and the
transitions between states, and committee reports. Every model is importable from here
(`from governance.models import Gate`), as the migrations and the other apps expect.

Only governance.workflow changes a gate's state, a strategy's stage or records a decision.
"""

from .after_decisions import CallIn, ExecutiveResponse
from .bodies import Body, BodySecretary, Meeting, MeetingQuerySet
from .decisions import ApprovedPart, Decision, Transition, effective_decisions
from .moderngov import AgendaItem, CommitteeLink, ModernGovSite
from .reports import CommitteeReport, phone_validator
from .routes import Gate, GateDependency, GateQuerySet, GateTemplate, Purpose, RouteTemplate

__all__ = [
    "AgendaItem",
    "CommitteeLink",
    "ModernGovSite",
    "Body",
    "CallIn",
    "BodySecretary",
    "CommitteeReport",
    "ApprovedPart",
    "Decision",
    "ExecutiveResponse",
    "Gate",
    "GateDependency",
    "GateQuerySet",
    "GateTemplate",
    "Meeting",
    "MeetingQuerySet",
    "Purpose",
    "RouteTemplate",
    "Transition",
    "effective_decisions",
    "phone_validator",
]
