from __future__ import annotations

import pytest

from strategies.models import Strategy
from tests.conftest import client_for
from tests.factories import full_strategy
from tests.ladder import READERS, climb


def test_access_ladder(request, strategy):
    climb(request, strategy.get_absolute_url(), {**READERS, "other_officer": 404})


def test_another_organisations_adopted_strategy_is_readable(request, strategy):
    strategy.stage = Strategy.Stage.ADOPTED
    strategy.save()
    climb(request, strategy.get_absolute_url(), {"other_officer": 200})


def test_shows_header_tree_indicators_and_evidence(officer, lead_org):
    strategy = full_strategy(
        lead_org,
        priorities=2,
        contact_name="Karen Jackson",
        contact_phone="01384 816698",
        contact_email="karen@example.org",
    )
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    for text in [
        strategy.title,
        "2017–2022",
        lead_org.name,
        "Stage: Draft",
        "Karen Jackson",
        "01384 816698",
        "Healthier lives for everyone.",
        "Priority 1: Priority 1",
        "Objective 2.2: Objective 2.2",
        "Action 1.1",
        "Indicator 2",
        "Evidence 1",
    ]:
        assert text in page, text


def test_editors_get_edit_controls_and_readers_do_not(officer, manager, strategy):
    edit_url = f"/strategies/{strategy.slug}/edit/"
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert f'href="{strategy.get_absolute_url()}?edit=1">Edit content</a>' in page
    editing = client_for(officer).get(f"{strategy.get_absolute_url()}?edit=1").content.decode()
    assert edit_url in editing and "Done editing" in editing
    for path in ["", "?edit=1"]:  # a reader asking for edit mode reads the page as it is
        page = client_for(manager).get(strategy.get_absolute_url() + path).content.decode()
        assert edit_url not in page and "Edit content" not in page and "Done editing" not in page


def test_the_page_reads_first_and_edits_in_edit_mode(officer, lead_org):
    """Issue 21: in read mode the page is the strategy, without a control under each item; the
    controls appear in edit mode, one Edit link and a "More" menu for each item."""
    strategy = full_strategy(lead_org, priorities=2)
    priority = strategy.priorities.get(title="Priority 2")
    read = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert "Priority 2: Priority 2" in read and "Action 2.1" in read
    controls = [f"/{strategy.slug}/priorities/", "/move/", "/delete/", "<form", "item-menu"]
    for control in [*controls, "Add an objective", "Edit details and vision"]:
        assert control not in read.split('id="main"')[1], control
    editing = client_for(officer).get(f"{strategy.get_absolute_url()}?edit=1").content.decode()
    assert f"/strategies/{strategy.slug}/priorities/{priority.pk}/edit/" in editing
    assert "btn-outline-danger" not in editing  # Remove is in each item's menu, not a red button
    assert editing.count('<details class="item-menu">') == 2 + 4 + 4 + 2 + 2  # every item
    assert "Add an objective" in editing and "Add an action" in editing


def test_each_control_names_its_item(officer, lead_org):
    strategy = full_strategy(lead_org, priorities=2)
    page = client_for(officer).get(f"{strategy.get_absolute_url()}?edit=1").content.decode()
    for text in [
        'Edit<span class="visually-hidden"> priority 2: Priority 2</span>',
        'More<span class="visually-hidden"> actions for priority 2: Priority 2</span>',
        'Move up<span class="visually-hidden">: priority 2: Priority 2</span>',
        'Remove<span class="visually-hidden"> priority 2: Priority 2</span>',
        'Remove<span class="visually-hidden"> objective 2.1: Objective 2.1</span>',
        'Remove<span class="visually-hidden"> action “Action 1.2”</span>',
        'Remove<span class="visually-hidden"> indicator “Indicator 1”</span>',
        'Remove<span class="visually-hidden"> evidence source “Evidence 2”</span>',
    ]:
        assert text in page, text
    # The first item cannot move up, nor the last down: those moves are left out.
    assert 'Move up<span class="visually-hidden">: priority 1: Priority 1</span>' not in page
    assert 'Move down<span class="visually-hidden">: priority 1: Priority 1</span>' in page
    assert 'Move down<span class="visually-hidden">: priority 2: Priority 2</span>' not in page


def test_changes_made_from_edit_mode_return_to_it(officer, lead_org):
    strategy = full_strategy(lead_org, priorities=2)
    second = strategy.priorities.get(title="Priority 2")
    client = client_for(officer)
    moved = client.post(
        f"/strategies/{strategy.slug}/priorities/{second.pk}/move/", {"direction": "up"}
    )
    assert moved["Location"] == f"{strategy.get_absolute_url()}?edit=1#priority-{second.pk}"
    assert [p.title for p in strategy.priorities.all()] == ["Priority 2", "Priority 1"]
    removed = client.post(
        f"/strategies/{strategy.slug}/priorities/{second.pk}/delete/",
        {"reason": "Merged", "version": second.version},
    )
    assert removed["Location"] == f"{strategy.get_absolute_url()}?edit=1"
    assert [p.title for p in strategy.priorities.all()] == ["Priority 1"]


def test_officers_see_why_editing_is_closed(officer, strategy):
    strategy.stage = Strategy.Stage.ADOPTED
    strategy.save()
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert "Editing is closed" in page and "adopted" in page
    assert f"/strategies/{strategy.slug}/edit/" not in page


@pytest.mark.parametrize("mode", ["", "?edit=1"])
@pytest.mark.parametrize("width", [1, 6])
def test_query_count_does_not_grow_with_content(
    officer, lead_org, width, mode, django_assert_num_queries
):
    strategy = full_strategy(lead_org, priorities=width)
    client = client_for(officer)
    # session, user with their organisation (header), strategy, partners, priorities,
    # objectives, actions, indicators, indicator objectives, evidence; the route, read once
    # for the adoption, amendments and timeline panels (its gates; none, so nothing more)
    # + what bodies approved of its priorities by name (strategies/approvals.py), in one query
    with django_assert_num_queries(12):
        assert client.get(strategy.get_absolute_url() + mode).status_code == 200


def test_the_menu_shows_strategies_as_the_current_section_on_every_tab(officer, strategy):
    """The content and history tabs are the portal's pages, the revisions tab strategies' own:
    on each, the menu marks "Strategies" as where the person is."""
    import re

    client = client_for(officer)
    slug = strategy.slug
    for url in [
        f"/strategies/{slug}/",
        f"/strategies/{slug}/history/",
        f"/strategies/{slug}/revisions/",
    ]:
        page = client.get(url).content.decode()
        link = re.search(
            r'<a class="nav-link active"\s+aria-current="page"\s+href="/strategies/">', page
        )
        assert link, url
