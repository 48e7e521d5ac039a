from __future__ import annotations

from strategies import editing
from strategies.models import Priority, Strategy
from tests.factories import OrganisationFactory, add_objective, add_priority


def test_new_items_go_to_the_end_of_their_list(strategy):
    first, second = add_priority(strategy, "One"), add_priority(strategy, "Two")
    assert (first.position, second.position) == (1, 2)
    objective = add_objective(second, "Under two")
    assert objective.position == 1


def test_moving_swaps_neighbours_and_records_one_change_each(strategy, officer):
    one, two, three = (add_priority(strategy, t) for t in ("One", "Two", "Three"))
    assert editing.move_item(three, "up", reason="Reorder for the Board") is True
    assert list(strategy.priorities.values_list("title", flat=True)) == ["One", "Three", "Two"]
    three_history = list(Priority.history.filter(id=three.pk).order_by("history_id"))
    # created, then moved: the temporary parking place is not in the history
    assert [h.position for h in three_history] == [3, 2]
    assert three_history[-1].history_change_reason == "Reorder for the Board"


def test_moving_past_the_end_changes_nothing(strategy):
    only = add_priority(strategy, "Only")
    assert editing.move_item(only, "up") is False
    assert Priority.history.filter(id=only.pk).count() == 1


def test_deleting_keeps_a_history_row_with_the_reason(strategy):
    priority = add_priority(strategy)
    add_objective(priority)
    pk = priority.pk
    editing.delete_item(priority, reason="Merged into priority 2")
    deleted = Priority.history.get(id=pk, history_type="-")
    assert deleted.history_change_reason == "Merged into priority 2"
    assert strategy.priorities.count() == 0


def test_partners_change_one_row_at_a_time(strategy):
    ccg, cvs = OrganisationFactory(name="CCG"), OrganisationFactory(name="CVS")
    editing.set_partners(strategy, [ccg, cvs], reason="Joint strategy")
    editing.set_partners(strategy, [cvs])
    assert list(strategy.partners.all()) == [cvs]
    kinds = list(
        strategy.partner_links.model.history.filter(strategy_id=strategy.pk)
        .order_by("history_id")
        .values_list("history_type", "organisation_id")
    )
    assert kinds == [("+", ccg.pk), ("+", cvs.pk), ("-", ccg.pk)]


def test_the_lead_is_never_its_own_partner(strategy):
    editing.set_partners(strategy, [strategy.lead_organisation])
    assert strategy.partners.count() == 0


def test_new_strategies_start_as_drafts_with_a_unique_slug(lead_org):
    first = editing.create_strategy(
        Strategy(title="Our Plan", start_year=2020, end_year=2025), lead_org
    )
    second = editing.create_strategy(
        Strategy(title="Our Plan", start_year=2026, end_year=2030, stage=Strategy.Stage.ADOPTED),
        lead_org,
    )
    assert (first.slug, second.slug) == ("our-plan", "our-plan-2")
    assert second.stage == Strategy.Stage.DRAFT


def test_a_long_title_is_cut_between_words_for_its_address(db):
    title = "Cornwall and Isles of Scilly Health and Wellbeing Strategy 2024-2029 – Bewnans Da"
    slug = editing.unique_slug(title)
    assert slug == "cornwall-and-isles-of-scilly-health-and-wellbeing-strategy-2024-2029"
    assert editing.unique_slug("x" * 90) == "x" * 70  # one long word: cut where it must be


def test_removing_a_priority_gives_every_removed_row_the_reason(strategy):
    from strategies.models import Action, Objective

    priority = add_priority(strategy)
    objective = add_objective(priority)
    action = Action.objects.create(objective=objective, position=1, title="Act")
    objective_pk, action_pk = objective.pk, action.pk
    editing.delete_item(priority, reason="Merged")
    assert Objective.history.get(id=objective_pk, history_type="-").history_change_reason == (
        "Merged (removed with its priority)"
    )
    assert Action.history.get(id=action_pk, history_type="-").history_change_reason == (
        "Merged (removed with its priority) (removed with its objective)"
    )


def test_a_long_reason_is_kept_whole(strategy):
    reason = "Agreed at the Board development session after a long discussion. " * 4
    priority = add_priority(strategy)
    priority.title = "New"
    editing.with_reason(priority, reason).save()
    assert Priority.history.first().history_change_reason == reason
