"""Prepared queries (strategies/prepared.py): SQL built once per process for a kind of person,
run with each request's own values, and refused whenever that could give another answer."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from strategies import prepared
from strategies.models import Strategy, StrategyPartner
from tests.factories import OrganisationFactory, StrategyFactory, UserFactory

DAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def fresh(forget_prepared_queries):
    """Each test prepares its own queries."""


def reviews_due(user, today):
    """Strategies the person's organisation leads, due for review within 30 days of `today`."""
    return Strategy.objects.filter(
        lead_organisation_id=user.organisation_id,
        review_due_on__gte=today,
        review_due_on__lte=today + datetime.timedelta(days=30),
    ).order_by("review_due_on", "pk")


def test_each_person_and_day_gets_their_own_rows_from_sql_built_once(db):
    north, south = OrganisationFactory(), OrganisationFactory()
    alice, bob = UserFactory(organisation=north), UserFactory(organisation=south)
    soon = StrategyFactory(lead_organisation=north, review_due_on=DAY + datetime.timedelta(5))
    later = StrategyFactory(lead_organisation=north, review_due_on=DAY + datetime.timedelta(40))
    theirs = StrategyFactory(lead_organisation=south, review_due_on=DAY + datetime.timedelta(1))
    assert prepared.rows("t:reviews", reviews_due, user=alice, today=DAY) == [soon]
    key = next(iter(prepared._PREPARED))
    entry = prepared._PREPARED[key]
    assert entry is not None and {s.name for s in entry.slots} == {"organisation"}
    # Another person of the same kind: the same SQL, their organisation.
    assert prepared.rows("t:reviews", reviews_due, user=bob, today=DAY) == [theirs]
    assert list(prepared._PREPARED) == [key]  # built once
    assert prepared._PREPARED[key] is entry
    # Another day: built again, for that day.
    later_day = DAY + datetime.timedelta(20)
    assert prepared.rows("t:reviews", reviews_due, user=alice, today=later_day) == [later]
    assert len(prepared._PREPARED) == 2


def test_the_values_are_set_even_without_the_check(db, monkeypatch):
    """The check (on in every test) is not what makes the answers right."""
    monkeypatch.setattr(prepared, "CHECK", False)
    north, south = OrganisationFactory(), OrganisationFactory()
    alice, bob = UserFactory(organisation=north), UserFactory(organisation=south)
    mine = StrategyFactory(lead_organisation=north, review_due_on=DAY)
    theirs = StrategyFactory(lead_organisation=south, review_due_on=DAY + datetime.timedelta(29))
    assert prepared.rows("t:reviews", reviews_due, user=alice, today=DAY) == [mine]
    assert prepared.rows("t:reviews", reviews_due, user=bob, today=DAY) == [theirs]
    assert (
        prepared.rows("t:reviews", reviews_due, user=bob, today=DAY + datetime.timedelta(30)) == []
    )


def test_a_prepared_read_makes_one_query_and_builds_no_sql(db, monkeypatch):
    officer = UserFactory()
    prepared.rows("t:reviews", reviews_due, user=officer, today=DAY)
    monkeypatch.setattr(prepared, "CHECK", False)
    built = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: built.append(1) or as_sql(self, *a, **k)
    )
    with CaptureQueriesContext(connection) as queries:
        prepared.rows("t:reviews", reviews_due, user=officer, today=DAY)
    assert len(queries) == 1 and not built
    Strategy.objects.filter(pk=0).exists()  # the counter counts
    assert built


def test_people_of_another_kind_get_sql_of_their_own(db):
    organisation = OrganisationFactory()
    officer = UserFactory(organisation=organisation, role="officer")
    manager = UserFactory(organisation=organisation, role="manager")

    def visible(user, today):
        return Strategy.objects.visible_to(user).order_by("pk")

    StrategyFactory(lead_organisation=OrganisationFactory(), stage="draft")
    assert len(prepared.rows("t:visible", visible, user=officer, today=DAY)) == 0
    assert len(prepared.rows("t:visible", visible, user=manager, today=DAY)) == 1
    assert len(prepared._PREPARED) == 2


@pytest.mark.parametrize(
    "build, why",
    [
        # The SQL's shape depends on an id (as far as the stand-ins can show it).
        (
            lambda user, today: (
                Strategy.objects.filter(pk__gt=0)
                if user.pk > 1_850_000_000
                else Strategy.objects.filter(title="x")
            ),
            "shape",
        ),
        # A value worked out from an id.
        (
            lambda user, today: Strategy.objects.filter(title=str(user.pk + 1)),
            "another way",
        ),
        # Something of the person besides their kind and ids (read from the database).
        (
            lambda user, today: Strategy.objects.filter(title=user.username),
            "read the database",
        ),
        (
            lambda user, today: Strategy.objects.filter(title="x" if user.is_staff else "x"),
            "read the database",
        ),
        # Anything looked up while building, for the stand-in person.
        (
            lambda user, today: Strategy.objects.filter(
                pk__in=list(Strategy.objects.filter(title="x").values_list("pk", flat=True))
            ),
            "read the database",
        ),
        # A prefetch whose query set is not the SQL kept.
        (
            lambda user, today: Strategy.objects.prefetch_related(
                Prefetch("partner_links", queryset=StrategyPartner.objects.filter(pk=user.pk))
            ).filter(title="x"),
            "Prefetch",
        ),
    ],
)
def test_what_cannot_be_prepared_is_refused_and_read_the_ordinary_way(db, build, why, monkeypatch):
    officer = UserFactory(username="x")
    StrategyFactory(title="x")
    StrategyFactory(title=str(officer.pk + 1))
    with pytest.raises(prepared.Unpreparable, match=why):
        prepared.rows("t:refused", build, user=officer, today=DAY)
    prepared.forget()
    monkeypatch.setattr(prepared, "CHECK", False)  # as in production: the query is still read
    assert len(prepared.rows("t:refused", build, user=officer, today=DAY)) == 1
    assert prepared._PREPARED[next(iter(prepared._PREPARED))] is None


def test_a_query_that_can_match_nothing_gives_nothing(db):
    officer = UserFactory()

    def nothing(user, today):
        return Strategy.objects.filter(pk__in=[])

    StrategyFactory()
    assert prepared.rows("t:nothing", nothing, user=officer, today=DAY) == []


def test_the_check_catches_a_builder_that_changed_under_a_kept_query(db, monkeypatch):
    officer = UserFactory()
    period = {"days": 30}

    def build(user, today):
        return Strategy.objects.filter(review_due_on__lte=today + datetime.timedelta(**period))

    prepared.rows("t:changed", build, user=officer, today=DAY)
    period["days"] = 45  # what a constant changed without forget() would do
    with pytest.raises(AssertionError, match="differs from the query built afresh"):
        prepared.rows("t:changed", build, user=officer, today=DAY)


def test_values_lists_and_related_rows_come_through(db):
    organisation = OrganisationFactory(name="Northshire")
    officer = UserFactory(organisation=organisation)
    StrategyFactory(lead_organisation=organisation, title="Ours")

    def titles(user, today):
        return Strategy.objects.filter(lead_organisation_id=user.organisation_id).values_list(
            "title", flat=True
        )

    def with_lead(user, today):
        return Strategy.objects.filter(lead_organisation_id=user.organisation_id).select_related(
            "lead_organisation"
        )

    assert prepared.rows("t:titles", titles, user=officer, today=DAY) == ["Ours"]
    [strategy] = prepared.rows("t:lead", with_lead, user=officer, today=DAY)
    with CaptureQueriesContext(connection) as queries:
        assert strategy.lead_organisation.name == "Northshire"
    assert not queries


def test_lists_of_ids_are_values_and_their_length_the_shape(db):
    first, second, third = StrategyFactory(), StrategyFactory(), StrategyFactory()

    def chosen(ids):
        return Strategy.objects.filter(pk__in=ids).order_by("pk")

    assert prepared.rows("t:ids", chosen, ids=[first.pk, second.pk]) == [first, second]
    assert prepared.rows("t:ids", chosen, ids=[third.pk, first.pk]) == [first, third]
    assert prepared.rows("t:ids", chosen, ids=[third.pk, third.pk]) == [third]  # as IN takes it
    assert prepared.rows("t:ids", chosen, ids=[]) == []
    lengths = sorted(key[-1][0][1] for key in prepared._PREPARED)
    assert lengths == [0, 1, 2]  # one prepared query for each length


def test_a_query_of_no_person_is_prepared_once_for_everyone(db):
    strategy, other = StrategyFactory(review_due_on=DAY), StrategyFactory(review_due_on=DAY)

    def due(today, strategy):
        return Strategy.objects.filter(pk=strategy, review_due_on__lte=today)

    assert prepared.rows("t:due", due, today=DAY, strategy=strategy.pk) == [strategy]
    assert prepared.rows("t:due", due, today=DAY, strategy=other.pk) == [other]
    assert len(prepared._PREPARED) == 1
    yesterday = DAY - datetime.timedelta(1)
    assert prepared.rows("t:due", due, today=yesterday, strategy=other.pk) == []


def test_what_a_builder_does_with_the_day_is_kept_for_that_day_only(db):
    """The day is part of the key: the first of the month, a month on, a cut-over date."""
    officer = UserFactory()
    march = StrategyFactory(review_due_on=datetime.date(2026, 3, 1))
    february = StrategyFactory(review_due_on=datetime.date(2024, 2, 29))

    def this_month(user, today):
        return Strategy.objects.filter(
            review_due_on__gte=today.replace(day=1), review_due_on__lte=today
        )

    assert prepared.rows("t:month", this_month, user=officer, today=DAY) == [march]
    assert prepared.rows("t:month", this_month, user=officer, today=datetime.date(2024, 2, 29)) == [
        february
    ]


def test_a_person_who_is_not_signed_in_is_a_kind_of_their_own(db):
    from django.contrib.auth.models import AnonymousUser

    StrategyFactory(stage="adopted")

    def public(user, today):
        return Strategy.objects.visible_to(user)

    assert prepared.rows("t:public", public, user=AnonymousUser(), today=DAY) == []


def test_the_store_keeps_at_most_its_limit(db, monkeypatch):
    monkeypatch.setattr(prepared, "LIMIT", 3)

    def chosen(ids):
        return Strategy.objects.filter(pk__in=ids)

    for length in range(1, 6):
        prepared.rows("t:limit", chosen, ids=list(range(1, length + 1)))
    assert [key[-1][0][1] for key in prepared._PREPARED] == [3, 4, 5]  # the newest


def test_an_id_compared_with_a_narrow_column_still_gives_the_right_rows(db, monkeypatch):
    """A stand-in id (near two billion) is out of a small column's range on PostgreSQL, where
    Django then makes the query match nothing: the check at preparation refuses it there, and
    the query is read the ordinary way."""
    monkeypatch.setattr(prepared, "CHECK", False)
    first, second = UserFactory(), UserFactory()
    StrategyFactory(start_year=first.pk, end_year=first.pk + 3)

    def started(user, today):
        return Strategy.objects.filter(start_year=user.pk)

    assert len(prepared.rows("t:narrow", started, user=first, today=DAY)) == 1
    assert prepared.rows("t:narrow", started, user=second, today=DAY) == []
