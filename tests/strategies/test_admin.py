"""The Django admin: every model is there for administrators, history is read-only."""

from __future__ import annotations

import pytest
from django.contrib.admin.utils import flatten_fieldsets
from django.urls import reverse

from strategies.models import Priority, Revision
from strategies.revisions import take_revision
from tests.conftest import client_for
from tests.factories import add_priority, full_strategy

MODELS = [
    "organisation",
    "user",
    "strategy",
    "priority",
    "objective",
    "action",
    "outcomeindicator",
    "evidencesource",
    "revision",
]


@pytest.mark.parametrize("model", MODELS)
def test_every_model_is_listed_for_administrators(administrator, lead_org, model):
    full_strategy(lead_org, priorities=1)
    response = client_for(administrator).get(reverse(f"admin:strategies_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["officer", "secretary", "manager"])
def test_staff_who_are_not_administrators_cannot_use_the_admin(db, request, persona):
    response = client_for(request.getfixturevalue(persona)).get("/admin/")
    assert response.status_code == 302


def test_change_pages_and_history_open(administrator, lead_org):
    strategy = full_strategy(lead_org, priorities=1)
    client = client_for(administrator)
    for name, obj in [("strategy", strategy), ("priority", strategy.priorities.first())]:
        assert (
            client.get(reverse(f"admin:strategies_{name}_change", args=[obj.pk])).status_code == 200
        )
        assert (
            client.get(reverse(f"admin:strategies_{name}_history", args=[obj.pk])).status_code
            == 200
        )


def test_history_cannot_be_reverted(administrator, strategy):
    priority = add_priority(strategy, "Old title")
    priority.title = "New title"
    priority.save()
    record = Priority.history.filter(id=priority.pk).last()
    url = reverse("admin:strategies_priority_simple_history", args=[priority.pk, record.history_id])
    client = client_for(administrator)
    client.post(url, {"title": "Old title", "strategy": strategy.pk, "position": 1})
    priority.refresh_from_db()
    assert priority.title == "New title"


def test_revisions_are_read_only_in_the_admin(administrator, strategy):
    revision = take_revision(strategy, "Evidence")
    client = client_for(administrator)
    assert client.get(reverse("admin:strategies_revision_add")).status_code == 403
    change = reverse("admin:strategies_revision_change", args=[revision.pk])
    client.post(change, {"label": "Rewritten"})
    assert Revision.objects.get().label == "Evidence"
    assert (
        client.post(
            reverse("admin:strategies_revision_delete", args=[revision.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Revision.objects.exists()


def test_a_stale_admin_save_is_refused(administrator, strategy):
    priority = add_priority(strategy, "Original")
    url = reverse("admin:strategies_priority_change", args=[priority.pk])
    stale = {
        "strategy": strategy.pk,
        "position": 1,
        "title": "Admin's",
        "description": "",
        "version": 1,
        "objectives-TOTAL_FORMS": 0,
        "objectives-INITIAL_FORMS": 0,
    }
    priority.title = "Officer's"
    priority.version = 2
    priority.save()
    response = client_for(administrator).post(url, stale)
    assert response.status_code == 200
    assert "while you were editing" in response.content.decode()
    priority.refresh_from_db()
    assert priority.title == "Officer's"
    fresh = {**stale, "version": 2}
    assert client_for(administrator).post(url, fresh).status_code == 302
    priority.refresh_from_db()
    assert (priority.title, priority.version) == ("Admin's", 3)


def test_an_admin_edit_saves_from_the_rendered_form(administrator, strategy):
    """The hidden version travels in the real change page, so an ordinary save goes through."""
    import re

    priority = add_priority(strategy, "Original")
    url = reverse("admin:strategies_priority_change", args=[priority.pk])
    client = client_for(administrator)
    page = client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    data = {
        "strategy": strategy.pk,
        "position": 1,
        "title": "Edited in the admin",
        "description": "",
        "version": version,
        "objectives-TOTAL_FORMS": 0,
        "objectives-INITIAL_FORMS": 0,
    }
    assert client.post(url, data).status_code == 302
    priority.refresh_from_db()
    assert priority.title == "Edited in the admin"


def test_a_mistyped_admin_history_address_is_not_an_error(administrator, strategy):
    priority = add_priority(strategy)
    response = client_for(administrator).get(
        f"/admin/strategies/priority/{priority.pk}/change/history/"
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/admin/strategies/priority/{pk}/history/abc/",
        "/admin/strategies/priority/abc/history/1/",
        "/admin/strategies/priority/{pk}/history/99999999999999999999999/",
        "/admin/strategies/priority/{pk}/history/١/",
    ],
)
def test_a_mistyped_history_row_address_is_not_found(administrator, strategy, path):
    priority = add_priority(strategy)
    response = client_for(administrator).get(path.format(pk=priority.pk))
    assert response.status_code in (302, 404)


@pytest.mark.parametrize(
    "query",
    [
        "sent_at__year=99999999999999999999",
        "sent_at__year=9999",  # its year's end would be in the year 10000
        "sent_at__year=2025&sent_at__month=99999999999999999999",
        "sent_at__year=2025&sent_at__month=13",
        "sent_at__year=2025&sent_at__month=2&sent_at__day=" + "9" * 5000,
    ],
)
def test_an_impossible_date_drill_down_is_a_bad_filter_not_an_error(administrator, query):
    client = client_for(administrator)
    response = client.get(f"/admin/strategies/sentreminder/?{query}")
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    axes = client.get(f"/admin/axes/accesslog/?{query.replace('sent_at', 'attempt_time')}")
    assert axes.status_code == 302 and axes["Location"].endswith("?e=1")
    fine = client.get("/admin/strategies/sentreminder/?sent_at__year=2025&sent_at__month=12")
    assert fine.status_code == 200


def test_every_versioned_admin_page_carries_its_version(administrator, rf):
    from django.contrib import admin

    from strategies.admin_base import VersionedAdmin

    request = rf.get("/admin/")
    request.user = administrator
    versioned = [a for a in admin.site._registry.values() if isinstance(a, VersionedAdmin)]
    assert len(versioned) > 5
    for model_admin in versioned:
        if type(model_admin).__name__ == "DocumentAdmin":
            continue  # its add page is an upload; its change page lists version itself
        fields = flatten_fieldsets(model_admin.get_fieldsets(request))
        assert "version" in fields, type(model_admin).__name__


def test_the_admin_refuses_measuring_links_of_a_strategy_whose_content_is_closed(
    administrator, strategy
):
    import html

    from strategies.models import IndicatorObjective, Strategy
    from tests.factories import add_indicator, add_objective

    indicator = add_indicator(strategy)
    objective = add_objective(add_priority(strategy))
    Strategy.objects.filter(pk=strategy.pk).update(stage=Strategy.Stage.ADOPTED)
    strategy.refresh_from_db()
    added = client_for(administrator).post(
        reverse("admin:strategies_indicatorobjective_add"),
        {"indicator": indicator.pk, "objective": objective.pk},
    )
    assert added.status_code == 200
    assert strategy.content_closed_reason in html.unescape(added.content.decode())
    assert not IndicatorObjective.objects.exists()
