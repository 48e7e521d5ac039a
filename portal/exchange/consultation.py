"""Consultation's share of a strategy's JSON export (portal/exchange/document.py): its windows,
partners, events, themes, responses with their answers and tags, and "you said, we did".

Responses are private (consultation/access.py). A user who may not read them gets none in the
export; everyone else gets them anonymised (no reference, no organisation name, no free text,
the day of submission only) unless the export is made with personal data, which only
administrators may ask for. An anonymised response gets a new reference when imported.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from django.utils import timezone

from consultation import access
from consultation.models import (
    ConsultationWindow,
    Event,
    PriorityAnswer,
    Response,
    ResponseTheme,
    Theme,
    WindowPartner,
    YouSaidWeDid,
)
from consultation.workflow import new_reference
from strategies.models import Strategy

from .rows import ExchangeError, Exporter, Importer, label
from .streaming import Lazy

TABLES = [
    ("windows", ConsultationWindow, "window__strategy"),
    ("window_partners", WindowPartner, "window__strategy"),
    ("events", Event, "window__strategy"),
    ("themes", Theme, "window__strategy"),
    ("responses", Response, "window__strategy"),
    ("response_themes", ResponseTheme, "response__window__strategy"),
    ("you_said_we_did", YouSaidWeDid, "window__strategy"),
]


def responses_readable(exporter: Exporter) -> bool:
    by = exporter.by
    return by is None or (by.is_authenticated and access.can_read(by, exporter.strategy))


def export_part(strategy: Strategy, exporter: Exporter) -> dict[str, Any]:
    data: dict[str, Any] = {"responses_included": responses_readable(exporter)}
    if not data["responses_included"]:  # nor the history of who tagged them
        exporter.withheld.add(label(ResponseTheme))
    for key, model, path in TABLES:
        path = "strategy" if model is ConsultationWindow else path
        queryset = model.objects.filter(**{path: strategy})
        if model in (Response, ResponseTheme) and not data["responses_included"]:
            data[key] = []
        elif model is Response:
            data[key] = _responses(exporter, queryset)
        else:
            data[key] = exporter.rows(queryset)
    return data


def _responses(exporter: Exporter, responses) -> Lazy:
    """The responses with their answers, in two queries read side by side a chunk at a time, as
    plain values (a strategy may have tens of thousands): without personal data, anonymised as
    `responses_readable` says."""
    given = PriorityAnswer.objects.filter(response__in=responses.values("pk"))
    answers = groupby(
        exporter.value_rows(
            given.order_by("response_id", "pk"), {"id", "response", "window"}, "response_id"
        ),
        key=lambda pair: pair[0],
    )
    rows = exporter.value_rows(responses.order_by("pk"))

    def read() -> Iterator[dict[str, Any]]:
        ahead = next(answers, None)
        for row in rows:
            row["answers"] = []
            if ahead is not None and ahead[0] == row["id"]:
                row["answers"] = [answer for _pk, answer in ahead[1]]
                ahead = next(answers, None)
            # The import a response came through is the consultation's record of a file, not
            # part of the strategy: a response carried to another Waymark arrives without it.
            row["imported_from"] = None
            if not exporter.personal_data:
                sent = datetime.datetime.fromisoformat(row["submitted_at"])
                day = timezone.localtime(sent).replace(hour=0, minute=0, second=0, microsecond=0)
                # the row's id in the survey tool leads back to the respondent there
                row.update(reference="", organisation_name="", general_comments="")
                row.update(source_row_id="", submitted_at=day.isoformat())
                for answer in row["answers"]:
                    answer["comment"] = ""
            yield row

    return Lazy(read())


def import_part(data: dict[str, Any], importer: Importer) -> None:
    for key, model, _path in TABLES:
        rows = data.get(key)
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ExchangeError(f"The file's consultation section has no list of {key}.")
        name = model._meta.verbose_name.capitalize()
        for row in rows:
            what = f"{name} {row.get('id')}"
            if (
                model is ConsultationWindow
                and ConsultationWindow.objects.filter(slug=row.get("slug")).exists()
            ):
                raise ExchangeError(
                    f"A consultation at the address “{row.get('slug')}” is already here."
                )
            if model is Response:
                _import_response(row, importer, what)
            else:
                importer.create(model, row, what)


def _import_response(row: dict[str, Any], importer: Importer, what: str) -> None:
    reference = row.get("reference") or new_reference()  # anonymised: a receipt of its own
    response = importer.create(Response, row, what, reference=reference)
    answers = row.get("answers")
    if not isinstance(answers, list):
        raise ExchangeError(f"{what} has no list of answers.")
    for answer in answers:
        importer.save(
            importer.build(
                PriorityAnswer,
                answer,
                f"An answer of {what}",
                response=response.pk,
                window=response.window_id,
            ),
            f"An answer of {what}",
        )
