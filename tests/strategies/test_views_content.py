"""Adding, editing, moving and removing priorities, objectives, actions, indicators, evidence."""

from __future__ import annotations

import pytest
from django.urls import reverse

from strategies.models import Action, EvidenceSource, Objective, OutcomeIndicator, Priority
from tests.conftest import client_for
from tests.factories import add_action, add_evidence, add_indicator, add_objective, add_priority
from tests.ladder import EDITORS_ONLY, climb


def url(name: str, strategy, **kwargs) -> str:
    return reverse(f"strategies:{name}", kwargs={"slug": strategy.slug, **kwargs})


@pytest.fixture
def tree(strategy):
    priority = add_priority(strategy, "Improve wellbeing")
    objective = add_objective(priority, "Healthier lifestyles")
    action = add_action(objective, "Run a campaign")
    indicator = add_indicator(strategy, "Smoking prevalence")
    evidence = add_evidence(strategy, "JSNA 2016")
    return {
        "priorities": priority,
        "objectives": objective,
        "actions": action,
        "indicators": indicator,
        "evidence": evidence,
    }


def item_urls(strategy, tree) -> list[str]:
    urls = [
        url("add-priority", strategy),
        url("add-indicator", strategy),
        url("add-evidence", strategy),
        url("add-objective", strategy, parent_pk=tree["priorities"].pk),
        url("add-action", strategy, parent_pk=tree["objectives"].pk),
    ]
    for kind, item in tree.items():
        urls += [url("edit-item", strategy, kind=kind, pk=item.pk)]
        urls += [url("delete-item", strategy, kind=kind, pk=item.pk)]
    return urls


def test_access_ladder_of_every_content_page(request, strategy, tree):
    for page in item_urls(strategy, tree):
        climb(request, page, {**EDITORS_ONLY, "officer": 200})


def test_move_access_ladder(request, strategy, tree):
    move = url("move-item", strategy, kind="priorities", pk=tree["priorities"].pk)
    climb(request, move, {**EDITORS_ONLY}, method="post", data={"direction": "up"})
    assert client_for(request.getfixturevalue("officer")).get(move).status_code == 405


def test_items_of_another_strategy_are_not_found(officer, lead_org, strategy, tree):
    from tests.factories import StrategyFactory

    other = StrategyFactory(lead_organisation=lead_org)
    response = client_for(officer).get(
        url("edit-item", other, kind="priorities", pk=tree["priorities"].pk)
    )
    assert response.status_code == 404


def test_add_a_priority_an_objective_and_an_action(officer, strategy):
    client = client_for(officer)
    client.post(url("add-priority", strategy), {"title": "Reduce inequalities", "description": ""})
    priority = Priority.objects.get(title="Reduce inequalities")
    client.post(
        url("add-objective", strategy, parent_pk=priority.pk),
        {"title": "Tackle poverty", "commitment_level": "together"},
    )
    objective = Objective.objects.get(title="Tackle poverty")
    assert objective.priority == priority and objective.commitment_level == "together"
    response = client.post(
        url("add-action", strategy, parent_pk=objective.pk),
        {
            "title": "Debt advice in GP surgeries",
            "lead_organisation": strategy.lead_organisation.pk,
            "lead_team": "Public health",
            "due_date": "2018-03-31",
            "milestone": "Pilot in two practices",
            "status": "complete",  # not the form's: progress updates set it
            "rag": "red",
        },
    )
    action = Action.objects.get()
    assert (action.status, action.rag) == ("not_started", "")
    assert response["Location"].endswith(f"#action-{action.pk}")
    assert action.lead == "Dudley Metropolitan Borough Council, Public health"
    assert action.objective.priority.history.first().history_user == officer


def test_an_indicator_links_to_the_objectives_it_measures(officer, strategy, tree):
    response = client_for(officer).post(
        url("add-indicator", strategy),
        {
            "framework": "phof",
            "code": "2.14",
            "title": "Smoking prevalence in adults",
            "unit": "%",
            "baseline": "18.5",
            "target": "15",
            "objectives": [tree["objectives"].pk],
        },
    )
    assert response.status_code == 302
    indicator = OutcomeIndicator.objects.get(code="2.14")
    assert list(indicator.objectives.all()) == [tree["objectives"]]


def test_invalid_item_input_is_kept_with_errors_beside_fields(officer, strategy, tree):
    response = client_for(officer).post(
        url("add-indicator", strategy),
        {"framework": "", "title": "Kept title", "latest_value": "abc", "baseline": "12"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"framework", "latest_value"} <= set(errors)
    assert "Kept title" in response.content.decode()
    response = client_for(officer).post(
        url("add-indicator", strategy),
        {"framework": "local", "title": "Dated", "latest_value": "12"},
    )
    assert "latest_date" in response.context["form"].errors
    response = client_for(officer).post(
        url("add-evidence", strategy), {"kind": "jsna", "title": "JSNA", "year": "last year"}
    )
    assert "year" in response.context["form"].errors


def test_objectives_cannot_be_added_under_another_strategys_priority(officer, lead_org, tree):
    from tests.factories import StrategyFactory

    other = StrategyFactory(lead_organisation=lead_org)
    response = client_for(officer).post(
        url("add-objective", other, parent_pk=tree["priorities"].pk), {"title": "Sneaky"}
    )
    assert response.status_code == 404
    assert not Objective.objects.filter(title="Sneaky").exists()


def test_edit_an_action(officer, strategy, tree):
    action = tree["actions"]
    response = client_for(officer).post(
        url("edit-item", strategy, kind="actions", pk=action.pk),
        {"title": "Run two campaigns", "status": "complete", "rag": "green", "version": 1},
    )
    assert response.status_code == 302
    before = (action.status, action.rag)
    action.refresh_from_db()
    # How it stands is its progress updates' (the Delivery tab), not the content form's.
    assert (action.title, (action.status, action.rag), action.version) == (
        "Run two campaigns",
        before,
        2,
    )


def test_move_and_remove(officer, strategy, tree):
    second = add_priority(strategy, "Second")
    client = client_for(officer)
    client.post(url("move-item", strategy, kind="priorities", pk=second.pk), {"direction": "up"})
    assert list(strategy.priorities.values_list("title", flat=True)) == [
        "Second",
        "Improve wellbeing",
    ]
    response = client.post(
        url("move-item", strategy, kind="priorities", pk=second.pk), {"direction": "sideways"}
    )
    assert response.status_code == 302
    client.post(
        url("delete-item", strategy, kind="priorities", pk=tree["priorities"].pk),
        {"reason": "Duplicate"},
    )
    assert list(strategy.priorities.values_list("title", flat=True)) == ["Second"]
    assert not Action.objects.exists()
    evidence = tree["evidence"]
    client.post(url("delete-item", strategy, kind="evidence", pk=evidence.pk))
    assert not EvidenceSource.objects.exists()


def test_unknown_kinds_are_not_found(officer, strategy):
    response = client_for(officer).get(f"/strategies/{strategy.slug}/widgets/1/edit/")
    assert response.status_code == 404


def test_evidence_year_spans_run_into_the_next_year(officer, strategy):
    add = url("add-evidence", strategy)
    for year in ("2011/99", "2012/11", "2011/", "/12", "2011/１２"):  # and no 500 on half a span
        response = client_for(officer).post(add, {"kind": "jsna", "title": "JSNA", "year": year})
        assert "year" in response.context["form"].errors, year
    for year in ("2011/12", "1999/00", "2011/2012", "2011"):
        response = client_for(officer).post(
            add, {"kind": "jsna", "title": f"JSNA {year}", "year": year}
        )
        assert response.status_code == 302, year


def test_opening_a_button_address_explains_itself(officer, strategy, tree):
    move = url("move-item", strategy, kind="priorities", pk=tree["priorities"].pk)
    response = client_for(officer).get(move)
    assert response.status_code == 405 and "for a button" in response.content.decode()


def test_the_indicator_form_checks_each_national_framework_s_code(officer, strategy, tree):
    client = client_for(officer)
    for framework, good, bad in (("nhsof", "1a (i)", "9.9"), ("ascof", "1c1a", "A01b")):
        data = {"framework": framework, "title": f"A {framework} indicator", "code": bad}
        response = client.post(url("add-indicator", strategy), data)
        assert response.status_code == 200
        message = response.context["form"].errors["code"][0]
        assert f"{framework}_indicators.csv" in message and "“Local indicator”" in message
        assert (
            client.post(url("add-indicator", strategy), {**data, "code": good}).status_code == 302
        )
    assert set(
        OutcomeIndicator.objects.filter(title__startswith="A ").values_list("code", flat=True)
    ) == {"1a.i", "1C(1A)"}  # as the lists spell them
