"""Consultation fixtures: a strategy with two priorities, a consult gate on its route, and a
window on that gate, planned or open."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from consultation import workflow
from consultation.models import ConsultationWindow
from governance import workflow as governance
from governance.models import Purpose
from tests.factories import add_priority


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def consult_gate(strategy, board, officer):
    add_priority(strategy, "Improve wellbeing")
    add_priority(strategy, "Reduce inequalities")
    return governance.add_gate(strategy, board, Purpose.CONSULT, officer)


@pytest.fixture
def planned(strategy, consult_gate):
    return ConsultationWindow.objects.create(
        strategy=strategy,
        gate=consult_gate,
        title="Have your say on our strategy",
        slug="our-strategy",
        opens_on=days(-10),
        closes_on=days(80),
        minimum_days=84,
    )


@pytest.fixture
def past(planned):
    """The planned window, its dates 1 May to 31 July 2017: it ran before Waymark, and is to be
    recorded after the fact (test_recorded_later*.py)."""
    planned.opens_on, planned.closes_on = datetime.date(2017, 5, 1), datetime.date(2017, 7, 31)
    planned.save()
    return planned


@pytest.fixture
def open_window(planned, officer):
    return workflow.open_window(planned, officer)


def answers_for(window, agreement=4, comment=""):
    return [
        (p["id"], p["title"], agreement, comment) for p in window.revision.content["priorities"]
    ]
