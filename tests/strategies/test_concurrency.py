"""Two people editing the same thing never silently overwrite each other."""

from __future__ import annotations

import re

from django.urls import reverse

from strategies.models import Priority
from tests.conftest import client_for
from tests.factories import add_priority
from tests.strategies.test_views_edit import details


def form_version(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def test_second_save_of_an_item_is_a_conflict_not_an_overwrite(officer, second_officer, strategy):
    priority = add_priority(strategy, "Improve wellbeing")
    edit = reverse(
        "strategies:edit-item",
        kwargs={"slug": strategy.slug, "kind": "priorities", "pk": priority.pk},
    )
    olivia, oscar = client_for(officer), client_for(second_officer)
    seen_by_olivia = form_version(olivia.get(edit).content.decode())
    seen_by_oscar = form_version(oscar.get(edit).content.decode())

    first = olivia.post(edit, {"title": "Improve wellbeing for all", "version": seen_by_olivia})
    assert first.status_code == 302

    second = oscar.post(
        edit,
        {
            "title": "Wellbeing at every age",
            "description": "Oscar's words",
            "version": seen_by_oscar,
        },
    )
    assert second.status_code == 200
    page = second.content.decode()
    # Said once, in the comparison above the form, naming who saved (not again in the form).
    said = f"{officer.display_name} saved a change to this item while you were editing it"
    assert page.count("saved a change to this item") == 1 and said in page
    assert page.count('id="conflict-heading"') == 1
    # both versions are shown, and Oscar's text is still in the form
    assert "Improve wellbeing for all" in page
    assert 'value="Wellbeing at every age"' in page and "Oscar&#x27;s words" in page
    priority.refresh_from_db()
    assert priority.title == "Improve wellbeing for all"

    # Having read the conflict, saving again is a deliberate choice and goes through.
    third = oscar.post(edit, {"title": "Wellbeing at every age", "version": form_version(page)})
    assert third.status_code == 302
    priority.refresh_from_db()
    assert priority.title == "Wellbeing at every age"
    assert [h.title for h in Priority.history.filter(id=priority.pk).order_by("history_id")] == [
        "Improve wellbeing",
        "Improve wellbeing for all",
        "Wellbeing at every age",
    ]


def test_strategy_details_conflict_too(officer, second_officer, strategy):
    edit = reverse("strategies:edit", kwargs={"slug": strategy.slug})
    version = strategy.version
    assert (
        client_for(officer).post(edit, details(vision="First vision", version=version)).status_code
        == 302
    )
    response = client_for(second_officer).post(
        edit, details(vision="Second vision", version=version)
    )
    assert response.status_code == 200 and response.context["form"].conflict is not None
    rows = response.context["form"].conflict_rows()
    assert ("Vision", "First vision", "Second vision") in rows
    strategy.refresh_from_db()
    assert strategy.vision == "First vision"


def test_editing_an_item_someone_deleted_says_so(officer, strategy):
    priority = add_priority(strategy)
    edit = reverse(
        "strategies:edit-item",
        kwargs={"slug": strategy.slug, "kind": "priorities", "pk": priority.pk},
    )
    client = client_for(officer)
    client.get(edit)
    priority.delete()
    response = client.post(edit, {"title": "My careful wording", "version": 1})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone removed the priority while you were working" in page
    assert "My careful wording" in page


def test_adding_under_a_parent_someone_deleted_keeps_the_text(officer, strategy):
    priority = add_priority(strategy)
    add = reverse(
        "strategies:add-objective", kwargs={"slug": strategy.slug, "parent_pk": priority.pk}
    )
    priority.delete()
    response = client_for(officer).post(add, {"title": "An objective I wrote"})
    assert response.status_code == 409 and "An objective I wrote" in response.content.decode()


def test_a_reorder_meanwhile_is_not_a_conflict(officer, second_officer, strategy):
    add_priority(strategy, "First")
    second = add_priority(strategy, "Second")
    edit = reverse(
        "strategies:edit-item",
        kwargs={"slug": strategy.slug, "kind": "priorities", "pk": second.pk},
    )
    version = form_version(client_for(officer).get(edit).content.decode())
    move = reverse(
        "strategies:move-item",
        kwargs={"slug": strategy.slug, "kind": "priorities", "pk": second.pk},
    )
    client_for(second_officer).post(move, {"direction": "up"})
    response = client_for(officer).post(edit, {"title": "Second, renamed", "version": version})
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.title, second.position) == ("Second, renamed", 1)


def test_removing_an_item_changed_meanwhile_asks_again(officer, second_officer, strategy):
    priority = add_priority(strategy, "Original")
    delete = reverse(
        "strategies:delete-item",
        kwargs={"slug": strategy.slug, "kind": "priorities", "pk": priority.pk},
    )
    seen = re.search(
        r'name="version" value="(\d+)"', client_for(officer).get(delete).content.decode()
    )
    edit = reverse(
        "strategies:edit-item",
        kwargs={"slug": strategy.slug, "kind": "priorities", "pk": priority.pk},
    )
    client_for(second_officer).post(edit, {"title": "Improved by Oscar", "version": 1})
    response = client_for(officer).post(delete, {"version": seen.group(1), "reason": "Duplicate"})
    assert response.status_code == 200
    assert "someone changed this priority after you opened this page" in response.content.decode()
    assert Priority.objects.filter(title="Improved by Oscar").exists()
    confirmed = client_for(officer).post(delete, {"version": 2, "reason": "Duplicate"})
    assert confirmed.status_code == 302 and not Priority.objects.exists()


def test_an_id_from_another_strategy_answers_as_a_missing_one(officer, strategy, lead_org):
    """A hand-made edit of an item by an id that was never in this strategy is not found,
    whether the id exists elsewhere or nowhere, so ids cannot be counted; an item removed from
    this strategy meanwhile still brings back what was typed."""
    from tests.factories import StrategyFactory

    elsewhere = add_priority(StrategyFactory(lead_organisation=lead_org, title="Other"), "Theirs")
    removed = add_priority(strategy, "Removed here")
    client = client_for(officer)

    def answers(pk: int) -> list[int]:
        edit = reverse(
            "strategies:edit-item", kwargs={"slug": strategy.slug, "kind": "priorities", "pk": pk}
        )
        under = reverse("strategies:add-objective", kwargs={"slug": strategy.slug, "parent_pk": pk})
        return [
            client.post(url, {"title": "Typed here", "version": 1}).status_code
            for url in (edit, under)
        ]

    assert answers(elsewhere.pk) == answers(elsewhere.pk + 1000) == [404, 404]
    assert Priority.objects.get(pk=elsewhere.pk).title == "Theirs"
    removed_pk = removed.pk
    removed.delete()
    assert answers(removed_pk) == [409, 409]
