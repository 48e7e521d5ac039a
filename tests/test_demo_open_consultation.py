"""load_demo's consultation open today (portal/demo/open_consultation.py): made up and marked as
such, dated from the day it is loaded, so that /consult/ offers a form to try at once."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultation.models import ConsultationWindow, Response, Theme
from portal.demo import open_consultation
from strategies.models import Organisation, Priority, Revision, Strategy, User
from tests.factories import UserFactory


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded(db):
    """Only this module, with the administrator the demo's moves are made by."""
    UserFactory(username="admin", organisation=None, role=User.Role.ADMINISTRATOR)
    open_consultation.load()
    return ConsultationWindow.objects.get(slug=open_consultation.WINDOW_SLUG)


def counts() -> dict[str, int]:
    models = [Organisation, Strategy, Priority, Revision, ConsultationWindow, Response, Theme]
    counted = {m.__name__: m.objects.count() for m in models}
    counted["history"] = ConsultationWindow.history.count() + Strategy.history.count()
    return counted


def test_after_load_demo_the_public_list_offers_it_and_its_form_takes_a_response(demo):
    client = Client()
    listing = client.get(reverse("consultation:public-list")).content.decode()
    assert "Demo: have your say on our Physical Activity Strategy" in listing
    window = ConsultationWindow.objects.get(slug=open_consultation.WINDOW_SLUG)
    page = client.get(window.get_public_url()).content.decode()
    assert "Open for responses" in page and "Send my response" in page
    assert "Questions?" in page and "active.communities@example.org" in page
    data = {"respondent_type": "individual", "consent": "on", "general_comments": "Trying it"}
    for p in window.revision.content["priorities"]:
        data[f"agree_{p['id']}"] = "5"
    sent = client.post(window.get_public_url(), data, follow=True)
    assert sent.status_code == 200
    mine = Response.objects.get(general_comments="Trying it")
    assert mine.reference in sent.content.decode() and not mine.is_demo  # a person's own


def test_it_is_named_in_load_demos_list(demo):
    assert "Demo: Waymark Borough Council Physical Activity Strategy 2027-2031" in demo


def test_loading_twice_adds_nothing(demo, settings):
    before = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == before


def test_it_is_marked_as_demo_data_wherever_it_is_named(loaded):
    strategy = loaded.strategy
    assert strategy.title.startswith("Demo:") and "Demo data" in strategy.summary
    assert strategy.lead_organisation.name == "Waymark Borough Council (demo)"
    assert loaded.title.startswith("Demo:") and "Demo consultation" in loaded.summary
    responses = loaded.responses.all()
    assert responses.count() == len(open_consultation.RESPONSES)
    assert all(r.is_demo for r in responses)


def test_it_opened_days_before_the_day_it_was_loaded_and_runs_twelve_weeks(loaded):
    today = timezone.localdate()
    assert loaded.state == ConsultationWindow.State.OPEN and loaded.accepts_responses()
    assert loaded.opens_on == today - datetime.timedelta(days=3)
    assert loaded.length_days == 84 and not loaded.is_shorter_than_policy
    assert all(r.submitted_at.date() < today for r in loaded.responses.all())
    assert loaded.revision.content["priorities"][0]["title"] == "Active from the start"


def test_its_responses_are_tagged_with_its_themes(loaded):
    tagged = {t.name: t.responses.count() for t in loaded.themes.all()}
    assert tagged == {"Cost of taking part": 2, "Safe routes for walking and cycling": 2}
