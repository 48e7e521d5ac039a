"""The dashboard's gate lists are chosen, ordered and counted in the database
(portal/dashboard/gates.py). Here they are checked against the plain rule applied in Python to
every open gate, on routes that mix every kind of due, late and warned gate, and the page is
shown to load only the rows it shows however many strategies there are."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db.models.signals import post_init
from django.utils import timezone

from governance import workflow
from governance.deadlines import gate_notes
from governance.models import Gate, Meeting, Purpose
from portal.dashboard import Dashboard
from portal.dashboard.base import chosen_first
from portal.dashboard.gates import DUE_WITHIN, gates_section, open_gates
from portal.dashboard.lateness import OLD_AFTER
from tests.bulk import bulk_strategies
from tests.factories import StrategyFactory
from tests.governance.conftest import at
from tests.ladder import client_for


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def expected(user) -> dict:
    """The lists as the rules define them: every open gate loaded and judged in Python."""
    dashboard = Dashboard(user)
    today = dashboard.today
    gates = list(open_gates(dashboard.strategies).select_related("strategy", "body__organisation"))
    for gate in gates:
        if gate.meeting_id:
            gate.meeting = Meeting.objects.select_related("body__organisation").get(
                pk=gate.meeting_id
            )
    gates.sort(key=lambda g: (g.strategy_id, g.position))

    def org(gate):
        return gate.strategy.lead_organisation_id

    due = sorted(
        (g for g in gates if g.due_day and today <= g.due_day <= today + DUE_WITHIN),
        key=lambda g: g.due_day,
    )
    overdue = sorted((g for g in gates if g.due_day and g.due_day < today), key=lambda g: g.due_day)
    # Late for a year or less first, then the older (portal/dashboard/lateness.py), each own first.
    recent = [g for g in overdue if g.due_day >= today - OLD_AFTER]
    older = [g for g in overdue if g.due_day < today - OLD_AFTER]
    warnings = [(g, n) for g in gates for n in gate_notes(g, today) if n.warning]
    ahead = sorted((w for w in warnings if w[1].due_on >= today), key=lambda w: w[1].due_on)
    behind = sorted(
        (w for w in warnings if w[1].due_on < today), key=lambda w: w[1].due_on, reverse=True
    )
    return {
        "due": [g.pk for g in dashboard.own_first(due, org)],
        "overdue": [
            g.pk for g in dashboard.own_first(recent, org) + dashboard.own_first(older, org)
        ],
        "warnings": [
            (g.pk, n.message) for g, n in dashboard.own_first(ahead + behind, lambda w: org(w[0]))
        ],
    }


def shown(user) -> dict:
    section = gates_section(Dashboard(user))
    return {
        "due": ([i.gate.pk for i in section["due"].rows], section["due"].more),
        "overdue": ([i.gate.pk for i in section["overdue"].rows], section["overdue"].more),
        "warnings": (
            [(w.gate.pk, w.note.message) for w in section["warnings"].rows],
            section["warnings"].more,
        ),
    }


def assert_lists_match(user) -> None:
    want, got = expected(user), shown(user)
    for name in ["due", "overdue", "warnings"]:
        rows, more = got[name]
        assert rows == want[name][:12], name
        assert more == max(0, len(want[name]) - 12), name


@pytest.fixture
def mixed_routes(lead_org, other_org, board, cabinet, officer, secretary):
    """Fourteen strategies with a key decision too late for the Forward Plan (found by the
    database), and beside them every other way to be due, late or warned."""
    bulk_strategies(lead_org, board, cabinet, 14)
    strategy = StrategyFactory(lead_organisation=lead_org, title="Mixed")
    first = workflow.add_gate(strategy, board, Purpose.REVIEW, officer, (), in_days(-3), "day")
    # Planned to a month that has passed; and to this quarter.
    workflow.add_gate(strategy, board, Purpose.ENDORSE, officer, [first], in_days(-70), "month")
    workflow.add_gate(strategy, board, Purpose.ENDORSE, officer, [first], in_days(1), "quarter")
    # Late by more than a year (a route that stalled): after the recent ones, however late.
    workflow.add_gate(strategy, board, Purpose.NOTE, officer, [first], in_days(-500), "day")
    # On a meeting held two days ago, no decision recorded; the agenda never published.
    held = Meeting.objects.create(body=board, starts_at=at(2))
    on_held = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [first])
    workflow.schedule_gate(on_held, held, secretary)
    # A Cabinet key decision on a meeting in 6 days, its agenda not yet published: warned of
    # both the agenda and the Forward Plan.
    soon = Meeting.objects.create(body=cabinet, starts_at=at(-6))
    keyed = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [first], key_decision=True)
    keyed.meeting = soon
    keyed.save()
    # Key decisions: notice published, but late; planned to a month already past, too late
    # for any day of it; planned to a month five weeks on (a note, not a warning); planned
    # well ahead (nothing yet).
    named = {"held": on_held, "keyed": keyed}
    for name, date, precision, published in [
        ("late notice", in_days(20), "day", in_days(-1)),
        ("past month", in_days(-40), "month", None),
        ("note", in_days(35), "month", None),
        ("ahead", in_days(90), "day", None),
    ]:
        named[name] = workflow.add_gate(
            strategy, cabinet, Purpose.ADOPT, officer, [first], date, precision,
            key_decision=True, forward_plan_published_on=published,
        )  # fmt: skip
    # Another organisation's strategy, late too: it comes after the user's own.
    theirs = StrategyFactory(lead_organisation=other_org, title="Theirs")
    other_body = cabinet.__class__.objects.create(
        organisation=other_org, name="MK Cabinet", kind="cabinet", is_executive=True
    )
    Gate.objects.create(
        strategy=theirs, position=1, body=other_body, purpose=Purpose.ADOPT,
        planned_date=in_days(3), planned_precision="day", key_decision=True,
    )  # fmt: skip
    Gate.objects.create(
        strategy=theirs, position=2, body=other_body, purpose=Purpose.REVIEW,
        planned_date=in_days(-30), planned_precision="day",
    )  # fmt: skip
    Gate.objects.create(
        strategy=theirs, position=3, body=other_body, purpose=Purpose.NOTE,
        planned_date=in_days(-400), planned_precision="day",
    )  # fmt: skip
    return named


@pytest.fixture(params=["sliced", "chosen by id"])
def choosing(request, monkeypatch):
    """Each list as read for a few strategies (a slice) and for many (chosen by id first,
    portal/dashboard/base.py `Dashboard.first`): the same rows either way."""
    if request.param == "chosen by id":
        monkeypatch.setattr("portal.dashboard.base.CHOOSE_BY_ID_FROM", 0)
    return request.param


def test_the_lists_match_the_rules_for_an_officer(mixed_routes, officer, choosing):
    assert_lists_match(officer)


def test_the_lists_match_the_rules_for_a_manager_of_another_organisation(
    mixed_routes, manager, choosing
):
    assert_lists_match(manager)


def test_the_lists_match_the_rules_for_an_administrator(mixed_routes, administrator, choosing):
    assert_lists_match(administrator)


def test_lists_are_chosen_by_id_first_only_for_many_strategies(officer, monkeypatch):
    assert Dashboard(officer).chooses_by_id is False
    monkeypatch.setattr("portal.dashboard.base.CHOOSE_BY_ID_FROM", 0)
    assert Dashboard(officer).chooses_by_id is True


def test_every_kind_of_warning_is_there(mixed_routes, officer):
    warned = [pk for pk, _ in expected(officer)["warnings"]]
    gates = mixed_routes
    assert warned.count(gates["keyed"].pk) == 2  # its agenda and its Forward Plan notice
    for name in ["held", "late notice", "past month"]:
        assert gates[name].pk in warned, name
    for name in ["note", "ahead"]:
        assert gates[name].pk not in warned, name
    messages = " ".join(message for _, message in expected(officer)["warnings"])
    assert "general exception" in messages and "not recorded as published" in messages


def test_a_re_planned_gate_moves_between_the_lists(strategy, board, officer):
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer, (), in_days(5), "day")
    assert shown(officer)["due"][0] == [gate.pk]
    workflow.replan_gate(gate, in_days(-40), "month", officer)
    gate.refresh_from_db()
    assert gate.planned_until < timezone.localdate()
    assert shown(officer)["overdue"][0] == [gate.pk]
    workflow.replan_gate(gate, None, "not_set", officer)
    gate.refresh_from_db()
    assert gate.planned_until is None
    assert shown(officer)["due"][0] == [] and shown(officer)["overdue"][0] == []


def test_the_page_loads_only_the_gates_it_shows(manager, lead_org, board, cabinet):
    """Every bulk strategy has a gate overdue, a key decision due and too late for the
    Forward Plan: the page shows 12 of each and counts the rest, loading no more gates than
    the lists and the outlook show."""
    bulk_strategies(lead_org, board, cabinet, 300)  # 900 gates, 600 of them on the lists
    loaded = []

    def count_gate(sender, instance, **kwargs):
        loaded.append(instance)

    post_init.connect(count_gate, sender=Gate)
    try:
        response = client_for(manager).get("/")
    finally:
        post_init.disconnect(count_gate, sender=Gate)
    assert response.status_code == 200
    # 12 due, 12 overdue, 12 warned, and the outlook's 12 strategies' 3 gates each
    assert len(loaded) <= 12 * 3 + 12 * 3


@pytest.mark.parametrize("limit", [1, 5, 12, 40])
def test_rows_chosen_first_are_the_slice_of_the_ordered_list(limit, lead_org, board, cabinet):
    """`chosen_first` (the ids chosen in a narrow subquery, then the rows read whole) gives
    the rows of the plain slice, in its order, whatever the order's direction and joins."""
    bulk_strategies(lead_org, board, cabinet, 10)  # 30 gates
    gates = Gate.objects.select_related("strategy").with_due_day()
    for order in [
        ("due_on", "strategy_id", "position"),
        ("-due_on", "-strategy__title", "position"),
        ("purpose", "-pk"),
    ]:
        ordered = gates.order_by(*order)
        assert [g.pk for g in chosen_first(ordered, limit)] == [g.pk for g in ordered[:limit]]
    assert list(chosen_first(gates.filter(pk__in=[]).order_by("pk"), limit)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "officer"])
def test_the_page_is_the_same_whether_its_lists_are_sliced_or_chosen_by_id(role, monkeypatch):
    """Every list of the dashboard (gates, consultations, delivery, reviews, decisions, the
    outlook) shows the same rows in the same order either way (`Dashboard.first`), for one who
    reads everything and for an officer (whose lists are narrowed to what they read)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import data

    data.grow_to(16)
    user = data.setup_people()["users"][role]
    sliced = client_for(user).get("/").content.decode()
    monkeypatch.setattr("portal.dashboard.base.CHOOSE_BY_ID_FROM", 0)
    with CaptureQueriesContext(connection) as queries:
        chosen = client_for(user).get("/").content.decode()
    assert "Bench strategy" in sliced
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"')
    assert strip.sub("", chosen) == strip.sub("", sliced)
    # The second page really chose its rows by id first: a subquery of 12 ids in its lists.
    by_id = re.compile(r"IN \(SELECT .* LIMIT 12\)", re.S)
    assert sum(bool(by_id.search(q["sql"])) for q in queries.captured_queries) >= 8
