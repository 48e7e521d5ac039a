"""The seed routes as the reports tell them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from governance import workflow
from governance.models import Decision, Gate
from strategies.models import Strategy, User


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def route(slug):
    return list(
        Gate.objects.filter(strategy__slug=slug)
        .select_related("body", "meeting")
        .order_by("position")
    )


def test_milton_keynes_route(demo):
    gates = route("milton-keynes-jhws-2012-2015")
    summary = [(g.body.name, g.purpose, g.state, g.when) for g in gates]
    assert summary == [
        ("Milton Keynes Shadow Health and Wellbeing Board", "develop", "passed", "1 December 2011"),
        ("JHWS Strategy Development Group", "develop", "passed", "March 2012"),
        (
            "Milton Keynes Shadow Health and Wellbeing Board",
            "approve_consultation",
            "passed",
            "June 2012",
        ),
        (
            "Milton Keynes Shadow Health and Wellbeing Board",
            "consult",
            "passed",
            "22 September 2012",
        ),
        (
            "Milton Keynes Shadow Health and Wellbeing Board",
            "approve",
            "scheduled",
            "27 September 2012",
        ),
        ("Milton Keynes Council Cabinet", "adopt", "planned", "date to be set"),
        ("Milton Keynes CCG Governing Body", "adopt", "planned", "date to be set"),
    ]
    final = gates[4]
    assert list(gates[5].waits_for.all()) == [final] == list(gates[6].waits_for.all())
    assert "24 responses" in gates[3].note
    assert Strategy.objects.get(slug="milton-keynes-jhws-2012-2015").stage == "in_governance"


def test_dudley_route(demo):
    gates = route("dudley-hws-2017-2022")
    summary = [(g.body.name, g.purpose, g.state, g.when) for g in gates]
    assert summary == [
        ("Dudley Health and Wellbeing Board", "develop", "passed", "March 2017"),
        ("Dudley Health and Wellbeing Board", "review", "passed", "28 June 2017"),
        ("Portfolio holders, People Directorate", "discuss", "passed", "10 July 2017"),
        ("Informal Cabinet", "discuss", "passed", "24 July 2017"),
        ("Wider Corporate Board", "discuss", "planned", "date to be set"),
        ("Cabinet", "endorse", "scheduled", "13 September 2017"),
        (
            "Health and Adult Social Care Scrutiny Committee",
            "scrutinise",
            "scheduled",
            "27 September 2017",
        ),
        ("Dudley Health and Wellbeing Board", "consult", "planned", "summer 2017"),
        ("Dudley Health and Wellbeing Board", "sign_off", "planned", "December 2017"),
    ]
    review = Decision.objects.get(gate=gates[1])
    assert review.outcome == "approved_with_amendments"
    assert review.revision.label.startswith("Papers for")
    dudley = Strategy.objects.get(slug="dudley-hws-2017-2022")
    assert dudley.stage == "in_governance" and dudley.editing_closed_reason == ""


def test_milton_keynes_is_adopted_only_when_cabinet_and_ccg_both_adopt(demo):
    from governance.models import Meeting
    from tests.governance.conftest import at

    admin = User.objects.get(username="admin")
    final, cabinet, ccg = route("milton-keynes-jhws-2012-2015")[4:]
    workflow.record_decision(final, admin, "approved", "The Board approved the strategy.")
    strategy = Strategy.objects.get(slug="milton-keynes-jhws-2012-2015")
    assert strategy.stage == "approved"
    for gate, day in ((cabinet, 30), (ccg, 20)):
        meeting = Meeting.objects.create(body=gate.body, starts_at=at(day))
        workflow.schedule_gate(gate, meeting, admin)
    workflow.record_decision(
        cabinet,
        admin,
        "approved",
        "Cabinet adopted the strategy.",
        reasons="It meets the needs the assessment found.",
        alternatives_considered="None: the Board's strategy is a joint duty.",
    )
    strategy.refresh_from_db()
    assert strategy.stage == "approved"
    workflow.record_decision(ccg, admin, "approved", "The CCG adopted the strategy.")
    strategy.refresh_from_db()
    assert strategy.stage == "adopted"


def test_the_demo_audit_is_intact(demo):
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit intact" in out.getvalue()
