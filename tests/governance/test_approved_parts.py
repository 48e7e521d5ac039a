"""A decision approving named parts of the content (its priorities), kept in the words
approved; a later change to them is warned of and marked in the history, whichever door."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.models import ApprovedPart, Decision, Purpose
from governance.workflow import WorkflowError
from strategies import editing
from strategies.models import Priority
from tests.admin_forms import admin_form_data
from tests.conftest import client_for
from tests.factories import add_priority
from tests.governance.conftest import decide, meeting_of
from tests.governance.test_admin import action


@pytest.fixture
def priorities(strategy):
    return [
        add_priority(strategy, "Starting well", description="Every child has the best start."),
        add_priority(strategy, "Living well"),
        add_priority(strategy, "Ageing well"),
    ]


@pytest.fixture
def approved(board_gate, secretary, priorities):
    """The Board approved the first two priorities only, as the basis of the strategy."""
    return decide(board_gate, secretary, "approved", approved_parts=priorities[:2])


def test_the_parts_are_kept_in_the_words_approved(approved, priorities, strategy):
    parts = list(approved.approved_parts.order_by("position"))
    assert [p.title for p in parts] == ["Starting well", "Living well"]
    assert parts[0].description == "Every child has the best start."
    assert [p.priority_id for p in parts] == [priorities[0].pk, priorities[1].pk]
    # Only parts approved: the rest of the text is still being written.
    strategy.refresh_from_db()
    assert strategy.editing_closed_reason == ""
    with pytest.raises(ValueError):
        parts[0].title = "Something else"
        parts[0].save()


def test_only_an_approval_approves_parts_and_only_its_own(
    board_gate, secretary, priorities, other_org
):
    with pytest.raises(WorkflowError, match="Only an approval or an endorsement"):
        decide(board_gate, secretary, "noted", approved_parts=priorities[:1])
    from tests.factories import StrategyFactory

    elsewhere = add_priority(StrategyFactory(lead_organisation=other_org), "Not ours")
    with pytest.raises(WorkflowError, match="priorities of this strategy"):
        decide(board_gate, secretary, "approved", approved_parts=[elsewhere])
    assert not ApprovedPart.objects.exists()


def test_changing_approved_words_is_marked_in_the_history_whatever_the_door(
    approved, priorities, administrator
):
    first, second, third = priorities
    # Through the editing functions the browser and imports use.
    first.title = "Starting well in Dudley"
    editing.with_reason(first, "Reworded after the Board").save()
    row = Priority.history.filter(id=first.pk).latest("history_id")
    assert "Reworded after the Board" in row.history_change_reason
    assert "Changes words approved by the Health and Wellbeing Board" in row.history_change_reason
    # A move, or a priority no decision named, is not marked.
    third.title = "Ageing well in Dudley"
    third.save()
    assert not Priority.history.filter(id=third.pk).latest("history_id").history_change_reason
    # Through the admin.
    client = client_for(administrator)
    url = reverse("admin:strategies_priority_change", args=[second.pk])
    data = admin_form_data(client, url)
    data["title"] = "Living well and working well"
    client.post(url, data)
    row = Priority.history.filter(id=second.pk).latest("history_id")
    assert row.title == "Living well and working well"
    assert "Changes words approved by" in (row.history_change_reason or "")
    # Removing an approved priority is marked too.
    editing.delete_item(Priority.objects.get(pk=second.pk), "No longer needed")
    row = Priority.history.filter(id=second.pk, history_type="-").get()
    assert "Removes a priority approved by" in row.history_change_reason


def test_the_officer_is_warned_before_and_after_changing_approved_words(
    approved, priorities, officer, strategy
):
    client = client_for(officer)
    first = priorities[0]
    url = reverse("strategies:edit-item", args=[strategy.slug, "priorities", first.pk])
    page = client.get(url).content.decode()
    assert "was approved by name" in page
    assert "Approved by the Health and Wellbeing Board" in page
    untouched = reverse(
        "strategies:edit-item", args=[strategy.slug, "priorities", priorities[2].pk]
    )
    assert "was approved by name" not in client.get(untouched).content.decode()
    response = client.post(
        url,
        {"title": "Starting well together", "description": first.description,
         "version": first.version, "reason": ""},
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    assert "These are no longer the words approved by the Health and Wellbeing Board" in page
    # The strategy page says it beside the priority, and the decision page says what changed.
    page = client.get(strategy.get_absolute_url()).content.decode()
    assert "Its words have changed since they were approved" in page
    page = client.get(approved.get_absolute_url()).content.decode()
    assert "Only these priorities" in page
    assert "words changed since" in page and "now “Starting well together”" in page


def test_the_decision_form_offers_the_priorities_and_shows_a_refusal_beside_them(
    board_gate, secretary, priorities
):
    meeting = meeting_of(board_gate.body)
    workflow.schedule_gate(board_gate, meeting, secretary)
    client = client_for(secretary)
    url = reverse("governance:record-decision", args=[board_gate.pk])
    page = client.get(url).content.decode()
    assert "It approved only these priorities" in page
    response = client.post(
        url,
        {"outcome": "noted", "decided_on": meeting.local_day.isoformat(),
         "decided_precision": "day", "resolution": "Noted.",
         "approved_parts": [priorities[0].pk]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Only an approval or an endorsement" in response.content.decode()
    assert not Decision.objects.exists()
    client.post(
        url,
        {"outcome": "approved", "decided_on": meeting.local_day.isoformat(),
         "decided_precision": "day", "resolution": "Approved the priorities.",
         "approved_parts": [priorities[1].pk]},
    )  # fmt: skip
    assert [p.title for p in Decision.objects.get().approved_parts.all()] == ["Living well"]


def test_the_admin_names_the_priorities_by_number(administrator, board_gate, board, priorities):
    client = client_for(administrator)
    meeting = meeting_of(board)
    workflow.schedule_gate(board_gate, meeting, administrator)
    common = {
        "apply": "1",
        "outcome": "approved",
        "decided_on": timezone.localdate().isoformat(),
        "resolution": "Approved the priorities.",
    }
    response = action(
        client, "governance_gate", "record_decision", [board_gate.pk],
        approved_numbers="2, 7", **common,
    )  # fmt: skip
    assert "no priority numbered 7" in response.content.decode()
    assert not Decision.objects.exists()
    # A range written backwards is no priority at all, which would mean the whole strategy:
    # refused. A huge one names the first number past the last priority, not every number.
    for typed, said in [
        ("3-1", "“3-1” is not a priority"),
        ("1-999999999", "has no priority numbered"),
    ]:
        response = action(
            client, "governance_gate", "record_decision", [board_gate.pk],
            approved_numbers=typed, **common,
        )  # fmt: skip
        assert said in response.content.decode() and len(response.content) < 200_000
        assert not Decision.objects.exists()
    action(
        client, "governance_gate", "record_decision", [board_gate.pk],
        approved_numbers="1-2", **common,
    )  # fmt: skip
    decision = Decision.objects.get()
    assert [p.title for p in decision.approved_parts.all()] == ["Starting well", "Living well"]
    page = client.get(reverse("admin:governance_decision_change", args=[decision.pk]))
    assert "Starting well" in page.content.decode()


def test_a_correction_carries_the_parts(approved, secretary):
    correction = workflow.correct_decision(
        approved, secretary, "Approved the priorities as the basis.", comment="Wording"
    )
    assert [p.title for p in correction.approved_parts.all()] == ["Starting well", "Living well"]
    # Only the standing decision's parts count.
    assert (
        workflow.standing_parts([p.priority_id for p in correction.approved_parts.all()])
        .filter(decision=approved)
        .count()
        == 0
    )


def test_a_whole_text_approval_names_no_parts(board_gate, secretary, priorities):
    decision = decide(board_gate, secretary, "approved")
    assert not decision.approved_parts.exists()
    assert board_gate.purpose == Purpose.REVIEW


def test_the_remove_page_of_an_approved_priority_warns(approved, priorities, officer, strategy):
    client = client_for(officer)
    url = reverse("strategies:delete-item", args=[strategy.slug, "priorities", priorities[0].pk])
    page = client.get(url).content.decode()
    assert "was approved by name" in page and "Approved by the Health and Wellbeing Board" in page
    url = reverse("strategies:delete-item", args=[strategy.slug, "priorities", priorities[2].pk])
    assert "was approved by name" not in client.get(url).content.decode()
