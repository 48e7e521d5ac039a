"""How the consultation pages say things: the strategy's word for its top level in the plural
(the public consultation page, the published strategy, a revision), a length of one day, and a
window with only one of its dates set."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultation import workflow
from consultation.models import ConsultationWindow
from portal.reports.consultation import window_summaries
from strategies.models import Strategy
from strategies.publication import PUBLISHED_LABEL
from strategies.revisions import take_revision
from tests.conftest import client_for
from tests.consultation.conftest import days

D = datetime.date
WORDS = [("priority", "Priorities"), ("goal", "Goals"), ("outcome", "Outcomes")]


# The top level's plural ------------------------------------------------------------------------


@pytest.mark.parametrize(("term", "plural"), WORDS)
def test_the_public_consultation_page_heads_the_text_with_the_plural(
    planned, officer, term, plural
):
    Strategy.objects.filter(pk=planned.strategy_id).update(top_level_term=term)
    window = workflow.open_window(planned, officer)
    page = Client().get(window.get_public_url()).text
    assert f'<h3 class="h5">{plural}</h3>' in page
    assert f"{plural[:-1]}s<" not in page.replace(plural, "")


@pytest.mark.parametrize(("term", "plural"), WORDS)
def test_a_revision_and_the_published_strategy_head_their_lists_with_the_plural(
    officer, strategy, consult_gate, term, plural
):
    Strategy.objects.filter(pk=strategy.pk).update(
        top_level_term=term, stage=Strategy.Stage.PUBLISHED
    )
    revision = take_revision(strategy, PUBLISHED_LABEL)
    url = reverse("strategies:revision", kwargs={"slug": strategy.slug, "number": revision.number})
    assert f'<h3 class="h5">{plural}</h3>' in client_for(officer).get(url).text
    page = Client().get(reverse("published-strategy", args=[strategy.slug])).text
    assert f'<h2 class="h4" id="priorities-heading">{plural}</h2>' in page


# "1 day", not "1 days" ----------------------------------------------------------------------------


def test_a_one_day_window_reads_1_day_on_its_page_and_in_the_committee_report(officer, planned):
    planned.opens_on = planned.closes_on = days(30)
    planned.save()
    page = client_for(officer).get(planned.get_absolute_url()).text
    assert "(1 day)" in page and "1 day against a minimum of 84" in page
    assert "1 days" not in page
    [sentence, *_] = window_summaries([planned.gate_id])[planned.gate_id].paragraphs
    assert f"is planned from {planned.dates} (1 day) with the public" in sentence


def test_closing_on_the_day_it_opened_reads_1_day_on_the_close_page(officer, planned):
    planned.opens_on, planned.closes_on = timezone.localdate(), days(90)
    planned.save()
    window = workflow.open_window(planned, officer)
    ConsultationWindow.objects.filter(pk=window.pk).update(minimum_days=1)
    url = reverse("consultation:close", kwargs={"pk": window.pk})
    page = client_for(officer).get(url).text
    assert "1 day</dd>" in page and "1 days" not in page  # its length today, and the policy's
    ConsultationWindow.objects.filter(pk=window.pk).update(minimum_days=84)
    page = client_for(officer).post(url, {"reason": ""}).text
    assert "Closing today makes the consultation 1 day long, shorter than the 84-day" in page
    assert ConsultationWindow.objects.get().state == ConsultationWindow.State.OPEN


# A window with one of its dates set -------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens_on", "closes_on", "precision", "dates"),
    [
        (None, D(2027, 12, 3), "day", "closes 3 December 2027"),
        (None, D(2027, 12, 3), "month", "closes in December 2027"),
        (D(2027, 10, 13), None, "day", "opens 13 October 2027"),
        (D(2027, 7, 1), None, "season", "opens in summer 2027"),
        (D(2027, 10, 13), D(2027, 12, 3), "day", "13 October 2027 to 3 December 2027"),
        (None, None, "day", "dates to be set"),
        (D(2027, 10, 13), D(2027, 12, 3), "not_set", "dates to be set"),
    ],
)
def test_a_window_says_the_dates_it_has(planned, opens_on, closes_on, precision, dates):
    planned.opens_on, planned.closes_on, planned.date_precision = opens_on, closes_on, precision
    assert planned.dates == dates


def test_a_window_saved_with_only_its_closing_date_shows_it(officer, planned):
    url = reverse("consultation:edit", kwargs={"pk": planned.pk})
    response = client_for(officer).post(
        url,
        {
            "title": planned.title,
            "slug": planned.slug,
            "gate": planned.gate_id,
            "closes_on": "2027-12-03",
            "date_precision": "day",
            "version": planned.version,
            "for_public": "on",
        },
    )
    assert response.status_code == 302
    window = ConsultationWindow.objects.get()
    assert (window.opens_on, window.closes_on) == (None, D(2027, 12, 3))
    client = client_for(officer)
    assert "closes 3 December 2027" in client.get(window.get_absolute_url()).text
    tab = reverse("consultation:strategy", kwargs={"slug": window.strategy.slug})
    assert "<td>closes 3 December 2027</td>" in client.get(tab).text
    [sentence, *_] = window_summaries([window.gate_id])[window.gate_id].paragraphs
    assert sentence.startswith(f"“{window.title}” is planned (it closes 3 December 2027) with")
