"""The sections of a committee report, in the order they are numbered, and which of them
Waymark writes (the known sections, which "Refresh from Waymark" writes again) and which the
officer writes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionSpec:
    field: str
    heading: str
    known: bool = False  # written by Waymark; "Refresh from Waymark" writes it again


# The order of a report's numbered sections; empty sections are left out of the document.
SECTIONS = [
    SectionSpec("purpose", "Purpose of report"),
    SectionSpec("recommendations", "Recommendations"),
    SectionSpec("background", "Background"),
    SectionSpec("evidence", "Evidence", known=True),
    SectionSpec("route_so_far", "The route so far", known=True),
    SectionSpec("key_issues", "Key issues"),
    SectionSpec("strategy_content", "Priorities and objectives", known=True),
    SectionSpec("consultation", "Consultation", known=True),
    SectionSpec("timetable", "Timetable", known=True),
    SectionSpec("finance", "Finance"),
    SectionSpec("law", "Law"),
    SectionSpec("equality", "Equality impact"),
]
# Everything Waymark knows and can write again: the meeting line and the known sections.
KNOWN_FIELDS = ["meeting_line", *[s.field for s in SECTIONS if s.known]]
OFFICER_SECTIONS = [s.field for s in SECTIONS if not s.known]


def section_label(field_name: str) -> str:
    if field_name == "meeting_line":
        return "Meeting"
    return next(s.heading for s in SECTIONS if s.field == field_name)
