"""Publishing a strategy (workflow, route button, admin action), its public page, the strategy's
JSON download and the CSV of gates and decisions: who reaches them and what they show."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from consultation.models import ConsultationWindow, Response, Theme, YouSaidWeDid
from governance import workflow
from governance.models import Body, Gate, Purpose, Transition
from strategies.models import Priority, Revision, Strategy
from strategies.publication import PUBLISHED_LABEL
from tests.conftest import client_for, downloaded
from tests.factories import full_strategy
from tests.governance.conftest import decide
from tests.ladder import climb

MARKER = "ZZ-INTERNAL-MARKER"
Stage = Strategy.Stage


@pytest.fixture
def adopted(strategy, board, officer, secretary):
    """The strategy with content, adopted by the Board (which meets in public) two weeks ago."""
    from tests.factories import add_action, add_objective, add_priority

    objective = add_objective(add_priority(strategy, "Start well"), "Healthy pregnancies")
    add_action(objective, "Smoking cessation in pregnancy")
    gate = workflow.add_gate(strategy, board, Purpose.ADOPT, officer, note=f"note {MARKER}")
    decide(
        gate,
        secretary,
        days_ago=14,
        resolution="The Board adopted the strategy.",
        reasons=f"reasons {MARKER}",
        conflicts_declared=f"conflict {MARKER}",
    )
    strategy.refresh_from_db()
    assert strategy.stage == Stage.ADOPTED
    return strategy


@pytest.fixture
def published(adopted, officer):
    workflow.publish(adopted, officer)
    adopted.refresh_from_db()
    return adopted


# The workflow ------------------------------------------------------------------------------------


def test_officer_publishes_adopted_strategy(adopted, officer):
    revision = workflow.publish(adopted, officer)
    adopted.refresh_from_db()
    assert adopted.stage == Stage.PUBLISHED
    assert revision.label == PUBLISHED_LABEL and revision.created_by == officer
    move = Transition.objects.filter(strategy=adopted, gate=None).last()
    assert (move.from_state, move.to_state, move.by) == ("adopted", "published", officer)
    assert adopted.history.first().history_change_reason.startswith("Published")


def test_administrator_may_publish(adopted, administrator):
    workflow.publish(adopted, administrator)
    assert Strategy.objects.get(pk=adopted.pk).stage == Stage.PUBLISHED


@pytest.mark.parametrize("persona", ["secretary", "manager", "other_officer"])
def test_others_may_not_publish(request, adopted, persona):
    with pytest.raises(workflow.WorkflowError, match="lead organisation"):
        workflow.publish(adopted, request.getfixturevalue(persona))
    assert Strategy.objects.get(pk=adopted.pk).stage == Stage.ADOPTED


def test_only_adopted_strategy_is_published(strategy, officer):
    with pytest.raises(workflow.WorkflowError, match="Only an adopted strategy"):
        workflow.publish(strategy, officer)


def test_published_strategy_is_not_published_twice(published, officer):
    with pytest.raises(workflow.WorkflowError, match="this one is published"):
        workflow.publish(published, officer)


def test_publication_waits_for_call_in(strategy, cabinet, cabinet_secretary, officer):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    decide(gate, cabinet_secretary, days_ago=1, resolution="Adopted.")
    strategy.refresh_from_db()
    assert strategy.stage == Stage.ADOPTED
    with pytest.raises(workflow.WorkflowError, match="call-in"):
        workflow.publish(strategy, officer)
    assert not Revision.objects.filter(label=PUBLISHED_LABEL).exists()


def test_a_later_route_move_does_not_unpublish(published, board, officer):
    gate = workflow.add_gate(published, board, Purpose.NOTE, officer)
    workflow.remove_gate(gate, officer, "Not needed")
    assert Strategy.objects.get(pk=published.pk).stage == Stage.PUBLISHED


# The route button and the admin action ------------------------------------------------------------


def test_route_offers_publish_to_lead_officer(adopted, officer, secretary):
    url = reverse("governance:route", args=[adopted.slug])
    assert "Publish the strategy" in client_for(officer).get(url).content.decode()
    assert "Publish the strategy" not in client_for(secretary).get(url).content.decode()


def test_publish_view_ladder(request, adopted):
    url = reverse("governance:publish", args=[adopted.slug])
    climb(
        request,
        url,
        {"other_officer": 403, "secretary": 403, "manager": 403},
        method="post",
    )
    response = client_for(request.getfixturevalue("officer")).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("published-strategy", args=[adopted.slug])
    assert Strategy.objects.get(pk=adopted.pk).stage == Stage.PUBLISHED


def test_publish_view_refusal_is_a_message(strategy, officer):
    url = reverse("governance:publish", args=[strategy.slug])
    response = client_for(officer).post(url, follow=True)
    assert "Only an adopted strategy" in response.content.decode()


def test_other_organisations_officer_cannot_reach_a_draft_to_publish(strategy, other_officer):
    url = reverse("governance:publish", args=[strategy.slug])
    assert client_for(other_officer).post(url).status_code == 404


def test_admin_action_publishes(adopted, administrator):
    url = reverse("admin:strategies_strategy_changelist")
    response = client_for(administrator).post(
        url, {"action": "publish", "_selected_action": [adopted.pk]}, follow=True
    )
    assert "published as revision" in response.content.decode()
    assert Strategy.objects.get(pk=adopted.pk).stage == Stage.PUBLISHED


# The public pages ---------------------------------------------------------------------------------


@pytest.fixture
def with_response(published, board):
    """A consultation whose "you said, we did" is published, with an internal response."""
    window = ConsultationWindow.objects.create(
        strategy=published,
        title="Have your say",
        slug="have-your-say",
        minimum_days=84,
        state=ConsultationWindow.State.RESPONSE_PUBLISHED,
        result="12 responses.",
    )
    theme = Theme.objects.create(window=window, name="Housing", description=f"desc {MARKER}")
    YouSaidWeDid.objects.create(
        window=window, theme=theme, you_said="Housing matters.", we_did="Added a priority."
    )
    from django.utils import timezone

    Response.objects.create(
        window=window,
        reference="WM-AAAA-BBBB",
        submitted_at=timezone.now(),
        respondent_type="individual",
        general_comments=f"comment {MARKER}",
        organisation_name=f"org {MARKER}",
        consent=True,
    )
    return window


def test_public_page_shows_published_text_decisions_and_you_said_we_did(with_response):
    strategy = with_response.strategy
    # Later drafting of the working copy, and internal fields, never reach the public page.
    Priority.objects.filter(strategy=strategy).update(title=f"Working copy {MARKER}")
    Strategy.objects.filter(pk=strategy.pk).update(
        editing_closed_reason=f"closed {MARKER}", contact_phone=MARKER
    )
    Body.objects.update(name="Health and Wellbeing Board")
    page = Client().get(reverse("published-strategy", args=[strategy.slug])).content.decode()
    assert "Start well" in page and "Smoking cessation in pregnancy" in page
    assert "The Board adopted the strategy." in page
    assert "Housing matters." in page and "Added a priority." in page
    assert reverse("consultation:public-response", args=[with_response.slug]) in page
    assert MARKER not in page
    assert "WM-AAAA-BBBB" not in page


def test_public_page_leaves_out_bodies_that_meet_in_private(published, board):
    Body.objects.filter(pk=board.pk).update(meets_in_public=False)
    page = Client().get(reverse("published-strategy", args=[published.slug])).content.decode()
    assert "The Board adopted the strategy." not in page


def test_public_list_shows_only_published_strategies(published, lead_org):
    draft = full_strategy(lead_org, title=f"Draft {MARKER}")
    page = Client().get(reverse("published-list")).content.decode()
    assert published.title in page and MARKER not in page
    assert Client().get(reverse("published-strategy", args=[draft.slug])).status_code == 404


def test_adopted_but_unpublished_strategy_has_no_public_page(adopted):
    assert Client().get(reverse("published-strategy", args=[adopted.slug])).status_code == 404


def test_start_page_links_to_published_strategies(db):
    assert reverse("published-list") in Client().get("/").content.decode()


def test_public_pages_run_fixed_queries(published, lead_org, officer, django_assert_num_queries):
    url = reverse("published-strategy", args=[published.slug])
    Client().get(url)
    with django_assert_num_queries(5) as small:  # with the strategy's public documents
        Client().get(url)
    for n in range(3):
        extra = full_strategy(lead_org, priorities=3, slug=f"more-{n}")
        Strategy.objects.filter(pk=extra.pk).update(stage=Stage.PUBLISHED)
    Priority.objects.filter(strategy=published).update(title="Bigger")
    with django_assert_num_queries(len(small.captured_queries)):
        Client().get(url)
    # the strategies, and their partner links, to name joint leads
    with django_assert_num_queries(2):
        Client().get(reverse("published-list"))


# The JSON download -----------------------------------------------------------------------------


def test_json_download_ladder(request, strategy):
    url = reverse("strategy-export", args=[strategy.slug])
    climb(
        request,
        url,
        {
            "officer": 200,
            "secretary": 200,
            "manager": 200,
            "administrator": 200,
            "other_officer": 404,
        },
    )


def test_json_download_has_personal_data_only_for_administrators(
    request, with_response, officer, administrator, secretary
):
    url = reverse("strategy-export", args=[with_response.strategy.slug])
    admin_doc = json.loads(downloaded(client_for(administrator).get(url)))
    officer_doc = json.loads(downloaded(client_for(officer).get(url)))
    assert admin_doc["personal_data"] is True
    assert admin_doc["consultation"]["responses"][0]["reference"] == "WM-AAAA-BBBB"
    assert officer_doc["personal_data"] is False
    assert MARKER not in json.dumps(officer_doc["consultation"]["responses"])
    assert officer_doc["consultation"]["responses"][0]["reference"] == ""
    # The secretary of a body on the route reads the results, never who responded.
    secretary_doc = json.loads(downloaded(client_for(secretary).get(url)))
    assert secretary_doc["consultation"]["responses_included"] is True
    assert secretary_doc["personal_data"] is False
    assert MARKER not in json.dumps(secretary_doc["consultation"]["responses"])
    assert secretary_doc["consultation"]["responses"][0]["reference"] == ""


def test_strategy_page_links_the_download(strategy, officer):
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert reverse("strategy-export", args=[strategy.slug]) in page


# The CSV of gates and decisions ------------------------------------------------------------------


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(downloaded(response))))


def test_gates_csv_ladder_and_scope(request, adopted, other_org, other_officer, lead_org):
    climb(request, reverse("governance:gates-csv"), {"officer": 200, "manager": 200})
    draft = full_strategy(lead_org, title="Lead draft")
    workflow.add_gate(
        draft,
        Body.objects.get(name="Health and Wellbeing Board"),
        "review",
        request.getfixturevalue("officer"),
    )
    mine = rows(client_for(request.getfixturevalue("officer")).get(reverse("governance:gates-csv")))
    assert {r["strategy"] for r in mine} == {adopted.title, "Lead draft"}
    theirs = rows(client_for(other_officer).get(reverse("governance:gates-csv")))
    # An adopted strategy is readable across organisations; another's draft is not.
    assert {r["strategy"] for r in theirs} == {adopted.title}


def test_gates_csv_has_decisions_and_is_filtered_like_the_timeline(adopted, officer, lead_org):
    draft = full_strategy(lead_org, title="Lead draft")
    workflow.add_gate(draft, Body.objects.get(name="Health and Wellbeing Board"), "review", officer)
    client = client_for(officer)
    table = rows(client.get(reverse("governance:gates-csv"), {"stage": "adopted"}))
    assert len(table) == 1
    assert table[0]["outcome"] == "Approved"
    assert table[0]["resolution"] == "The Board adopted the strategy."
    assert table[0]["body"] == "Health and Wellbeing Board"
    undecided = rows(client.get(reverse("governance:gates-csv"), {"stage": "in_governance"}))
    assert undecided == [] or all(r["outcome"] == "" for r in undecided)
    unknown = client.get(reverse("governance:gates-csv"), {"stage": "bogus", "body": "x"})
    assert unknown.status_code == 200 and len(rows(unknown)) == 2


def test_gates_csv_neutralises_formulas(strategy, board, officer, secretary):
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    decide(gate, secretary, resolution='=HYPERLINK("http://evil.example","x")', reasons="@SUM(1)")
    Strategy.objects.filter(pk=strategy.pk).update(title="+cmd|' /C calc'!A0")
    text = downloaded(client_for(officer).get(reverse("governance:gates-csv")))
    table = rows(client_for(officer).get(reverse("governance:gates-csv")))
    assert table[0]["resolution"].startswith("'=HYPERLINK")
    assert table[0]["reasons"] == "'@SUM(1)"
    assert table[0]["strategy"].startswith("'+cmd")
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_gates_csv_runs_fixed_queries(
    officer, secretary, board, lead_org, strategy, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            s = full_strategy(lead_org, priorities=1, title=f"S{i}{n}", slug=f"s-{i}-{n}")
            decide(workflow.add_gate(s, board, Purpose.REVIEW, officer), secretary)

    client = client_for(officer)
    add(1)
    downloaded(client.get(reverse("governance:gates-csv")))
    # ... and one for the strategies' partner links, to name joint leads; and one for the
    # strategies' ids, read a batch at a time (the rows are streamed, counted as they are read)
    with django_assert_num_queries(8) as small:
        downloaded(client.get(reverse("governance:gates-csv")))
    add(3)
    with django_assert_num_queries(len(small.captured_queries)):
        table = rows(client.get(reverse("governance:gates-csv")))
    assert len(table) == 4


def test_timeline_links_the_csv_with_its_filters(officer, strategy):
    page = client_for(officer).get(reverse("timeline"), {"stage": "draft"})
    assert f"{reverse('governance:gates-csv')}?stage=draft" in page.content.decode()
    assert Gate.objects.count() == 0
