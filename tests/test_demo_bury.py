"""load_demo's fourth strategy: Bury's Housing Strategy, brought into Waymark after the fact from
Bury Council's public records (portal/demo/bury.py): a decision called in, a consultation that
ran and closed in the past, minute and agenda item references."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from consultation.models import ConsultationWindow
from governance.deadlines import call_in
from governance.models import CallIn, Decision, Gate, Meeting
from portal.projection import project_one
from strategies.models import Strategy

SLUG = "bury-housing-strategy"


@pytest.fixture
def bury(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    return Strategy.objects.get(slug=SLUG)


def test_the_strategy_and_its_route_as_the_records_give_them(bury):
    assert (bury.title, bury.start_year, bury.end_year) == ("Bury Housing Strategy", 2021, 2030)
    assert bury.lead_organisation.name == "Bury Council"
    gates = list(bury.gates.select_related("body", "meeting").order_by("position"))
    assert [(g.body.name, g.purpose, g.state) for g in gates] == [
        ("Cabinet", "approve_consultation", Gate.State.PASSED),
        ("Cabinet", "consult", Gate.State.PASSED),
        ("Cabinet", "adopt", Gate.State.PASSED),
    ]
    assert bury.stage == Strategy.Stage.ADOPTED
    meetings = [g.meeting for g in gates if g.meeting]
    assert [m.local_day for m in meetings] == [
        datetime.date(2020, 10, 14),
        datetime.date(2021, 5, 26),
    ]
    assert all(m.status == Meeting.Status.HELD and not m.time_known for m in meetings)
    assert gates[2].agenda_item == "75"


def test_the_decision_for_consultation_was_called_in_and_heard(bury):
    decision = Decision.objects.get(gate__strategy=bury, gate__purpose="approve_consultation")
    assert decision.minute_reference == "CA.8" and decision.recorded_later
    assert decision.decided_on == datetime.date(2020, 10, 14)
    row = decision.call_in
    assert row.called_in_by == "Councillor Harris" and row.called_in_on is None
    assert row.outcome == CallIn.Outcome.NOT_ON_RECORD and row.heard_on is None
    assert row.heard_by.name == "Overview and Scrutiny Committee"
    assert row.recorded_later and "mgAi.aspx?ID=11003" in row.recorded_from
    assert not call_in(decision).is_held


def test_the_consultation_ran_on_its_real_dates(bury):
    window = ConsultationWindow.objects.get(strategy=bury)
    assert (window.opens_on, window.closes_on) == (
        datetime.date(2020, 11, 30),
        datetime.date(2021, 2, 22),
    )
    assert window.recorded_later and window.reported_responses is None
    assert window.state == ConsultationWindow.State.CLOSED


def test_the_adoption_in_the_words_of_the_minutes(bury):
    decision = Decision.objects.get(gate__strategy=bury, gate__purpose="adopt")
    assert decision.decided_on == datetime.date(2021, 5, 26)
    assert decision.resolution.startswith("That Cabinet: 1. Notes the findings")
    assert "item 75" in decision.recorded_from
    assert project_one(bury).adoption_on is not None


def test_its_pages_show_the_call_in_and_the_references(bury, client, settings):
    client.post("/accounts/login/", {"username": "manager", "password": settings.DEMO_PASSWORD})
    route = client.get(reverse("governance:route", args=[SLUG])).content.decode()
    assert "Minute CA.8" in route and "Item 75" in route
    assert "Called in (the day is not on record) by Councillor Harris" in route
    assert "Recorded after the fact" in route
    decision = Decision.objects.get(gate__strategy=bury, gate__purpose="approve_consultation")
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "By Councillor Harris; the day is not on record" in page
    assert "Heard; what came of it is not on record" in page
    strategy_page = client.get(bury.get_absolute_url()).content.decode()
    assert "Adopted</strong>, in effect from" in strategy_page


def test_load_demo_names_it(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Bury Housing Strategy 2021-2030" in out.getvalue()


def test_every_text_of_the_demo_fits_its_column(bury):
    """PostgreSQL refuses a value longer than its column where SQLite keeps it: every text the
    demo writes fits, so `make run` and the PostgreSQL suite load the same demo."""
    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField) and f.max_length
        ]
        for name in fields:
            limit = model._meta.get_field(name).max_length
            for value in model._default_manager.values_list(name, flat=True):
                assert value is None or len(value) <= limit, (model.__name__, name, value)
