"""Every response to a consultation as CSV lines, streamed: three queries whatever the number of
responses (the responses, their answers and their themes, each read in the same order and
walked side by side), and memory that holds one response at a time."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import groupby

from strategies.models import User
from strategies.spreadsheets import neutralise

from .models import ConsultationWindow, PriorityAnswer, Response, ResponseTheme

ORDER = ("response__submitted_at", "response_id")
SENT = ["channel", "received_on", "late", "keyed_by"]


class _Line:
    """A file that hands back what is written to it: csv.writer writes one row into it at a
    time, and the row goes straight out (Django's own way of streaming a CSV)."""

    def write(self, value: str) -> str:
        return value


def _by_response(rows) -> Iterator[tuple[int, list]]:
    """(response id, its rows) from rows sorted by response, their first item the id."""
    for pk, group in groupby(rows, key=lambda row: row[0]):
        yield pk, list(group)


def _walk(groups: Iterator[tuple[int, list]], pk: int, ahead: dict) -> list:
    """The rows of response `pk` from `groups` (sorted as the responses are), keeping the one
    read ahead for the next response in `ahead`."""
    if "next" not in ahead:
        ahead["next"] = next(groups, None)
    found = ahead["next"]
    if found is not None and found[0] == pk:
        ahead.pop("next")
        return found[1]
    return []


def header(window: ConsultationWindow, personal: bool) -> list[str]:
    priorities = window.consulted_priorities
    names = ["reference", "submitted_at", "respondent_type"]
    names += ["organisation_name"] if personal else []
    names += ["themes"]
    for p in priorities:
        names += [f"agreement: {p['title']}", f"comment: {p['title']}"]
    return names + ["general_comments", "demo", *SENT]


def lines(window: ConsultationWindow, personal: bool) -> Iterator[str]:
    """The header, then a line per response in the order they were sent. Who responded (an
    organisation's name) only when `personal`; who keyed a response in is staff, always shown."""
    writer = csv.writer(_Line())
    yield writer.writerow([neutralise(h) for h in header(window, personal)])
    priorities = [p["id"] for p in (window.consulted_priorities)]
    types = dict(Response.RespondentType.choices)
    channels = dict(Response.Channel.choices)
    agreements = dict(PriorityAnswer.Agreement.choices)
    keyed = window.responses.exclude(keyed_by=None).values("keyed_by")
    names = {user.pk: user.display_name for user in User.objects.filter(pk__in=keyed)}
    responses = window.responses.order_by("submitted_at", "pk").values_list(
        "pk", "reference", "submitted_at", "respondent_type", "organisation_name",
        "general_comments", "is_demo", "channel", "received_on", "late", "keyed_by_id",
    )  # fmt: skip
    answers = _by_response(
        PriorityAnswer.objects.filter(response__window=window)
        .order_by(*ORDER, "priority_id")
        .values_list("response_id", "priority_id", "agreement", "comment")
        .iterator(chunk_size=2000)
    )
    themes = _by_response(
        ResponseTheme.objects.filter(response__window=window)
        .order_by(*ORDER, "theme__name")
        .values_list("response_id", "theme__name")
        .iterator(chunk_size=2000)
    )
    answers_ahead, themes_ahead = {}, {}
    for row in responses.iterator(chunk_size=2000):
        pk, reference, sent_at, kind, organisation, comments, demo, channel, received, late, by = (
            row
        )
        given = {a[1]: a for a in _walk(answers, pk, answers_ahead)}
        line = [reference, sent_at.isoformat(), types.get(kind, kind)]
        line += [organisation] if personal else []
        line += ["; ".join(t[1] for t in _walk(themes, pk, themes_ahead))]
        for priority in priorities:
            answer = given.get(priority)
            line += [agreements.get(answer[2], "") if answer and answer[2] else ""]
            line += [answer[3] if answer else ""]
        line += [comments, "yes" if demo else ""]
        line += [
            channels.get(channel, channel),
            received.isoformat() if received else "",
            "yes" if late else "",
            names.get(by, "") if by else "",
        ]
        yield writer.writerow([neutralise(value) for value in line])
