"""The analysis page with many responses: filters that combine, the search of the comments on
each database, page sizes, counts that match the list, responses by day, and query counts that
stay the same however many responses there are (with the CSV and the JSON export)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultation import workflow
from consultation.analysis import responses_by_day, search_terms
from consultation.models import Response, Theme
from tests.conftest import client_for, downloaded
from tests.consultation.conftest import answers_for


def _many(window, n, agreement=4, comment="", general=""):
    return [
        workflow.submit_response(
            window, "individual", answers_for(window, agreement, comment), general_comments=general
        )
        for _ in range(n)
    ]


def _list(client, window, **filters):
    url = reverse("consultation:analysis", kwargs={"pk": window.pk})
    return client.get(url, filters)


def test_filters_combine_and_the_counts_match_what_is_shown(officer, open_window):
    _many(open_window, 30, agreement=5)
    paper = _many(open_window, 4, agreement=2)
    Response.objects.filter(pk__in=[r.pk for r in paper]).update(channel="paper")
    Response.objects.filter(pk=paper[0].pk).update(late=True)
    theme = Theme.objects.create(window=open_window, name="Buses")
    workflow.set_tag(paper[1], theme, True)
    client = client_for(officer)

    page = _list(client, open_window, agreement=5, page=2)
    assert page.context["page"].paginator.count == 30
    assert "Showing 26–30 of 30 matching responses (34 in all)." in page.text
    assert len(page.context["page"].object_list) == 5
    first = _list(client, open_window)
    assert "Showing 1–25 of 34 responses." in first.text
    assert len(_list(client, open_window, per_page=50).context["page"].object_list) == 34

    def count(**filters):
        return _list(client, open_window, **filters).context["page"].paginator.count

    assert count(channel="paper") == 4
    assert count(channel="paper", late="yes") == 1
    assert count(channel="paper", late="no") == 3
    assert count(channel="paper", untagged="on") == 3
    assert count(channel="paper", theme=theme.pk) == 1
    assert count(channel="online", theme=theme.pk) == 0
    assert count(respondent_type="group") == 0
    assert "No matching responses (34 in all)." in _list(client, open_window, channel="email").text


def test_a_choice_not_offered_is_shown_beside_its_field_and_the_others_apply(officer, open_window):
    _many(open_window, 2)
    page = _list(client_for(officer), open_window, theme="99999", channel="paper", per_page="7")
    form = page.context["form"]
    assert page.status_code == 200
    assert {"theme", "per_page"} <= set(form.errors)
    assert page.context["page"].paginator.count == 0  # channel still applied
    assert 'value="paper" selected' in page.text  # the choice is shown again
    theme = Theme.objects.create(window=open_window, name="Parks")
    both = _list(client_for(officer), open_window, theme=theme.pk, untagged="on")
    assert "not both" in both.text


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")
def test_searching_on_sqlite_needs_every_word_in_any_comment(officer, open_window):
    both = _many(open_window, 1, comment="The BUS to the hospital", general="late at night")[0]
    _many(open_window, 1, comment="the bus is fine")
    _many(open_window, 1, general="Hospital parking")
    client = client_for(officer)

    def found(q):
        return {r.pk for r in _list(client, open_window, q=q).context["page"].object_list}

    assert found("bus hospital") == {both.pk}  # one word in an answer, one in it too
    assert found("bus night") == {both.pk}  # across an answer's comment and the general one
    assert len(found("bus")) == 2
    assert found('"to the hospital"') == {both.pk}
    assert len(found("hospital -night")) == 1
    assert found("trams") == set()
    assert search_terms('bus or "a b" -car') == (["bus", "a b"], ["car"])
    assert search_terms('"unclosed bus') == (["unclosed", "bus"], [])


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_searching_on_postgresql_is_full_text_in_english(officer, open_window):
    both = _many(open_window, 1, comment="More parking at the hospital", general="late at night")[0]
    _many(open_window, 1, comment="the park is fine")
    client = client_for(officer)

    def found(q):
        return {r.pk for r in _list(client, open_window, q=q).context["page"].object_list}

    assert len(found("park")) == 2  # "parking" is the same word
    assert found("park night") == {both.pk}  # across an answer's comment and the general one
    assert found('"at the hospital"') == {both.pk}
    assert len(found("park -hospital")) == 1
    assert len(found("trams or night")) == 1


@pytest.mark.parametrize("responses", [3, 60])
def test_the_page_keeps_its_query_count_and_needs_no_distinct(
    officer, open_window, responses, django_assert_num_queries
):
    theme = Theme.objects.create(window=open_window, name="Access")
    for r in _many(open_window, responses, comment="bus"):
        workflow.set_tag(r, theme, True)
    client = client_for(officer)
    url = reverse("consultation:analysis", kwargs={"pk": open_window.pk})
    filtered = {"q": "bus", "theme": theme.pk, "agreement": 4, "channel": "online", "page": 2}
    # session, user, window, visibility, themes, count, page + 2 prefetches, counts by type,
    # by day, charts, the suggested tags of the page (views/suggestions.py)
    with django_assert_num_queries(13):
        assert client.get(url, {**filtered, "per_page": 50}).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"priority": answers_for(open_window)[0][0], "untagged": "on"})
    assert not [q for q in queries if "DISTINCT" in q["sql"].upper()]


def test_responses_by_day_are_counted_in_the_uk_day(open_window, settings):
    settings.TIME_ZONE = "Europe/London"
    summer = datetime.datetime(2026, 6, 1, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 2 June
    winter = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)  # 23:30 on 1 Dec
    for when in (summer, winter, winter):
        workflow.submit_response(
            open_window, "individual", answers_for(open_window), submitted_at=when
        )
    assert responses_by_day(open_window) == [
        {"day": datetime.date(2026, 6, 2), "n": 1},
        {"day": datetime.date(2026, 12, 1), "n": 2},
    ]


def test_a_response_sent_another_way_counts_on_the_day_it_was_received(open_window, officer):
    # Keyed in today from a paper form received a week ago: the chart follows the form's day,
    # not the moment it was typed in (nor, for an import, the moment of the import).
    week_ago = timezone.localdate() - datetime.timedelta(days=7)
    workflow.key_in_response(
        open_window, officer, "paper", week_ago, "individual", answers_for(open_window)
    )
    workflow.submit_response(open_window, "individual", answers_for(open_window))
    assert responses_by_day(open_window) == [
        {"day": week_ago, "n": 1},
        {"day": timezone.localdate(), "n": 1},
    ]


@pytest.mark.parametrize("responses", [3, 30])
def test_the_csv_streams_with_a_steady_query_count(
    officer, open_window, responses, django_assert_num_queries
):
    _many(open_window, responses, comment="c")
    url = reverse("consultation:export", kwargs={"pk": open_window.pk})
    client = client_for(officer)
    # session, user, window, visibility, then who keyed any in, the responses, their answers and
    # their themes (consultation/responses_csv.py), whatever their number
    with django_assert_num_queries(8):
        response = client.get(url)
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert response.streaming and len(lines) == responses + 1


def test_the_json_export_keeps_its_query_count(officer, open_window):
    """It read each response's answers again, in order: one query per response."""
    url = reverse("strategy-export", kwargs={"slug": open_window.strategy.slug})
    client = client_for(officer)
    counts = []
    for more in (3, 27):
        _many(open_window, more, comment="c")
        with CaptureQueriesContext(connection) as queries:  # the download read as it streams
            json.loads(downloaded(client.get(url)))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_chart_counts_each_windows_own_answers_and_names_priorities_the_text_lacks(
    officer, open_window
):
    from consultation.models import PriorityAnswer
    from consultation.views.responses import agreement_chart

    _many(open_window, 3, agreement=5)
    # An answer to a priority the text consulted on does not name (recorded without its text).
    workflow.submit_response(open_window, "individual", [(999_999, "Green spaces", 2, "")])
    assert set(PriorityAnswer.objects.values_list("window", flat=True)) == {open_window.pk}
    charts = {chart["title"]: chart for chart in agreement_chart(open_window)}
    first = answers_for(open_window)[0][1]
    assert [bar["count"] for bar in charts[first]["bars"]] == [0, 0, 0, 0, 3]
    assert [bar["count"] for bar in charts["Green spaces"]["bars"]] == [0, 1, 0, 0, 0]
