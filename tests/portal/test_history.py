"""The merged history: every change to the strategy and everything inside it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from strategies import editing
from strategies.models import Action, Objective
from tests.conftest import client_for
from tests.factories import (
    OrganisationFactory,
    add_action,
    add_objective,
    add_priority,
    full_strategy,
)
from tests.ladder import READERS, climb


def history_url(strategy) -> str:
    return reverse("strategy-history", kwargs={"slug": strategy.slug})


def test_access_ladder(request, strategy):
    climb(request, history_url(strategy), {**READERS, "other_officer": 404})


def test_history_shows_who_what_old_and_new_values_and_why(officer, strategy):
    edit = reverse("strategies:edit", kwargs={"slug": strategy.slug})
    from tests.strategies.test_views_edit import details

    client = client_for(officer)
    client.post(
        edit,
        details(
            title=strategy.title,
            vision="A borough where everyone lives well",
            version=strategy.version,
            reason="Agreed at the development session",
        ),
    )
    page = client.get(history_url(strategy)).content.decode()
    assert "Changed strategy" in page
    assert "Healthier lives for everyone." in page  # old value
    assert "A borough where everyone lives well" in page  # new value
    assert "Agreed at the development session" in page
    assert officer.display_name in page


def test_history_merges_items_at_every_level_including_deleted_ones(officer, strategy):
    priority = add_priority(strategy, "Reduce early deaths")
    objective = add_objective(priority, "Fewer smokers")
    add_action(objective, "Stop smoking service")
    partner = OrganisationFactory(name="Dudley CCG")
    editing.set_partners(strategy, [partner])
    editing.delete_item(objective, reason="Moved to another priority")
    entries = list(client_for(officer).get(history_url(strategy)).context["page"].object_list)
    summary = [(e.action, e.kind, e.item) for e in entries]
    assert ("Deleted", "action", "Stop smoking service") in summary
    assert ("Deleted", "objective", "Fewer smokers") in summary
    assert ("Created", "partner", "Dudley CCG") in summary
    assert ("Created", "priority", "Reduce early deaths") in summary
    # newest first
    assert entries[0].when >= entries[-1].when
    deleted = next(e for e in entries if e.kind == "objective" and e.action == "Deleted")
    assert deleted.reason == "Moved to another priority"


def test_other_strategies_history_is_not_mixed_in(officer, lead_org, strategy):
    other = full_strategy(lead_org, priorities=1, title="Someone else's")
    items = {
        e.item for e in client_for(officer).get(history_url(strategy)).context["page"].object_list
    }
    assert other.title not in items and "Priority 1" not in items


def test_history_is_paginated(officer, strategy):
    for n in range(30):
        add_priority(strategy, f"Priority {n}")
    client = client_for(officer)
    first = client.get(history_url(strategy)).context["page"]
    assert len(first.object_list) == 25 and first.has_next()
    second = client.get(history_url(strategy), {"page": 2}).context["page"]
    assert len(second.object_list) == 6
    assert client.get(history_url(strategy), {"page": "junk"}).status_code == 200


def test_nothing_in_the_product_can_change_history(officer, strategy):
    for method in ("post", "put", "delete"):
        response = getattr(client_for(officer), method)(history_url(strategy))
        assert response.status_code == 405


@pytest.mark.parametrize("width", [1, 5])
def test_query_count_does_not_grow_with_history(
    officer, lead_org, width, django_assert_num_queries
):
    strategy = full_strategy(lead_org, priorities=width)
    # The newest page holds a change of every kind of item, whatever the size behind it.
    editing.set_partners(strategy, [OrganisationFactory()])
    for item in [
        strategy,
        strategy.priorities.last(),
        Objective.objects.filter(priority__strategy=strategy).last(),
        Action.objects.filter(objective__priority__strategy=strategy).last(),
        strategy.indicators.last(),
        strategy.evidence.last(),
    ]:
        item.title = f"{item.title} (renamed)"
        item.save()
    indicator = strategy.indicators.first()
    indicator.objective_links.create(
        objective=Objective.objects.filter(priority__strategy=strategy).first()
    )
    client = client_for(officer)
    # session, user with their organisation, strategy with its lead organisation, count, page;
    # then for each of the 8 kinds of item its rows and their previous versions; related
    # names; link names
    # + the strategy's partner links, to name its leads in the header (joint strategies)
    with django_assert_num_queries(24):
        assert client.get(history_url(strategy)).status_code == 200


def test_each_strategy_gets_its_own_history_from_the_shared_sql(officer, lead_org):
    """The merged history's SQL is compiled once and reused with each strategy's id: reading
    one strategy's history and then another's never mixes them."""
    from tests.factories import StrategyFactory

    first = StrategyFactory(lead_organisation=lead_org, title="First strategy")
    second = StrategyFactory(lead_organisation=lead_org, title="Second strategy")
    add_action(add_objective(add_priority(first, "First's priority"), "First's aim"), "First's act")
    add_priority(second, "Second's priority")
    client = client_for(officer)
    for strategy, mine, theirs in [
        (first, ["First's priority", "First's aim", "First's act"], "Second's priority"),
        (second, ["Second's priority"], "First's priority"),
        (first, ["First's act"], "Second's priority"),
    ]:
        items = {e.item for e in client.get(history_url(strategy)).context["page"].object_list}
        assert set(mine) <= items and theirs not in items
        assert strategy.title in items  # its own creation


LONG_VISION = (
    "A borough where everyone lives a longer, healthier life, whatever their background. "
    "We will work with communities, the voluntary sector and the NHS to close the gap in "
    "healthy life expectancy between the richest and poorest wards.\n\n"
    "Our priorities are good mental health, healthy weight and a good start in life."
)


def _changed_vision(officer, strategy, old: str, new: str):
    strategy.vision = old
    strategy.save()
    strategy.vision = new
    strategy.save()
    return client_for(officer).get(history_url(strategy))


def test_a_long_text_shows_what_changed_inside_it_word_by_word(officer, strategy):
    new = LONG_VISION.replace("healthy weight", "healthy weight, clean air")
    response = _changed_vision(officer, strategy, LONG_VISION, new)
    page = response.content.decode()
    vision = next(c for c in response.context["page"].object_list[0].changes if c.label == "Vision")
    # "weight" became "weight, clean air": one word out, three in.
    assert (vision.words.deleted, vision.words.inserted) == (1, 3)
    assert '<span class="visually-hidden">inserted: </span>weight, clean air</ins>' in page
    assert '<span class="visually-hidden">deleted: </span>weight</del>' in page
    # The far, unchanged start of the text shrinks to "…"; the whole texts are a click away.
    marked = page[page.index('class="pre-wrap diff-text"') : page.index("</details>")]
    assert "(unchanged words left out)" in marked
    assert "Show the whole text before and after" in marked
    assert LONG_VISION.split("\n")[0] in marked and new.split("\n\n")[1] in marked


def test_short_values_read_old_then_new(officer, strategy):
    page = _changed_vision(officer, strategy, "Healthier lives", "Longer lives").content.decode()
    assert "Healthier lives</span>" in page and "Longer lives</span>" in page
    assert '<span class="history-arrow" aria-hidden="true">→</span>' in page
    entries = page.split('<ol class="list-unstyled history-list">')[1]
    assert "<del" not in entries and "<details" not in entries


def test_text_people_wrote_is_escaped_in_the_marked_changes(officer, strategy):
    old = LONG_VISION + " <b>Bold</b> & <script>alert(1)</script>"
    new = LONG_VISION + " <i>Bold</i> & <script>alert(2)</script>"
    page = _changed_vision(officer, strategy, old, new).content.decode()
    assert "<script>alert" not in page and "<i>Bold" not in page and "<b>Bold" not in page
    assert "&lt;i&gt;Bold&lt;/i&gt;</ins>" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;</ins>" in page


def test_a_long_value_of_a_new_item_shows_its_start_and_the_whole_on_request(officer, strategy):
    text = " ".join(f"word{n}" for n in range(120))
    add_objective(add_priority(strategy, "Clean air"), "Fewer car journeys", description=text)
    page = client_for(officer).get(history_url(strategy)).content.decode()
    assert "… and 95 more words" in page
    assert '<summary>Show the whole text<span class="visually-hidden"> (description)' in page
    assert text in page  # whole, inside the <details>
