"""Bring an organisation's committees' meetings in from its Modern.gov site.

For each committee mapped to a body (CommitteeLink), the meetings in the window and each one's
details are fetched first; only when all of them were read are they written, in one transaction
for the committee. So a timeout, an HTTP error or a malformed answer leaves that committee's
meetings as they were, and says so in the report; the other committees go on.

What a meeting takes from Modern.gov: its day and time, its venue, that it was cancelled, and
its agenda items with their references. What it never takes: anything people changed in
Waymark. `Meeting.moderngov_imported` keeps the details as last brought in; a meeting whose
details now differ from them (and from Modern.gov's) was changed in Waymark and is skipped,
with why. Likewise a meeting's time once strategies are on its agenda (the record's, see
workflow.meeting_fields_fixed), a meeting marked held or cancelled in Waymark, and an agenda
item matched to a gate that Modern.gov no longer lists. Nothing is saved that did not change,
so a second run changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .. import workflow
from ..dates import Precision
from ..models import AgendaItem, Body, CommitteeLink, Meeting, ModernGovSite
from .client import Client, MeetingDetail, ModernGovError

REASON = "Brought in from Modern.gov"
DAYS_BACK, DAYS_AHEAD = 90, 365  # the window a run covers unless told otherwise
TRACKED = ("starts_at", "time_known", "venue")  # a meeting's details that Modern.gov gives


@dataclass
class Report:
    """What one run did to one site, line by line, for the command's output and the site's
    `last_result`."""

    site: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"Created {len(self.created)}, updated {len(self.updated)}, unchanged "
            f"{self.unchanged}, skipped {len(self.skipped)}, errors {len(self.errors)}."
        )

    def lines(self) -> list[str]:
        return [
            *(f"created: {line}" for line in self.created),
            *(f"updated: {line}" for line in self.updated),
            *(f"skipped: {line}" for line in self.skipped),
            *(f"error: {line}" for line in self.errors),
            self.summary(),
        ]


def default_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=DAYS_BACK), today + datetime.timedelta(days=DAYS_AHEAD)


def sync_site(
    site: ModernGovSite,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    client: Client | None = None,
) -> Report:
    """Bring in the meetings of `site`'s mapped committees between the two days (by default
    DAYS_BACK before today to DAYS_AHEAD after), and record the result on the site."""
    default_from, default_to = default_window()
    date_from, date_to = date_from or default_from, date_to or default_to
    client = client or Client(site.base_url)
    report = Report(site=f"{site.organisation} ({site.base_url})")
    links = list(site.committees.select_related("body").order_by("committee_id"))
    if not links:
        report.errors.append("No committee is mapped to a body: map them in the admin first.")
    else:
        _sync_committees(site, links, client, date_from, date_to, report)
    site.last_synced_at = timezone.now()
    site.last_result = "\n".join(report.lines())
    site.skip_history_when_saving = True  # a run's result is not a change anyone made
    site.save(update_fields=["last_synced_at", "last_result"])
    return report


def _sync_committees(site, links, client, date_from, date_to, report: Report) -> None:
    try:
        known = {committee.id: committee for committee in client.committees()}
    except ModernGovError as error:
        report.errors.append(f"{error} Nothing was changed.")
        return
    for link in links:
        committee = known.get(link.committee_id)
        if committee is None or committee.deleted:
            why = "is not among" if committee is None else "is deleted from"
            report.errors.append(
                f"Committee {link.committee_id} (mapped to the {link.body}) {why} the committees "
                f"of {site.base_url}: check its number in the admin. Nothing of the "
                f"{link.body} was changed."
            )
            continue
        try:
            listed = client.meetings(link.committee_id, date_from, date_to)
            details = [client.meeting(meeting.id) for meeting in listed]
        except ModernGovError as error:
            report.errors.append(f"{link.body}: {error} Nothing of the {link.body} was changed.")
            continue
        with transaction.atomic():
            for detail in details:
                _sync_meeting(link, detail, report)


def _moment(detail: MeetingDetail) -> datetime.datetime:
    time = detail.time or datetime.time(0, 0)  # the start of its day when no time is given
    return timezone.make_aware(datetime.datetime.combine(detail.date, time))


def _incoming(detail: MeetingDetail) -> dict:
    return {
        "starts_at": _moment(detail).isoformat(),
        "time_known": detail.time is not None,
        "venue": detail.location,
        "cancelled": detail.is_cancelled,
    }


def _current(meeting: Meeting) -> dict:
    return {
        "starts_at": timezone.localtime(meeting.starts_at).isoformat(),
        "time_known": meeting.time_known,
        "venue": meeting.venue,
    }


def _named(body: Body, detail: MeetingDetail) -> str:
    return f"{body} — {detail.date:%-d %B %Y} (Modern.gov meeting {detail.id})"


def _sync_meeting(link: CommitteeLink, detail: MeetingDetail, report: Report) -> None:
    body, incoming = link.body, _incoming(detail)
    name = _named(body, detail)
    meeting = Meeting.objects.select_for_update().filter(body=body, moderngov_id=detail.id).first()
    if meeting is None:
        meeting = _create_or_link(body, detail, incoming, name, report)
        if meeting is not None:
            _sync_items(meeting, detail, name, report, counted=True)
        return
    if why := _kept_in_waymark(meeting, incoming):
        report.skipped.append(f"{name}: {why} Left as it is in Waymark.")
        return
    changes = {f: incoming[f] for f in TRACKED if _current(meeting)[f] != incoming[f]}
    if changes.keys() & {"starts_at", "time_known"} and "starts_at" in (
        workflow.meeting_fields_fixed(meeting)
    ):
        report.skipped.append(
            f"{name}: Modern.gov moved it to {incoming['starts_at'][:16].replace('T', ' ')}, but "
            "strategies are on its agenda, so its time is part of the record: a secretary "
            "changes it in Waymark if it is right."
        )
        return
    saved = []
    if changes or meeting.moderngov_imported != incoming:
        if changes:
            meeting.starts_at = _moment(detail)
            meeting.time_known, meeting.venue = incoming["time_known"], incoming["venue"]
            saved.append(", ".join(n.replace("_", " ") for n in changes))
        meeting.moderngov_imported = incoming
        meeting._change_reason = REASON
        meeting.save(update_fields=[*TRACKED, "moderngov_imported"])
    if detail.is_cancelled and meeting.status == Meeting.Status.SCHEDULED:
        withdrawn = workflow.cancel_from_committee_system(meeting, REASON)
        saved.append("cancelled" + (f", papers of {len(withdrawn)} withdrawn" if withdrawn else ""))
    elif detail.is_cancelled and meeting.status == Meeting.Status.HELD:
        report.skipped.append(
            f"{name}: Modern.gov says it was cancelled, but it is marked held in Waymark."
        )
    saved += _sync_items(meeting, detail, name, report)
    if saved:
        report.updated.append(f"{name}: {'; '.join(saved)}")
    else:
        report.unchanged += 1


def _kept_in_waymark(meeting: Meeting, incoming: dict) -> str | None:
    """Why the meeting is Waymark's to keep now, or None: details changed in Waymark since they
    were brought in (and not to what Modern.gov says now), or cancelled in Waymark while
    Modern.gov says it goes ahead."""
    imported, current = meeting.moderngov_imported or {}, _current(meeting)
    changed = [
        name
        for name in TRACKED
        if current[name] != imported.get(name) and current[name] != incoming[name]
    ]
    if changed:
        what = ", ".join(name.replace("_", " ") for name in changed)
        verb = "was" if len(changed) == 1 else "were"
        return f"its {what} {verb} changed in Waymark since it was brought in."
    if meeting.status == Meeting.Status.CANCELLED and not incoming["cancelled"]:
        return "it is cancelled in Waymark, but Modern.gov says it goes ahead."
    return None


def _create_or_link(body, detail, incoming, name, report: Report) -> Meeting | None:
    """A meeting new to Waymark, or one typed in Waymark for the same day with the same details
    (then linked to Modern.gov's; with other details it is left as typed, and said so)."""
    start = _moment(detail)
    typed = [
        m
        for m in Meeting.objects.select_for_update().filter(
            body=body, moderngov_id__isnull=True, starts_at__date=detail.date
        )
        if m.local_day == detail.date
    ] or list(Meeting.objects.filter(body=body, starts_at=start).exclude(moderngov_id=None))
    if typed:
        meeting = typed[0]
        same = {f: v for f, v in _current(meeting).items() if v == incoming[f]}
        if meeting.moderngov_id is None and len(same) == len(TRACKED):
            meeting.moderngov_id, meeting.moderngov_imported = detail.id, incoming
            meeting._change_reason = REASON
            meeting.save(update_fields=["moderngov_id", "moderngov_imported"])
            report.created.append(f"{name}: linked to the meeting typed in Waymark")
            return meeting
        report.skipped.append(
            f"{name}: the {body} already has a meeting that day in Waymark, with other details; "
            "left as it is and not linked (correct it in Waymark or in Modern.gov)."
        )
        return None
    meeting = Meeting(
        body=body,
        starts_at=start,
        date_precision=Precision.DAY,
        time_known=incoming["time_known"],
        venue=incoming["venue"],
        status=Meeting.Status.CANCELLED if detail.is_cancelled else Meeting.Status.SCHEDULED,
        moderngov_id=detail.id,
        moderngov_imported=incoming,
    )
    meeting._change_reason = REASON
    meeting.save()
    report.created.append(f"{name}{' (cancelled)' if detail.is_cancelled else ''}")
    return meeting


def _sync_items(meeting, detail, name, report: Report, counted: bool = False) -> list[str]:
    """The meeting's agenda items as Modern.gov lists them now; returns what changed."""
    existing = {item.moderngov_id: item for item in meeting.agenda_items.all()}
    added = changed = removed = 0
    for position, incoming in enumerate(detail.items, start=1):
        documents = [{"title": d.title, "url": d.url} for d in incoming.documents]
        values = {
            "position": position,
            "number": incoming.number,
            "title": incoming.title,
            "minute_number": incoming.minute_number,
            "report_reference": documents[0]["title"] if documents else "",
            "report_url": documents[0]["url"] if documents else "",
            "documents": documents,
            "is_decision": incoming.is_decision,
            "decision_date": incoming.decision_date,
        }
        item = existing.pop(incoming.id, None)
        if item is None:
            item = AgendaItem(meeting=meeting, moderngov_id=incoming.id, **values)
            added += 1
        elif different := [n for n, v in values.items() if getattr(item, n) != v]:
            for n in different:
                setattr(item, n, values[n])
            changed += 1
        else:
            continue
        item._change_reason = REASON
        item.save()
    for item in existing.values():
        if item.gate_id:
            report.skipped.append(
                f"{name}: item {item} is no longer on Modern.gov's agenda, but it is matched to "
                "a gate, so it is kept."
            )
            continue
        item._change_reason = REASON
        item.delete()
        removed += 1
    words = [(added, "added"), (changed, "changed"), (removed, "removed")]
    said = [f"{count} agenda item(s) {what}" for count, what in words if count]
    return [] if counted else said
