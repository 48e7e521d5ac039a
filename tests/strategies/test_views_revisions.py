"""Revisions: the list, taking one, reading one, and comparing two side by side."""

from __future__ import annotations

from django.urls import reverse

from strategies.models import Revision
from strategies.revisions import take_revision
from tests.conftest import client_for
from tests.factories import add_priority
from tests.ladder import READERS, climb


def urls(strategy) -> dict[str, str]:
    return {
        "list": reverse("strategies:revisions", kwargs={"slug": strategy.slug}),
        "detail": reverse("strategies:revision", kwargs={"slug": strategy.slug, "number": 1}),
        "compare": reverse("strategies:compare", kwargs={"slug": strategy.slug}) + "?a=1&b=2",
    }


def test_access_ladder(request, strategy):
    take_revision(strategy, "One")
    take_revision(strategy, "Two")
    for url in urls(strategy).values():
        climb(request, url, {**READERS, "other_officer": 404})


def test_lead_officers_take_revisions_and_others_cannot(request, strategy, officer):
    url = urls(strategy)["list"]
    for persona in ("secretary", "manager", "administrator"):
        response = client_for(request.getfixturevalue(persona)).post(url, {"label": "Mine"})
        assert response.status_code == 403
    assert not Revision.objects.exists()
    response = client_for(officer).post(url, {"label": "Draft for the Board"})
    assert response.status_code == 302
    revision = Revision.objects.get()
    assert (revision.label, revision.created_by) == ("Draft for the Board", officer)


def test_a_revision_needs_a_label(officer, strategy):
    response = client_for(officer).post(urls(strategy)["list"], {"label": ""})
    assert response.status_code == 200 and "label" in response.context["form"].errors


def test_comparison_shows_the_change_side_by_side(officer, strategy):
    priority = add_priority(strategy, "Improve wellbeing")
    take_revision(strategy, "Before the Board")
    priority.title = "Improve wellbeing for all ages"
    priority.save()
    add_priority(strategy, "Reduce health inequalities")
    take_revision(strategy, "After the Board")
    page = client_for(officer).get(urls(strategy)["compare"]).content.decode()
    assert "Revision 1 compared with revision 2" in page
    assert '<del class="pre-wrap">Improve wellbeing</del>' in page
    assert '<ins class="pre-wrap">Improve wellbeing for all ages</ins>' in page
    assert "Added" in page and "Reduce health inequalities" in page


def test_comparing_missing_revisions_explains_instead_of_failing(officer, strategy):
    take_revision(strategy, "Only one")
    base = reverse("strategies:compare", kwargs={"slug": strategy.slug})
    for query in ("?a=1&b=9", "?a=x&b=", ""):
        response = client_for(officer).get(base + query, follow=True)
        assert response.status_code == 200
        assert "Choose two revisions" in response.content.decode()


def test_a_revision_reads_as_the_frozen_text(officer, strategy):
    add_priority(strategy, "Frozen priority")
    take_revision(strategy, "Snapshot")
    priority = strategy.priorities.get()
    priority.title = "Changed later"
    priority.save()
    page = client_for(officer).get(urls(strategy)["detail"]).content.decode()
    assert "Frozen priority" in page and "Changed later" not in page


def test_odd_revision_numbers_are_explained(officer, strategy):
    take_revision(strategy, "One")
    base = reverse("strategies:compare", kwargs={"slug": strategy.slug})
    for query in ("?a=%C2%B2&b=1", "?a=99999999999999999999999&b=1"):
        assert client_for(officer).get(base + query, follow=True).status_code == 200


def test_comparison_uses_the_strategys_word_for_its_top_level(officer, strategy):
    strategy.top_level_term = "goal"
    strategy.save()
    take_revision(strategy, "Before")
    add_priority(strategy, "Healthier lives")
    take_revision(strategy, "After")
    page = client_for(officer).get(urls(strategy)["compare"]).content.decode()
    assert "Goal: Healthier lives" in page and "Priority: Healthier lives" not in page
