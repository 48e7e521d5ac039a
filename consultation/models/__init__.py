"""Consultation windows, their events and partners, public responses, officers' themes and the
published "you said, we did". Only consultation/workflow/ changes a window's state, and its
rules.py says what each of these must be, whichever door a change comes through."""

from .outcomes import YouSaidWeDid
from .responses import PriorityAnswer, Response, ResponseImport, ResponseTheme, Theme
from .suggestions import SuggestionRun, ThemeSuggestion
from .windows import ConsultationWindow, Event, WindowPartner, WindowQuerySet

__all__ = [
    "ConsultationWindow",
    "Event",
    "PriorityAnswer",
    "Response",
    "ResponseImport",
    "ResponseTheme",
    "SuggestionRun",
    "Theme",
    "ThemeSuggestion",
    "WindowPartner",
    "WindowQuerySet",
    "YouSaidWeDid",
]
