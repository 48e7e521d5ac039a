"""The admin goes through the same rules as the browser: content the workflow has closed (papers
published, approved, adopted, published) cannot be changed, added to or removed there either,
and the checks of the content forms hold beside the same fields."""

from __future__ import annotations

import pytest
from django.urls import reverse

from strategies.models import EvidenceSource, OutcomeIndicator, Priority, Strategy
from tests.admin_forms import admin_form_data
from tests.conftest import client_for
from tests.factories import add_evidence, add_indicator, add_priority

PAPERS = "the papers for the Health and Wellbeing Board of 28 June 2017 have been published."


def _close(strategy, stage=None, reason=""):
    """Closed as the workflow closes it (the workflow's own tests cover how it gets there)."""
    Strategy.objects.filter(pk=strategy.pk).update(
        stage=stage or strategy.stage, editing_closed_reason=reason
    )
    strategy.refresh_from_db()


def _change(model: str, obj) -> str:
    return reverse(f"admin:strategies_{model}_change", args=[obj.pk])


@pytest.mark.parametrize(
    "stage, reason, message",
    [
        (Strategy.Stage.PUBLISHED, "", "closed for editing because the strategy is published"),
        (Strategy.Stage.ADOPTED, "", "closed for editing because the strategy is adopted"),
        (Strategy.Stage.IN_GOVERNANCE, PAPERS, f"The content is closed for editing: {PAPERS}"),
    ],
)
def test_the_admin_refuses_to_change_the_vision_of_closed_content(
    administrator, strategy, stage, reason, message
):
    _close(strategy, stage, reason)
    client = client_for(administrator)
    url = _change("strategy", strategy)
    data = admin_form_data(client, url)
    data["vision"] = "A vision rewritten after the papers went out"
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, not a redirect
    page = response.content.decode()
    assert message in page
    assert "A vision rewritten after the papers went out" in page  # what was typed is kept
    strategy.refresh_from_db()
    assert strategy.vision != "A vision rewritten after the papers went out"


def test_the_admin_still_changes_an_open_strategy(administrator, strategy):
    client = client_for(administrator)
    url = _change("strategy", strategy)
    data = admin_form_data(client, url)
    data["vision"] = "A clearer vision"
    assert client.post(url, data).status_code == 302
    strategy.refresh_from_db()
    assert strategy.vision == "A clearer vision"


def test_the_admin_refuses_an_item_changed_added_or_moved_into_closed_content(
    administrator, strategy, lead_org
):
    from tests.factories import StrategyFactory

    priority = add_priority(strategy, "Starting well")
    open_one = StrategyFactory(lead_organisation=lead_org, title="An open strategy")
    moving = add_priority(open_one, "To be moved")
    _close(strategy, Strategy.Stage.PUBLISHED)
    client = client_for(administrator)

    url = _change("priority", priority)
    data = admin_form_data(client, url)
    data["title"] = "Starting well, rewritten"
    response = client.post(url, data)
    assert "closed for editing" in response.content.decode()
    assert Priority.objects.get(pk=priority.pk).title == "Starting well"

    url = _change("priority", moving)
    data = admin_form_data(client, url)
    data["strategy"] = str(strategy.pk)  # into the published strategy
    response = client.post(url, data)
    assert "closed for editing" in response.content.decode()
    assert Priority.objects.get(pk=moving.pk).strategy_id == open_one.pk

    add = reverse("admin:strategies_priority_add")
    data = admin_form_data(client, add)
    data.update({"strategy": str(strategy.pk), "title": "A late priority", "position": "9"})
    response = client.post(add, data)
    assert "closed for editing" in response.content.decode()
    assert not Priority.objects.filter(title="A late priority").exists()


def test_the_admin_refuses_to_delete_from_closed_content_and_deletes_open_with_history(
    administrator, strategy
):
    kept = add_priority(strategy, "Kept")
    gone = add_priority(strategy, "Gone")
    client = client_for(administrator)
    delete = reverse("admin:strategies_priority_delete", args=[gone.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Priority.objects.filter(pk=gone.pk).exists()
    assert Priority.history.filter(id=gone.pk, history_type="-").get().history_change_reason
    kept.refresh_from_db()
    assert kept.position == 1  # the list closes up, as in the browser

    _close(strategy, Strategy.Stage.ADOPTED)
    delete = reverse("admin:strategies_priority_delete", args=[kept.pk])
    response = client.post(delete, {"post": "yes"}, follow=True)
    assert "closed for editing" in response.content.decode()
    assert Priority.objects.filter(pk=kept.pk).exists()
    changelist = client.get(reverse("admin:strategies_priority_changelist"))
    assert "delete_selected" not in changelist.content.decode()  # one at a time, with history


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("start_year", "1890", "Give a year between 1990 and 2100."),
        ("end_year", "2190", "Give a year between 1990 and 2100."),
        ("end_year", "2016", "The last year must be after the first year."),
    ],
)
def test_the_strategy_admin_checks_the_period_beside_its_fields(
    administrator, strategy, field, value, message
):
    client = client_for(administrator)
    url = _change("strategy", strategy)
    data = admin_form_data(client, url)
    data.update({"start_year": "2017", "end_year": "2022", field: value})
    response = client.post(url, data)
    errors = response.context["adminform"].form.errors
    assert errors[field] == [message]
    strategy.refresh_from_db()
    assert str(getattr(strategy, field)) != value


def test_the_content_admins_check_what_the_content_forms_check(administrator, strategy):
    client = client_for(administrator)
    evidence = add_evidence(strategy, "Social atlas", year="2011")
    url = _change("evidencesource", evidence)
    data = admin_form_data(client, url)
    data["year"] = "2011/13"
    response = client.post(url, data)
    assert response.context["adminform"].form.errors["year"] == [
        "A span runs into the next year, e.g. 2011/12."
    ]
    assert EvidenceSource.objects.get(pk=evidence.pk).year == "2011"

    indicator = add_indicator(strategy)
    url = _change("outcomeindicator", indicator)
    data = admin_form_data(client, url)
    data.update({"latest_value": "64.6", "latest_date": ""})
    response = client.post(url, data)
    assert response.context["adminform"].form.errors["latest_date"] == [
        "Give the date of the latest value."
    ]
    assert OutcomeIndicator.objects.get(pk=indicator.pk).latest_value != 64.6


def test_the_indicator_admin_checks_each_national_framework_s_code(administrator, strategy):
    client = client_for(administrator)
    indicator = add_indicator(strategy)
    url = _change("outcomeindicator", indicator)
    data = admin_form_data(client, url)
    data.update({"framework": "ascof", "code": "7Z"})
    response = client.post(url, data)
    message = response.context["adminform"].form.errors["code"][0]
    assert "ascof_indicators.csv" in message and "“Local indicator”" in message
    data.update({"framework": "nhsof", "code": "1.4 (ii)"})
    assert client.post(url, data).status_code == 302
    assert OutcomeIndicator.objects.get(pk=indicator.pk).code == "1.4.ii"  # as its list has it
