from __future__ import annotations

from strategies.revisions import compare, content_hash, revision_is_intact, snapshot, take_revision
from tests.factories import add_evidence, add_objective, add_priority, full_strategy


def test_a_revision_freezes_the_whole_content_with_its_hash(lead_org, officer):
    strategy = full_strategy(lead_org, priorities=2)
    revision = take_revision(strategy, "For the Board", by=officer)
    assert revision.number == 1 and revision.created_by == officer
    assert [p["title"] for p in revision.content["priorities"]] == ["Priority 1", "Priority 2"]
    assert revision.content["priorities"][0]["objectives"][0]["actions"][0]["title"] == "Action 1.1"
    assert len(revision.content["indicators"]) == 2 and len(revision.content["evidence"]) == 2
    assert revision.content_hash == content_hash(snapshot(strategy))
    assert revision_is_intact(revision)


def test_numbers_follow_on_per_strategy(strategy):
    assert [take_revision(strategy, f"r{i}").number for i in range(3)] == [1, 2, 3]


def test_tampering_with_content_breaks_the_hash(strategy):
    revision = take_revision(strategy, "Draft")
    revision.content["strategy"]["vision"] = "Something else"
    assert not revision_is_intact(revision)


def test_comparison_shows_what_was_added_removed_and_changed(strategy):
    keep = add_priority(strategy, "Keep")
    drop = add_priority(strategy, "Drop")
    before = take_revision(strategy, "Before")

    strategy.vision = "A new vision"
    strategy.save()
    keep.title = "Keep, renamed"
    keep.save()
    drop.delete()
    add_objective(keep, "A new objective")
    add_evidence(strategy, "Social atlas")
    after = take_revision(strategy, "After")

    rows = {(r.kind, r.new_title or r.old_title): r for r in compare(before, after)}
    assert rows[("strategy", strategy.title)].status == "changed"
    vision = next(f for f in rows[("strategy", strategy.title)].fields if f.label == "Vision")
    assert (vision.old, vision.new) == ("Healthier lives for everyone.", "A new vision")
    assert rows[("priority", "Keep, renamed")].status == "changed"
    assert rows[("priority", "Drop")].status == "removed"
    assert rows[("objective", "A new objective")].status == "added"
    assert rows[("evidence", "Social atlas")].status == "added"


def test_identical_revisions_compare_unchanged(strategy):
    add_priority(strategy)
    a, b = take_revision(strategy, "a"), take_revision(strategy, "b")
    assert {r.status for r in compare(a, b)} == {"unchanged"}
    assert a.content_hash == b.content_hash
