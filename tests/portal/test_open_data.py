"""Open data (portal/opendata/): the published strategies, the decisions that adopted them and
the published "you said, we did", as JSON and CSV at stable addresses and described on a page:
only what the public pages show, under the licence the settings name, answered 304 when
unchanged, in a fixed number of queries."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from consultation.models import ConsultationWindow, Theme, YouSaidWeDid
from governance import workflow
from governance.models import Body, Purpose
from strategies.models import Strategy
from tests.conftest import downloaded
from tests.factories import full_strategy
from tests.governance import test_publish_and_exports as publishing
from tests.governance.conftest import decide
from tests.test_settings import manage

# An adopted strategy, published, and a consultation on it with its "you said, we did"
# published and a response (tests/governance/test_publish_and_exports.py).
adopted, published, with_response = (
    publishing.adopted,
    publishing.published,
    publishing.with_response,
)
MARKER = publishing.MARKER
DATASETS = ["strategies", "decisions", "you-said-we-did"]


def get_json(slug: str, **headers) -> dict:
    return json.loads(
        downloaded(Client().get(reverse("open-data-json", args=[slug]), headers=headers))
    )


def get_csv(slug: str) -> list[dict]:
    response = Client().get(reverse("open-data-csv", args=[slug]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(downloaded(response))))


def everything_published() -> str:
    """Every download and the page, as one text."""
    client = Client()
    texts = [client.get(reverse("open-data")).content.decode()]
    for slug in DATASETS:
        texts.append(downloaded(client.get(reverse("open-data-json", args=[slug]))))
        texts.append(downloaded(client.get(reverse("open-data-csv", args=[slug]))))
    return "\n".join(texts)


def add_window(strategy, slug: str, state: str, you_said: str, **entry) -> ConsultationWindow:
    window = ConsultationWindow.objects.create(
        strategy=strategy, title=f"Consultation {slug}", slug=slug, minimum_days=84, state=state
    )
    theme = Theme.objects.create(window=window, name=f"Theme {slug}")
    YouSaidWeDid.objects.create(window=window, theme=theme, you_said=you_said, **entry)
    return window


def publish_another(lead_org, board, officer, secretary, n: int) -> Strategy:
    """A strategy with content, adopted by the Board and published, with a consultation whose
    "you said, we did" is published."""
    strategy = full_strategy(lead_org, priorities=2, slug=f"another-{n}", title=f"Another {n}")
    gate = workflow.add_gate(strategy, board, Purpose.ADOPT, officer)
    decide(gate, secretary, days_ago=14, resolution=f"Adopted {n}.")
    strategy.refresh_from_db()
    workflow.publish(strategy, officer)
    add_window(strategy, f"another-{n}", "response_published", f"Said {n}.", we_did="Did.")
    return strategy


# What is in them -------------------------------------------------------------------------------


def test_published_strategy_its_decision_and_you_said_we_did_are_in_the_data(with_response):
    strategy = with_response.strategy
    (row,) = get_json("strategies")["rows"]
    assert row["title"] == strategy.title and row["stage"] == "Published"
    assert row["public_page"] == "http://testserver" + reverse(
        "published-strategy", args=[strategy.slug]
    )
    assert (row["priorities"], row["objectives"], row["actions"]) == (1, 1, 1)
    (decision,) = get_json("decisions")["rows"]
    assert decision["resolution"] == "The Board adopted the strategy."
    assert decision["outcome"] == "Approved" and decision["strategy"] == strategy.title
    (entry,) = get_json("you-said-we-did")["rows"]
    assert (entry["you_said"], entry["we_did"], entry["changed"]) == (
        "Housing matters.",
        "Added a priority.",
        True,
    )
    assert get_csv("you-said-we-did")[0]["changed"] == "yes"


def test_only_what_the_public_pages_show_is_ever_in_the_data(with_response, lead_org, board):
    """A draft, the decision's reasons and conflicts, a response's text and reference, and a
    "you said, we did" not yet published appear nowhere; a body meeting in private's decision
    leaves the data as it leaves the page."""
    full_strategy(lead_org, title=f"Draft {MARKER}")
    add_window(with_response.strategy, "not-yet", "closed", f"unpublished {MARKER}")
    text = everything_published()
    assert "The Board adopted the strategy." in text and "Housing matters." in text
    assert MARKER not in text and "WM-AAAA-BBBB" not in text
    Body.objects.filter(pk=board.pk).update(meets_in_public=False)
    assert get_json("decisions")["rows"] == []
    assert "The Board adopted the strategy." not in everything_published()


def test_an_adopted_strategy_not_yet_published_is_not_in_the_data(adopted):
    assert get_json("strategies")["rows"] == [] and get_json("decisions")["rows"] == []


def test_a_replaced_strategy_names_what_replaced_it(published, lead_org, board, officer, secretary):
    newer = publish_another(lead_org, board, officer, secretary, 1)
    Strategy.objects.filter(pk=newer.pk).update(replaces=published)
    Strategy.objects.filter(pk=published.pk).update(stage=Strategy.Stage.SUPERSEDED)
    rows = {row["title"]: row for row in get_json("strategies")["rows"]}
    assert rows[published.title]["replaced_by"] == newer.title
    assert rows[newer.title]["replaces"] == published.title
    assert rows[newer.title]["replaces_page"].endswith(f"/published/{published.slug}/")


def test_csv_cells_never_run_as_formulas(published):
    add_window(published, "formula", "response_published", '=HYPERLINK("http://x","y")')
    (row,) = get_csv("you-said-we-did")
    assert row["you_said"] == '\'=HYPERLINK("http://x","y")'
    header = downloaded(Client().get(reverse("open-data-csv", args=["strategies"])))
    assert header.splitlines()[0].startswith("title,lead_organisations,partners")


def test_an_unknown_dataset_is_not_found(db):
    assert Client().get("/open-data/responses.json").status_code == 404
    assert Client().get("/open-data/responses.csv").status_code == 404


# The licence -------------------------------------------------------------------------------------


def test_licence_and_publisher_are_in_the_json_and_on_the_page(db):
    document = get_json("strategies")
    assert document["licence"] == {
        "name": "Open Government Licence v3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    }
    assert document["publisher"] == "Waymark" and document["generated_at"]
    assert {"rows", "columns", "last_updated"} <= set(document)
    page = Client().get(reverse("open-data")).content.decode()
    assert "Open Government Licence v3.0" in page and "open-government-licence/version/3/" in page


def test_the_settings_change_the_licence(db, settings):
    settings.OPEN_DATA_LICENCE_NAME = "Creative Commons Attribution 4.0"
    settings.OPEN_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
    settings.OPEN_DATA_PUBLISHER = "Dudley Metropolitan Borough Council"
    document = get_json("decisions")
    assert document["licence"]["name"] == "Creative Commons Attribution 4.0"
    assert document["publisher"] == "Dudley Metropolitan Borough Council"
    page = Client().get(reverse("open-data")).content.decode()
    assert "creativecommons.org/licenses/by/4.0/" in page and "Open Government" not in page
    csv_answer = Client().get(reverse("open-data-csv", args=["decisions"]))
    assert "creativecommons.org/licenses/by/4.0/" in csv_answer["Link"]


def test_a_licence_named_without_its_address_stops_the_app():
    result = manage("check", WAYMARK_OPEN_DATA_LICENCE="Creative Commons Attribution 4.0")
    assert result.returncode != 0 and "WAYMARK_OPEN_DATA_LICENCE_URL" in result.stderr


# Conditional GET and caching ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["open-data-json", "open-data-csv"])
def test_an_unchanged_dataset_is_answered_304(with_response, name):
    url = reverse(name, args=["you-said-we-did"])
    first = Client().get(url)
    assert first.status_code == 200 and first["Cache-Control"] == "public, max-age=600"
    assert first["ETag"].startswith('W/"') and first["Last-Modified"]
    again = Client().get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    by_date = Client().get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304
    entry = YouSaidWeDid.objects.get()
    entry.you_said = "Housing matters most."
    entry.save()
    changed = Client().get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_changed_licence_changes_the_etag(published, settings):
    url = reverse("open-data-json", args=["strategies"])
    tag = Client().get(url)["ETag"]
    settings.OPEN_DATA_LICENCE_NAME = "Another licence"
    assert Client().get(url, headers={"If-None-Match": tag}).status_code == 200


def test_signed_in_people_get_private_answers(published, officer):
    from tests.conftest import client_for

    answer = client_for(officer).get(reverse("open-data-json", args=["strategies"]))
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-store"


# Queries -----------------------------------------------------------------------------------------


# Queries, for one batch of rows (datasets.BATCH): when what they show changed, then the rows,
# read twice (once for the ETag, once to send them): the strategies, their partner links, their
# published texts and the strategies replacing them; the strategies, their published texts and
# the decisions (read a third time for when they changed); the consultations and their entries.
QUERIES = {"strategies": 1 + 2 * 4, "decisions": 1 + 3 * 3, "you-said-we-did": 1 + 2 * 2}
# The page builds all three and counts their rows: the rows read once.
PAGE_QUERIES = 1 + 4 + 1 + 2 * 3 + 1 + 2


@pytest.mark.parametrize("slug", DATASETS)
def test_queries_do_not_grow_with_the_rows(
    with_response, lead_org, board, officer, secretary, django_assert_num_queries, slug
):
    """The same number of queries for one published strategy and for four."""
    answers = [
        (reverse("open-data-json", args=[slug]), QUERIES[slug]),
        (reverse("open-data-csv", args=[slug]), QUERIES[slug]),
        (reverse("open-data"), PAGE_QUERIES),
    ]
    for url, count in answers:
        with django_assert_num_queries(count):
            downloaded(Client().get(url))  # a download's rows are read as it streams
    for n in range(3):
        publish_another(lead_org, board, officer, secretary, n)
    assert len(get_json(slug)["rows"]) == 4
    for url, count in answers:
        with django_assert_num_queries(count):
            downloaded(Client().get(url))


# The page --------------------------------------------------------------------------------------


def test_page_headings_are_in_order_and_tables_have_captions(with_response):
    page = Client().get(reverse("open-data")).content.decode()
    main = page[page.index("<main") :]
    levels = [int(level) for level in re.findall(r"<h([1-6])", main)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert main.count("<table") == main.count("<caption") == len(DATASETS)
    for slug in DATASETS:
        assert f"http://testserver/open-data/{slug}.csv" in page
        assert f"http://testserver/open-data/{slug}.json" in page


def test_start_page_links_to_open_data(db):
    assert reverse("open-data") in Client().get("/").content.decode()
