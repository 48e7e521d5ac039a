"""Whole-dataset downloads stream (docs/decisions/0031-downloads-stream.md): /gates.csv, a
strategy's JSON, the open data and a consultation's responses are StreamingHttpResponses whose
rows are read a batch at a time while they are sent, so memory holds a batch however many rows
there are: the first lines go out before the last batch is read, and the queries grow with the
number of batches only. What they say is what the whole download said."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import workflow
from governance.models import Purpose
from governance.views import exports
from portal.exchange import streaming
from portal.exchange.document import export_strategy, import_strategy
from portal.opendata import datasets
from tests.conftest import client_for, downloaded
from tests.factories import full_strategy
from tests.governance import test_publish_and_exports as publishing
from tests.governance.conftest import decide
from tests.portal.test_open_data import publish_another

published, adopted, with_response = (
    publishing.published,
    publishing.adopted,
    publishing.with_response,
)


def add_strategies(lead_org, board, officer, secretary, n: int, start: int = 0) -> None:
    """`n` strategies, each with a route of two gates, the first decided."""
    for i in range(start, start + n):
        strategy = full_strategy(lead_org, priorities=1, title=f"S{i:02}", slug=f"s-{i}")
        decide(workflow.add_gate(strategy, board, Purpose.REVIEW, officer), secretary)
        workflow.add_gate(strategy, board, Purpose.ADOPT, officer)


def read_in_steps(response) -> tuple[list[int], str]:
    """The download read a piece at a time: the queries run when each piece came, and the
    whole text."""
    pieces, counts = [], []
    with CaptureQueriesContext(connection) as queries:
        for piece in response.streaming_content:
            pieces.append(piece)
            counts.append(len(queries))
    return counts, b"".join(pieces).decode()


# /gates.csv ----------------------------------------------------------------------------------


def test_gates_csv_streams_the_same_rows_whatever_the_batch(
    lead_org, board, officer, secretary, monkeypatch
):
    add_strategies(lead_org, board, officer, secretary, 5)
    client = client_for(officer)
    whole = client.get(reverse("governance:gates-csv"))
    assert whole.streaming and whole["Content-Disposition"].startswith("attachment;")
    text = downloaded(whole)
    monkeypatch.setattr(exports, "BATCH", 2)
    assert downloaded(client.get(reverse("governance:gates-csv"))) == text
    rows = list(csv.DictReader(io.StringIO(text)))
    # by title, each route whole (two gates in parallel: 1a and 1b)
    assert [r["strategy"] for r in rows] == [f"S{i:02}" for i in range(5) for _gate in (1, 2)]
    assert [r["step"] for r in rows[:2]] == ["1a", "1b"]


def test_gates_csv_reads_a_batch_at_a_time(lead_org, board, officer, secretary, monkeypatch):
    """Two strategies a batch: the queries grow by the same number for each batch added, and
    the first rows go out before the later batches are read (a download built whole would read
    everything first)."""
    monkeypatch.setattr(exports, "BATCH", 2)
    client = client_for(officer)
    counts = []
    for n in (2, 2, 2):  # 2, 4, then 6 strategies: 1, 2, then 3 batches
        add_strategies(lead_org, board, officer, secretary, n, start=len(counts) * 2)
        steps, text = read_in_steps(client.get(reverse("governance:gates-csv")))
        counts.append(steps[-1])
    per_batch = counts[1] - counts[0]
    assert per_batch > 0 and counts[2] - counts[1] == per_batch
    # Of the six strategies' download (two rows each): the header and the first batch's four
    # rows were sent before the second and third batches were read.
    assert len(text.splitlines()) == 1 + 6 * 2
    assert steps[4] == steps[-1] - 2 * per_batch


# A strategy's JSON ---------------------------------------------------------------------------


def test_the_json_export_streams_what_export_strategy_gives(with_response, administrator):
    strategy = with_response.strategy
    response = client_for(administrator).get(reverse("strategy-export", args=[strategy.slug]))
    assert response.streaming and response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="{strategy.slug}.json"'
    text = downloaded(response)
    streamed = json.loads(text)
    # Written as JsonResponse writes it (one space an indent, characters as they are) ...
    assert json.dumps(streamed, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False) == text
    # ... with what export_strategy gives, in another order of keys.
    whole = export_strategy(strategy, by=administrator, personal_data=True)
    for document in (streamed, whole):
        document.pop("exported_at")
    assert streamed == whole
    assert streamed["consultation"]["responses"][0]["reference"] == "WM-AAAA-BBBB"


def test_the_streamed_json_imports(with_response, administrator):
    strategy = with_response.strategy
    response = client_for(administrator).get(reverse("strategy-export", args=[strategy.slug]))
    document = json.loads(downloaded(response))
    document["strategies"]["strategy"]["slug"] = "imported"
    for window in document["consultation"]["windows"]:
        window["slug"] = f"imported-{window['slug']}"
    for response in document["consultation"]["responses"]:
        response["reference"] = ""  # a new one is given
    imported, _notes = import_strategy(document)
    assert imported.slug == "imported" and imported.title == strategy.title


def test_the_json_export_sends_rows_before_it_has_read_them_all(
    with_response, administrator, monkeypatch
):
    """A piece at a time: the strategy's first rows go out before its history is read."""
    monkeypatch.setattr(streaming, "SEND", 1)
    strategy = with_response.strategy
    response = client_for(administrator).get(reverse("strategy-export", args=[strategy.slug]))
    steps, text = read_in_steps(response)
    assert len(steps) > 100 and steps[0] < steps[-1] / 2
    assert '"schema": "waymark.strategy/1"' in text


def test_a_lazy_list_is_written_as_a_list():
    document = {"empty": streaming.Lazy(iter(())), "rows": streaming.Lazy(lambda: iter([1, 2]))}
    assert "".join(streaming.json_text(document)) == json.dumps(
        {"empty": [], "rows": [1, 2]}, indent=1
    )


# Open data -----------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["strategies", "decisions", "you-said-we-did"])
def test_open_data_streams_in_batches(
    with_response, lead_org, board, officer, secretary, monkeypatch, slug
):
    """One strategy (or consultation) a batch: the queries of the CSV grow by the same number
    for each batch added; the JSON is written as json.dumps writes it; a 304 reads no rows."""
    monkeypatch.setattr(datasets, "BATCH", 1)
    counts = []
    for n in range(3):
        response = Client().get(reverse("open-data-csv", args=[slug]))
        assert response.streaming and response["ETag"].startswith('W/"')
        steps, text = read_in_steps(response)
        assert len(text.splitlines()) == 1 + n + 1
        counts.append(steps[-1])
        publish_another(lead_org, board, officer, secretary, n)
    assert counts[1] - counts[0] == counts[2] - counts[1] > 0
    response = Client().get(reverse("open-data-json", args=[slug]))
    assert response.streaming
    text = downloaded(response)
    assert json.dumps(json.loads(text), ensure_ascii=False, indent=1) == text
    again = Client().get(
        reverse("open-data-json", args=[slug]), headers={"If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304


# A consultation's responses ------------------------------------------------------------------


def test_the_responses_csv_streams(with_response, officer):
    window = with_response
    response = client_for(officer).get(reverse("consultation:export", kwargs={"pk": window.pk}))
    assert response.streaming
    assert len(downloaded(response).splitlines()) == 1 + window.responses.count()
