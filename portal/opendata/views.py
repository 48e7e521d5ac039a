"""The open data page and its datasets, for anyone, no sign-in: `/open-data/` (what each
dataset is, its licence, formats and when it last changed) and `/open-data/<dataset>.json` and
`.csv`, whose addresses stay as they are (README "Open data").

Each download is streamed, its rows read a batch at a time (datasets.py). It carries a weak
ETag (a hash of what it says, apart from when it was generated: its rows are read through once
for it before they are sent) and a Last-Modified (when what it shows last changed), so a
reporting tool asking again gets a 304, without the rows being sent, until something changes;
anonymous visitors' answers may be kept by caches for a few minutes (the signed-in get
`private, no-store` from config.middleware as everywhere)."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from portal.exchange.streaming import Lazy, json_text
from strategies.spreadsheets import neutralise

from .datasets import DATASETS, Dataset

# Long enough to spare the app a burst of reporting tools, short enough that a strategy
# published now shows within minutes; a cache revalidates with the ETag after that.
CACHE_CONTROL = "public, max-age=600"


def licence() -> dict[str, str]:
    return {"name": settings.OPEN_DATA_LICENCE_NAME, "url": settings.OPEN_DATA_LICENCE_URL}


def _build(request: HttpRequest, slug: str) -> Dataset:
    if slug not in DATASETS:
        raise Http404("There is no such dataset.")
    return DATASETS[slug](request.build_absolute_uri)


@require_GET
def open_data_page(request: HttpRequest) -> HttpResponse:
    datasets = [build(request.build_absolute_uri) for build in DATASETS.values()]
    response = render(
        request,
        "portal/open_data.html",
        {
            "datasets": [
                {
                    "dataset": dataset,
                    "json": request.build_absolute_uri(
                        reverse("open-data-json", args=[dataset.slug])
                    ),
                    "csv": request.build_absolute_uri(
                        reverse("open-data-csv", args=[dataset.slug])
                    ),
                }
                for dataset in datasets
            ],
            "licence": licence(),
            "publisher": settings.OPEN_DATA_PUBLISHER,
        },
    )
    response["Cache-Control"] = CACHE_CONTROL
    return response


@require_GET
def dataset_json(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _build(request, slug)
    document = {
        "dataset": dataset.slug,
        "title": dataset.title,
        "description": dataset.description,
        "licence": licence(),
        "publisher": settings.OPEN_DATA_PUBLISHER,
        "documentation": request.build_absolute_uri(reverse("open-data")),
        "last_updated": dataset.last_updated.isoformat() if dataset.last_updated else None,
        "columns": [{"name": c.name, "meaning": c.meaning} for c in dataset.columns],
    }
    tag = _etag("json", document, dataset)
    # The rows are read as they are written (Lazy), after the ETag's reading said they changed.
    document["rows"] = Lazy(dataset.read)
    document["generated_at"] = timezone.now().isoformat(timespec="seconds")
    response = StreamingHttpResponse(
        json_text(document), content_type="application/json; charset=utf-8"
    )
    return _conditional(request, response, tag, dataset)


@require_GET
def dataset_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The rows with a header row, each cell neutralised as every CSV of Waymark's is (text
    starting =, +, - or @ never runs as a formula); true and false as yes and no. The licence
    and publisher are in the Link header and on the open data page."""
    dataset = _build(request, slug)
    names = [column.name for column in dataset.columns]
    tag = _etag("csv", {"licence": licence(), "columns": names}, dataset)
    response = StreamingHttpResponse(_lines(dataset, names), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dataset.slug}.csv"'
    response["Link"] = f'<{settings.OPEN_DATA_LICENCE_URL}>; rel="license"'
    return _conditional(request, response, tag, dataset)


class _Line:
    """A file that hands back what is written to it, for csv.writer to make one line."""

    def write(self, value: str) -> str:
        return value


def _lines(dataset: Dataset, names: list[str]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(names)
    for row in dataset.read():
        yield writer.writerow([neutralise(_cell(row[name])) for name in names])


def _cell(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _etag(kind: str, head: dict, dataset: Dataset) -> str:
    """Weak: the same data, licence and publisher give the same tag, though the file says
    when it was generated. A hash of the file's head and every row, read through once a batch
    at a time (the rows are then read again to be sent, unless the asker's copy is current)."""
    text = json.dumps(
        [kind, settings.OPEN_DATA_PUBLISHER, head], sort_keys=True, ensure_ascii=False
    )
    digest = hashlib.sha256(text.encode())
    for row in dataset.read():
        digest.update(b"\n" + json.dumps(row, sort_keys=True, ensure_ascii=False).encode())
    return f'W/"{digest.hexdigest()[:32]}"'


def _conditional(
    request: HttpRequest, response: HttpResponse, tag: str, dataset: Dataset
) -> HttpResponse:
    """The answer, or 304 when the asker's copy is current (by its ETag, or without one by its
    date); either way with the headers a cache needs."""
    response["ETag"] = tag
    modified = None
    if dataset.last_updated is not None:
        modified = int(dataset.last_updated.timestamp())
        response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = CACHE_CONTROL
    return get_conditional_response(request, etag=tag, last_modified=modified, response=response)
