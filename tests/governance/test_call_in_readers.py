"""Who keeps a decision's call-in reads its strategy: a secretary of a scrutiny committee of the
decision's organisation (workflow.call_ins) reaches the strategy, its route and the decision,
to read and to record the call-in, even when the committee is not on the route
(governance.access.strategies_considered_by). Reading is all: they change nothing else."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.models import Body, BodySecretary, Purpose
from strategies.models import Strategy, StrategyPartner, User
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory
from tests.governance.conftest import decide


def scrutiny_secretary_of(organisation, username: str) -> User:
    committee = Body.objects.create(
        organisation=organisation, name="Scrutiny Committee", kind=Body.Kind.SCRUTINY
    )
    user = UserFactory(username=username, organisation=organisation, role=User.Role.SECRETARY)
    BodySecretary.objects.create(body=committee, user=user)
    return user


def executive_endorsement(strategy, organisation, officer):
    """The organisation's Cabinet endorsed the (still draft) strategy yesterday."""
    cabinet = Body.objects.create(
        organisation=organisation, name="Executive", kind="cabinet", is_executive=True
    )
    keeper = UserFactory(
        username=f"cab-{organisation.slug}", organisation=organisation, role=User.Role.SECRETARY
    )
    BodySecretary.objects.create(body=cabinet, user=keeper)
    gate = workflow.add_gate(strategy, cabinet, Purpose.ENDORSE, officer)
    return decide(gate, keeper, "endorsed", days_ago=1)


def pages(decision) -> dict[str, str]:
    slug = decision.gate.strategy.slug
    return {
        "strategy": reverse("strategy", kwargs={"slug": slug}),
        "route": reverse("governance:route", kwargs={"slug": slug}),
        "decision": decision.get_absolute_url(),
        "call-in": reverse("governance:record-call-in", kwargs={"pk": decision.pk}),
    }


def answers(user, decision) -> dict[str, int]:
    client = client_for(user)
    return {name: client.get(url).status_code for name, url in pages(decision).items()}


READS_AND_CALLS_IN = {"strategy": 200, "route": 200, "decision": 200, "call-in": 200}


def test_a_scrutiny_secretary_of_the_lead_organisation_reaches_the_call_in(
    strategy, lead_org, officer
):
    """Their committee is not on the route: they read the draft as their organisation's."""
    decision = executive_endorsement(strategy, lead_org, officer)
    assert Strategy.objects.get().stage not in Strategy.Stage.public_values()
    scrutineer = scrutiny_secretary_of(lead_org, "scott")
    assert answers(scrutineer, decision) == READS_AND_CALLS_IN
    page = client_for(scrutineer).get(decision.get_absolute_url())
    assert "Record a call-in" in page.text
    row = workflow.record_call_in(decision, scrutineer, timezone.localdate(), "Councillor Ali")
    outcome = reverse("governance:call-in-outcome", kwargs={"pk": row.pk})
    assert client_for(scrutineer).get(outcome).status_code == 200


def test_a_scrutiny_secretary_of_a_joint_lead_reaches_its_executives_call_in(
    strategy, other_org, officer
):
    StrategyPartner.objects.create(strategy=strategy, organisation=other_org, joint_lead=True)
    decision = executive_endorsement(strategy, other_org, officer)
    scrutineer = scrutiny_secretary_of(other_org, "sue")
    assert answers(scrutineer, decision) == READS_AND_CALLS_IN


def test_a_scrutiny_secretary_reads_a_strategy_its_councils_executive_decides_on(
    strategy, other_org, officer
):
    """The decision's body belongs to an organisation that neither leads the strategy nor is
    its partner (a route template's fixed body, or a partner since removed): its scrutiny
    committee keeps the call-in, so its secretary reads the strategy too. Before, every page
    answered 404 while workflow.record_call_in_refusal said yes."""
    decision = executive_endorsement(strategy, other_org, officer)
    scrutineer = scrutiny_secretary_of(other_org, "sue")
    assert workflow.record_call_in_refusal(scrutineer, decision) is None
    assert answers(scrutineer, decision) == READS_AND_CALLS_IN
    page = client_for(scrutineer).get(reverse("governance:route", kwargs={"slug": strategy.slug}))
    assert decision.get_absolute_url() in page.text


def test_reading_is_all_the_scrutiny_secretary_may_do(strategy, other_org, officer):
    decision = executive_endorsement(strategy, other_org, officer)
    scrutineer = scrutiny_secretary_of(other_org, "sue")
    client = client_for(scrutineer)
    slug = strategy.slug
    for url in (
        reverse("strategies:edit", kwargs={"slug": slug}),
        reverse("strategies:add-priority", kwargs={"slug": slug}),
        reverse("governance:add-gate", kwargs={"slug": slug}),
        reverse("governance:correct-decision", kwargs={"pk": decision.pk}),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("governance:withdraw", kwargs={"slug": slug})).status_code == 403
    assert Strategy.objects.get().stage != Strategy.Stage.WITHDRAWN


@pytest.mark.parametrize("kind", ["scrutiny", "hwb"])
def test_others_of_that_council_still_do_not_see_the_draft(strategy, other_org, officer, kind):
    """Only its scrutiny committees: a secretary of another of its bodies does not, nor does a
    scrutiny committee of a council whose executive is not on the route."""
    decision = executive_endorsement(strategy, other_org, officer)
    body = Body.objects.create(organisation=other_org, name="Another body", kind=kind)
    if kind == "scrutiny":  # of a third council, with nothing on the route
        third = OrganisationFactory(name="Walsall Council", slug="walsall")
        body.organisation = third
        body.save()
        user = UserFactory(username="tess", organisation=third, role=User.Role.SECRETARY)
    else:
        user = UserFactory(username="hal", organisation=other_org, role=User.Role.SECRETARY)
    BodySecretary.objects.create(body=body, user=user)
    assert set(answers(user, decision).values()) == {404}


def test_reading_through_scrutiny_costs_no_extra_query(
    strategy, other_org, officer, django_assert_num_queries
):
    """The rule is a subquery of the one that finds the strategy: the scrutiny secretary's pages
    run as many queries as when they read it as their own organisation's (a partner's)."""
    decision = executive_endorsement(strategy, other_org, officer)
    client = client_for(scrutiny_secretary_of(other_org, "sue"))
    urls = [pages(decision)["strategy"], pages(decision)["route"], pages(decision)["decision"]]
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as through_scrutiny:
            assert client.get(url).status_code == 200
        counts.append(len(through_scrutiny.captured_queries))
    StrategyPartner.objects.create(strategy=strategy, organisation=other_org)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
