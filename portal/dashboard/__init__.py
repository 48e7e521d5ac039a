"""The staff dashboard at `/`: where every strategy the user may read stands (stages.py), what is
due, late and warned of at the gates (gates.py), the consultations open, opening and owing a
response (consultations.py), strategies in delivery and reviews due (delivery.py), what was
decided, and when each strategy will be adopted (gates.py).

Each section runs a fixed number of queries and shows at most `Dashboard.LIMIT` rows per list,
saying how many more there are, so the page costs the same with 10 strategies or 500.
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import Dashboard, first_rows
from .consultations import consultations_section
from .delivery import delivery_section
from .gates import gates_section, outlook_section
from .stages import stages_section

__all__ = ["Dashboard", "context", "first_rows"]


@dataclass(frozen=True)
class Section:
    template: str
    context: dict


def context(dashboard: Dashboard) -> dict:
    """The dashboard page's context: its sections in the order they are shown."""
    sections = [
        ("portal/_dashboard_stages.html", stages_section(dashboard)),
        ("portal/_dashboard_gates.html", gates_section(dashboard)),
        ("portal/_dashboard_consultations.html", consultations_section(dashboard)),
        ("portal/_dashboard_delivery.html", delivery_section(dashboard)),
        ("portal/_dashboard_outlook.html", outlook_section(dashboard)),
    ]
    return {
        "dashboard": dashboard,
        "sections": [
            Section(template, {**section, "dashboard": dashboard})
            for template, section in sections
            if section is not None
        ],
    }
