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
from .revisions import Revision
from .strategy import Strategy, StrategyPartner

__all__ = [
    "Action",
    "EvidenceSource",
    "IndicatorObjective",
    "Objective",
    "Organisation",
    "OutcomeIndicator",
    "Priority",
    "Revision",
    "Strategy",
    "StrategyPartner",
    "User",
]
