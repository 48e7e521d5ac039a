"""The strategies app's models: who works on strategies, and what a strategy contains."""

from .content import (
    Action,
    EvidenceSource,
    IndicatorObjective,
    Objective,
    OutcomeIndicator,
    Priority,
)
from .organisations import Organisation, User
from .reminders import ReminderKind, ReminderPreference, SentReminder
from .revisions import Revision
from .strategy import Strategy, StrategyPartner, partner_links_prefetch

__all__ = [
    "Action",
    "EvidenceSource",
    "IndicatorObjective",
    "Objective",
    "Organisation",
    "OutcomeIndicator",
    "Priority",
    "ReminderKind",
    "ReminderPreference",
    "Revision",
    "SentReminder",
    "Strategy",
    "StrategyPartner",
    "User",
    "partner_links_prefetch",
]
