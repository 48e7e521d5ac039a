"""A token reads exactly what its person reads in Waymark: another organisation's draft is not
there, meetings are for those who keep or oversee them, and consultation results are counts
for those who read the responses, never anyone's words or who they are."""

from __future__ import annotations

import json

import pytest

from consultation import access as consultation_access
from consultation import workflow as consultation
from governance.models import Body, BodySecretary
from strategies.models import Strategy, User
from tests.factories import UserFactory
from tests.portal.api.test_refusals import ADDRESSES


@pytest.fixture
def scrutiny_secretary(world):
    """A secretary of the lead organisation whose committee is not on the route."""
    scrutiny = Body.objects.create(
        organisation=world.lead_org, name="Scrutiny Committee", kind=Body.Kind.SCRUTINY
    )
    person = UserFactory(username="scott", organisation=world.lead_org, role=User.Role.SECRETARY)
    BodySecretary.objects.create(body=scrutiny, user=person)
    return person


def test_another_organisations_draft_is_nowhere(world, api_as):
    client = api_as(world.people["other_officer"])
    assert world.strategy.stage != Strategy.Stage.ADOPTED
    for address in ("/api/v1/strategies", "/api/v1/gates", "/api/v1/decisions"):
        assert client.get(address).json()["count"] == 0, address
    for address in ("/api/v1/consultations", "/api/v1/delivery/actions"):
        assert client.get(address).json()["count"] == 0, address
    detail = client.get(f"/api/v1/strategies/{world.strategy.slug}")
    assert detail.status_code == 404
    assert detail.json() == {"detail": "Not Found"}


def test_the_lead_organisations_officer_reads_it(world, api_as):
    client = api_as(world.people["officer"])
    assert [s["slug"] for s in client.get("/api/v1/strategies").json()["results"]] == [
        world.strategy.slug
    ]
    assert client.get("/api/v1/gates").json()["count"] == 3
    assert client.get("/api/v1/decisions").json()["count"] == 1


def test_once_adopted_any_organisations_staff_read_it(world, api_as):
    Strategy.objects.filter(pk=world.strategy.pk).update(stage=Strategy.Stage.ADOPTED)
    client = api_as(world.people["other_officer"])
    assert client.get("/api/v1/strategies").json()["count"] == 1


def test_officers_keep_no_meetings(world, api_as):
    response = api_as(world.people["officer"]).get("/api/v1/meetings")
    assert response.status_code == 403
    assert response.json() == {"detail": "Meetings are kept by board secretaries."}


def test_secretaries_read_their_own_bodies_meetings(world, api_as):
    ours = api_as(world.people["secretary"]).get("/api/v1/meetings").json()
    assert {m["body"]["id"] for m in ours["results"]} == {world.board.pk}
    assert ours["count"] == 2
    theirs = api_as(world.people["other_secretary"]).get("/api/v1/meetings").json()
    assert theirs["count"] == 0
    assert api_as(world.people["manager"]).get("/api/v1/meetings").json()["count"] == 2


@pytest.mark.parametrize("person", ["officer", "secretary", "manager", "administrator"])
def test_results_for_those_who_read_the_responses(world, api_as, person):
    (window,) = api_as(world.people[person]).get("/api/v1/consultations").json()["results"]
    assert window["results"]["responses"] == 1


def test_no_results_for_a_secretary_whose_committee_is_not_on_the_route(
    world, api_as, scrutiny_secretary
):
    (window,) = api_as(scrutiny_secretary).get("/api/v1/consultations").json()["results"]
    assert window["slug"] == world.window.slug
    assert window["results"] is None


def test_readable_strategies_is_can_read_for_every_kind_of_person(world, scrutiny_secretary):
    adopted = Strategy.objects.create(
        title="Adopted elsewhere", slug="adopted", start_year=2020, end_year=2025,
        lead_organisation=world.other_org, stage=Strategy.Stage.ADOPTED,
    )  # fmt: skip
    people = [p for p in world.people.values() if p is not None] + [scrutiny_secretary]
    for person in people:
        readable = set(consultation_access.readable_strategies(person).values_list("pk", flat=True))
        for strategy in (world.strategy, adopted):
            assert (strategy.pk in readable) == consultation_access.can_read(person, strategy), (
                person.username,
                strategy.slug,
            )


def test_results_are_counts_without_anyones_words_or_name(world, api_as):
    priority = world.items["priorities"]
    response = consultation.submit_response(
        world.window,
        "organisation",
        [(priority.pk, priority.title, 2, "Buses-to-Pensnett-are-hopeless")],
        "Our-members-in-Brierley-Hill-said-so",
        organisation_name="Carers Trust Dudley",
    )
    client = api_as(world.people["administrator"])
    every_answer = json.dumps([client.get(a).json() for a in ADDRESSES])
    for private in (
        "Buses-to-Pensnett-are-hopeless",
        "Our-members-in-Brierley-Hill-said-so",
        "More for carers.",
        "Carers Trust Dudley",
        response.reference,
    ):
        assert private not in every_answer
    (window,) = client.get("/api/v1/consultations").json()["results"]
    results = window["results"]
    assert results["responses"] == 2
    assert {r["respondent_type"]: r["responses"] for r in results["by_respondent_type"]} == {
        "individual": 1,
        "organisation": 1,
        "group": 0,
    }
    (agreement,) = results["agreement_by_priority"]
    assert agreement["priority_id"] == priority.pk
    assert agreement["title"] == priority.title
    counts = {c["agreement"]: c["answers"] for c in agreement["counts"]}
    assert counts == {1: 0, 2: 1, 3: 0, 4: 1, 5: 0, None: 0}
