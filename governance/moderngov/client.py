"""Modern.gov's public web service, `<site>/mgWebService.asmx`, over plain HTTP GET.

The calls and the shape of their answers are those recorded in docs/decisions/0028 (from public
code that calls live sites): `GetCommittees?lDays=0` answers `<committees><committee>` with
`committeeid`, `committeetitle`, `committeedeleted`; `GetMeetings?lCommitteeId=&sFromDate=
&sToDate=` (dates as dd/mm/yyyy, which some sites ignore, so the window is kept here too)
answers `<getmeetings><committee><committeemeetings><meeting>` with `meetingid`, `meetingdate`,
`meetingtime`, `meetingstatus`; `GetMeeting?lMeetingId=` answers `<meeting>` with those, its
`meetinglocation` and `<agendaitems><agendaitem>`, each with `agendaitemid`,
`agendaitemnumber`, `agendaitemtitle`, `minutesitemnumber`, `isdecision` and
`<linkeddocuments><linkeddoc>` (`title`, `url`, `isrestricted`).

Element names are lower case, with no namespace; values may be padded with white space and
titles are HTML-escaped before they are XML-escaped ("&amp;amp;"). Anything else (not XML, a
page of HTML, a meeting without an id or a date) is a malformed answer: a ModernGovError whose
message says which call of which site, and why, for the person running the sync.
"""

from __future__ import annotations

import datetime
import html
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.conf import settings

# Lambeth's fullest meeting answered 338 KB (docs/decisions/0028); far more is not a meeting.
MAX_ANSWER_BYTES = 10 * 1024 * 1024
DATE_FORMAT = "%d/%m/%Y"


class ModernGovError(Exception):
    """A call that gave nothing usable; the message is for the person running the sync."""


@dataclass(frozen=True)
class Committee:
    id: int
    title: str
    deleted: bool


@dataclass(frozen=True)
class MeetingListed:
    id: int
    date: datetime.date


@dataclass(frozen=True)
class Document:
    title: str
    url: str


@dataclass(frozen=True)
class Item:
    id: int
    number: str
    title: str
    minute_number: str
    is_decision: bool
    decision_date: datetime.date | None
    documents: tuple[Document, ...]  # the public ones: restricted papers are never brought in


@dataclass(frozen=True)
class MeetingDetail:
    id: int
    date: datetime.date
    time: datetime.time | None
    status: str
    location: str
    items: tuple[Item, ...]

    @property
    def is_cancelled(self) -> bool:
        return "cancel" in self.status.lower()


class Client:
    """One site's web service. `timeout` (seconds) defaults to the MODERNGOV_TIMEOUT setting."""

    def __init__(self, base_url: str, timeout: float | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout if timeout is not None else settings.MODERNGOV_TIMEOUT

    def committees(self) -> list[Committee]:
        root = self._get("GetCommittees", {"lDays": 0}, root_tag="committees")
        return [
            Committee(
                id=_number(element, "committeeid", "GetCommittees"),
                title=_text(element, "committeetitle"),
                deleted=_text(element, "committeedeleted").lower() == "true",
            )
            for element in root.iter("committee")
        ]

    def meetings(
        self, committee_id: int, date_from: datetime.date, date_to: datetime.date
    ) -> list[MeetingListed]:
        params = {
            "lCommitteeId": committee_id,
            "sFromDate": date_from.strftime(DATE_FORMAT),
            "sToDate": date_to.strftime(DATE_FORMAT),
        }
        root = self._get("GetMeetings", params, root_tag="getmeetings")
        listed = [
            MeetingListed(
                id=_number(element, "meetingid", "GetMeetings"),
                date=_date(element, "meetingdate", "GetMeetings"),
            )
            for element in root.iter("meeting")
        ]
        return [m for m in listed if date_from <= m.date <= date_to]

    def meeting(self, meeting_id: int) -> MeetingDetail:
        call = f"GetMeeting for meeting {meeting_id}"
        root = self._get("GetMeeting", {"lMeetingId": meeting_id}, root_tag="meeting", call=call)
        if _number(root, "meetingid", call) != meeting_id:
            raise self._malformed(call, "it describes another meeting")
        date = _date(root, "meetingdate", call)
        return MeetingDetail(
            id=meeting_id,
            date=date,
            time=parse_time(_text(root, "meetingtime")),
            status=_text(root, "meetingstatus"),
            location=_text(root, "meetinglocation")[:200],
            items=tuple(_item(element, date, call) for element in root.iter("agendaitem")),
        )

    # The one door to the site ----------------------------------------------------------------

    def _get(self, method: str, params: dict, root_tag: str, call: str = "") -> ET.Element:
        call = call or method
        url = f"{self.base_url}/mgWebService.asmx/{method}?{urllib.parse.urlencode(params)}"
        request = urllib.request.Request(url, headers={"Accept": "text/xml, application/xml"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                body = answer.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise ModernGovError(
                f"{self.base_url} answered {call} with HTTP {error.code} {error.reason}."
            ) from error
        except TimeoutError as error:
            raise self._timed_out(call) from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                raise self._timed_out(call) from error
            raise ModernGovError(
                f"{self.base_url} could not be reached for {call}: {error.reason}."
            ) from error
        if len(body) > MAX_ANSWER_BYTES:
            raise self._malformed(call, f"it is larger than {MAX_ANSWER_BYTES // 2**20} MB")
        # Modern.gov never sends a document type; refusing one keeps entity tricks out.
        if b"<!DOCTYPE" in body[:2048].upper() or b"<!ENTITY" in body.upper():
            raise self._malformed(call, "it is not the web service's XML (it has a DOCTYPE)")
        try:
            root = ET.fromstring(body)
        except ET.ParseError as error:
            raise self._malformed(call, f"it is not well-formed XML ({error})") from error
        if _local(root.tag) != root_tag:
            raise self._malformed(call, f"it is <{_local(root.tag)}>, not <{root_tag}>")
        _strip_namespaces(root)
        return root

    def _timed_out(self, call: str) -> ModernGovError:
        return ModernGovError(
            f"{self.base_url} did not answer {call} within {self.timeout:g} seconds."
        )

    def _malformed(self, call: str, why: str) -> ModernGovError:
        return ModernGovError(f"The answer of {self.base_url} to {call} is malformed: {why}.")


# Reading the XML -----------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _strip_namespaces(root: ET.Element) -> None:
    """A SOAP-style answer may carry a namespace; the elements are read by name alone."""
    for element in root.iter():
        element.tag = _local(element.tag)


def _text(element: ET.Element, name: str) -> str:
    found = element.find(name)
    if found is None or found.text is None:
        return ""
    return " ".join(html.unescape(found.text).split())


def _number(element: ET.Element, name: str, call: str) -> int:
    value = _text(element, name)
    if not (value.isascii() and value.isdigit()):
        raise ModernGovError(
            f"The answer to {call} is malformed: <{name}> is {value or 'missing'!r}, not a number."
        )
    return int(value)


def _date(element: ET.Element, name: str, call: str, required: bool = True):
    value = _text(element, name)
    if not value and not required:
        return None
    try:
        return datetime.datetime.strptime(value.split(" ")[0], DATE_FORMAT).date()
    except ValueError:
        raise ModernGovError(
            f"The answer to {call} is malformed: <{name}> is {value or 'missing'!r}, "
            "not a date as dd/mm/yyyy."
        ) from None


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])?\.?m?\.?$", re.IGNORECASE)


def parse_time(value: str) -> datetime.time | None:
    """ "10:00", "18:30", "10.00 am", "2.30 pm", "10am"; None when none is given or it reads
    as no time of day (the meeting's time is then not recorded)."""
    match = _TIME.match(value.strip())
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def _item(element: ET.Element, meeting_date: datetime.date, call: str) -> Item:
    is_decision = _text(element, "isdecision").lower() == "true"
    number = _text(element, "minutesitemnumber")
    sub = _text(element, "minutesitemsubnumber")
    documents = tuple(
        Document(title=_text(doc, "title")[:300], url=_text(doc, "url")[:500])
        for doc in element.iter("linkeddoc")
        if _text(doc, "isrestricted").lower() != "true" and _text(doc, "url")
    )
    # A decision taken at the meeting is of its day, unless the item gives its own date.
    decision_date = _date(element, "decisiondate", call, required=False)
    return Item(
        id=_number(element, "agendaitemid", call),
        number=_text(element, "agendaitemnumber")[:30],
        title=_text(element, "agendaitemtitle")[:500] or "(no title given)",
        minute_number=f"{number}{sub if sub and sub != '0' else ''}"[:30] if number != "0" else "",
        is_decision=is_decision,
        decision_date=decision_date or (meeting_date if is_decision else None),
        documents=tuple(dict.fromkeys(documents)),  # the same paper linked twice, once
    )
