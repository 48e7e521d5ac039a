"""The delivery app's models: what happens after a strategy is adopted. Its actions' dated
milestones and progress updates (plan.py), its outcome indicators' values over time
(indicators.py), and the progress reports that take both to the Board (reports.py)."""

from .indicators import IndicatorValue, IndicatorValueImport
from .plan import Milestone, ProgressUpdate
from .reports import ProgressReport

__all__ = [
    "IndicatorValue",
    "IndicatorValueImport",
    "Milestone",
    "ProgressReport",
    "ProgressUpdate",
]
