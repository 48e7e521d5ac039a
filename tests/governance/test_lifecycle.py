"""A strategy's life after publication, through the workflow: into delivery with a review date,
under review and back, a refresh copied from it that replaces it, and the strategy it replaces
superseded when the refresh is adopted. Each move is a transition with who and why."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from governance import workflow
from governance.models import Purpose, Transition
from strategies.models import Action, OutcomeIndicator, Strategy
from tests.governance.conftest import decide
from tests.governance.test_publish_and_exports import adopted  # noqa: F401 (fixture)

Stage = Strategy.Stage
pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def published(adopted, officer):  # noqa: F811
    workflow.publish(adopted, officer)
    adopted.refresh_from_db()
    return adopted


@pytest.fixture
def delivering(published, officer):
    workflow.start_delivery(published, officer, days(365), "Action plan agreed")
    published.refresh_from_db()
    return published


def last_move(strategy) -> Transition:
    return Transition.objects.filter(strategy=strategy, gate=None).order_by("pk").last()


def test_publishing_keeps_the_day_and_delivery_starts_with_a_review_date(published, officer):
    assert published.published_on == timezone.localdate() and published.has_public_page
    with pytest.raises(workflow.WorkflowError, match="past") as refused:
        workflow.start_delivery(published, officer, days(-1))
    assert refused.value.field == "review_due_on"
    workflow.start_delivery(published, officer, days(365), "Action plan agreed")
    published.refresh_from_db()
    assert (published.stage, published.review_due_on) == (Stage.IN_DELIVERY, days(365))
    move = last_move(published)
    assert (move.from_state, move.to_state, move.by) == (
        Stage.PUBLISHED,
        Stage.IN_DELIVERY,
        officer,
    )
    assert move.comment.startswith("Action plan agreed (review due")
    assert published.history.first().history_user == officer


def test_only_the_lead_organisations_officers_move_it(delivering, manager, secretary, officer):
    for person in (manager, secretary):
        assert workflow.start_review_refusal(person, delivering)
        with pytest.raises(workflow.WorkflowError):
            workflow.start_review(delivering, person, "Annual review")
    assert workflow.start_delivery_refusal(officer, delivering) == (
        "Only a strategy that is published moves into delivery; this one is in delivery."
    )


def test_the_review_date_is_moved_with_a_reason(delivering, officer):
    with pytest.raises(workflow.WorkflowError, match="why"):
        workflow.set_review_date(delivering, officer, days(100), " ")
    workflow.set_review_date(delivering, officer, days(100), "Board asked for an earlier review")
    delivering.refresh_from_db()
    assert delivering.review_due_on == days(100)
    assert not workflow.is_review_due(delivering)
    assert workflow.is_review_due(delivering, today=days(100))
    assert "Board asked" in delivering.history.first().history_change_reason


def test_a_review_that_changes_nothing_goes_back_into_delivery(delivering, officer):
    workflow.start_review(delivering, officer, "Due for its annual review")
    delivering.refresh_from_db()
    assert delivering.stage == Stage.UNDER_REVIEW and delivering.has_public_page
    workflow.end_review(delivering, officer, days(365), "Still right for the next year")
    delivering.refresh_from_db()
    assert delivering.stage == Stage.IN_DELIVERY and delivering.review_due_on == days(365)


def test_a_review_that_changed_the_text_must_take_it_through_the_route(delivering, officer):
    workflow.start_review(delivering, officer, "Due for its annual review")
    Action.objects.filter(objective__priority__strategy=delivering).update(title="Changed")
    delivering.refresh_from_db()
    assert "changed since it was published" in workflow.end_review_refusal(officer, delivering)


def test_a_refresh_copies_the_content_replaces_it_and_supersedes_it_once_adopted(
    delivering, officer, secretary, board
):
    indicator = OutcomeIndicator.objects.create(
        strategy=delivering,
        position=1,
        framework="local",
        title="Smoking at delivery",
        baseline=15,
        latest_value=12,
        latest_date=days(-30),
    )
    Action.objects.filter(objective__priority__strategy=delivering).update(status="complete")
    refresh = workflow.start_refresh(
        delivering, officer, "Health and Wellbeing Strategy 2027-2032", 2027, 2032, "Period ends"
    )
    assert refresh.stage == Stage.DRAFT and refresh.replaces == delivering
    assert list(delivering.replaced_by.all()) == [refresh]
    copied = Action.objects.get(objective__priority__strategy=refresh)
    assert copied.title == "Smoking cessation in pregnancy" and copied.status == "not_started"
    copied_indicator = refresh.indicators.get()
    assert (copied_indicator.baseline, copied_indicator.latest_value) == (indicator.baseline, None)
    assert "Refresh started" in delivering.history.first().history_change_reason
    assert workflow.start_refresh_refusal(officer, delivering).startswith("A refresh is already")

    gate = workflow.add_gate(refresh, board, Purpose.ADOPT, officer)
    decide(gate, secretary)
    refresh.refresh_from_db()
    delivering.refresh_from_db()
    assert refresh.stage == Stage.ADOPTED
    assert delivering.stage == Stage.SUPERSEDED and delivering.has_public_page
    move = last_move(delivering)
    assert (move.from_state, move.to_state) == (Stage.IN_DELIVERY, Stage.SUPERSEDED)
    assert move.comment.startswith(f"Replaced by “{refresh.title}”, adopted")


def test_a_progress_reports_gate_does_not_move_a_strategy_in_delivery(
    delivering, officer, secretary, board
):
    gate = workflow.add_gate(delivering, board, Purpose.MONITOR, officer)
    decide(gate, secretary, outcome="referred_back")
    delivering.refresh_from_db()
    assert delivering.stage == Stage.IN_DELIVERY


def test_the_route_page_offers_the_moves_and_each_page_makes_one(published, officer):
    from django.urls import reverse

    from tests.conftest import client_for

    client = client_for(officer)
    route = client.get(reverse("governance:route", kwargs={"slug": published.slug})).content
    start = reverse("governance:lifecycle", args=[published.slug, "start-delivery"])
    assert start.encode() in route
    assert reverse("governance:lifecycle", args=[published.slug, "refresh"]).encode() in route
    assert (
        reverse("governance:lifecycle", args=[published.slug, "end-review"]).encode() not in route
    )
    # A date in the past comes back beside its field, with what was typed.
    typed = {"review_due_on": "2001-02-03", "reason": "Plan agreed"}
    again = client.post(start, typed)
    assert again.status_code == 400
    page = again.content.decode()
    assert "The review date cannot be in the past." in page and 'value="2001-02-03"' in page
    assert 'value="Plan agreed"' in page
    done = client.post(start, {"review_due_on": f"{days(400):%Y-%m-%d}", "reason": ""})
    assert done.status_code == 302
    published.refresh_from_db()
    assert published.stage == Stage.IN_DELIVERY
    # The move is not offered again, and its page says why.
    refused = client.get(start)
    assert "moves into delivery; this one is in delivery" in refused.content.decode()
    assert client.post(start, {"review_due_on": f"{days(10):%Y-%m-%d}"}).status_code == 409
    assert (
        client.get(
            reverse("governance:lifecycle", args=[published.slug, "no-such-move"])
        ).status_code
        == 404
    )


def test_a_refresh_started_from_its_page_opens_the_new_draft(delivering, officer):
    from django.urls import reverse

    from tests.conftest import client_for

    url = reverse("governance:lifecycle", args=[delivering.slug, "refresh"])
    client = client_for(officer)
    form = client.get(url).content.decode()
    assert f'value="{delivering.end_year + 1}"' in form  # the next period, offered
    bad = client.post(
        url, {"title": "Refresh", "start_year": 2030, "end_year": 2029, "reason": "x"}
    )
    assert "The last year must be after the first year." in bad.content.decode()
    done = client.post(
        url, {"title": "Refreshed strategy", "start_year": 2030, "end_year": 2035, "reason": "Due"}
    )
    refresh = Strategy.objects.get(title="Refreshed strategy")
    assert done["Location"] == refresh.get_absolute_url() and refresh.replaces == delivering


def test_both_pages_and_both_public_pages_say_replaced_by_and_replaces(
    delivering, officer, secretary, board
):
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import client_for

    refresh = workflow.start_refresh(delivering, officer, "The refresh", 2030, 2035, "Due")
    client = client_for(officer)
    old_page = client.get(delivering.get_absolute_url()).content.decode()
    assert "Being replaced by" in old_page and refresh.get_absolute_url() in old_page
    assert delivering.get_absolute_url() in client.get(refresh.get_absolute_url()).content.decode()

    decide(workflow.add_gate(refresh, board, Purpose.ADOPT, officer), secretary)
    refresh.refresh_from_db()
    workflow.publish(refresh, officer)
    public = Client()
    old_public = public.get(reverse("published-strategy", args=[delivering.slug]))
    assert old_public.status_code == 200  # kept, saying what replaced it
    text = old_public.content.decode()
    assert "has been replaced by" in text
    assert reverse("published-strategy", args=[refresh.slug]) in text
    new_public = public.get(reverse("published-strategy", args=[refresh.slug])).content.decode()
    assert reverse("published-strategy", args=[delivering.slug]) in new_public
    assert "Replaced by" in client.get(delivering.get_absolute_url()).content.decode()


def test_the_officers_are_reminded_once_when_the_review_is_due(
    delivering, officer, second_officer, manager, settings
):
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    for user in (officer, second_officer, manager):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    call_command("send_reminders", stdout=StringIO())
    assert not mail.outbox  # a year away
    Strategy.objects.filter(pk=delivering.pk).update(review_due_on=days(0))
    call_command("send_reminders", stdout=StringIO())
    call_command("send_reminders", stdout=StringIO())
    assert sorted(m.to[0].split("@")[0] for m in mail.outbox) == ["olivia", "oscar"]
    assert mail.outbox[0].subject == f"[Waymark] Due for review: {delivering.title}"
    assert f"/strategies/{delivering.slug}/route/" in mail.outbox[0].body
    workflow.start_review(delivering, officer, "Reviewing it")
    mail.outbox.clear()
    Strategy.objects.filter(pk=delivering.pk).update(review_due_on=days(-1))
    call_command("send_reminders", stdout=StringIO())
    assert not mail.outbox  # under review already


def test_the_dashboard_lists_the_reviews_due_linking_to_the_route(delivering, manager, officer):
    from tests.conftest import client_for

    page = client_for(manager).get("/").content.decode()
    assert "1 strategy in delivery" in " ".join(page.split())
    assert "None due." in page  # a year away
    Strategy.objects.filter(pk=delivering.pk).update(review_due_on=days(-3))
    page = " ".join(client_for(officer).get("/").content.decode().split())
    assert "Review due</span>" in page and "(3 days ago)" in page
    assert f'href="/strategies/{delivering.slug}/route/"' in page


def test_the_admin_moves_it_by_the_same_rules(published, administrator):
    from django.urls import reverse

    from tests.conftest import client_for

    url = reverse("admin:strategies_strategy_changelist")
    client = client_for(administrator)
    chosen = {"action": "start_delivery", "_selected_action": [published.pk]}
    form = client.post(url, chosen)
    assert "Move into delivery" in form.content.decode()
    past = client.post(url, {**chosen, "apply": "1", "review_due_on": "2001-01-01", "reason": ""})
    assert "The review date cannot be in the past." in past.content.decode()
    assert Strategy.objects.get(pk=published.pk).stage == Stage.PUBLISHED
    day = f"{days(200):%Y-%m-%d}"
    client.post(url, {**chosen, "apply": "1", "review_due_on": day, "reason": "Plan agreed"})
    published.refresh_from_db()
    assert (published.stage, published.review_due_on) == (Stage.IN_DELIVERY, days(200))
    assert last_move(published).by == administrator


def test_a_progress_reports_gate_leaves_a_strategy_adopted_without_a_route_be(
    strategy, officer, secretary, board
):
    Strategy.objects.filter(pk=strategy.pk).update(stage=Stage.IN_DELIVERY)
    strategy.refresh_from_db()
    gate = workflow.add_gate(strategy, board, Purpose.MONITOR, officer)
    strategy.refresh_from_db()
    assert strategy.stage == Stage.IN_DELIVERY
    decide(gate, secretary, outcome="noted")
    strategy.refresh_from_db()
    assert strategy.stage == Stage.IN_DELIVERY


def test_a_review_that_changed_the_text_goes_through_the_route_and_is_published_again(
    delivering, officer, secretary, board
):
    workflow.start_review(delivering, officer, "Annual review")
    Strategy.objects.filter(pk=delivering.pk).update(vision="A changed vision")
    delivering.refresh_from_db()
    decide(workflow.add_gate(delivering, board, Purpose.ADOPT, officer), secretary)
    delivering.refresh_from_db()
    assert delivering.stage == Stage.ADOPTED
    workflow.publish(delivering, officer)
    delivering.refresh_from_db()
    assert delivering.stage == Stage.PUBLISHED and delivering.has_public_page


def test_a_gate_to_note_leaves_an_adopted_strategys_text_closed(adopted, officer, board):  # noqa: F811
    workflow.add_gate(adopted, board, Purpose.NOTE, officer)
    adopted.refresh_from_db()
    assert adopted.stage == Stage.ADOPTED


def test_the_admins_review_actions_move_it_under_review_and_back(delivering, administrator):
    from django.urls import reverse

    from tests.conftest import client_for

    url = reverse("admin:strategies_strategy_changelist")
    client = client_for(administrator)
    chosen = {"_selected_action": [delivering.pk], "apply": "1"}
    day = f"{days(300):%Y-%m-%d}"
    client.post(
        url, {**chosen, "action": "set_review_date", "review_due_on": day, "reason": "Board"}
    )
    delivering.refresh_from_db()
    assert delivering.review_due_on == days(300)
    client.post(url, {**chosen, "action": "start_review", "reason": "Annual review"})
    delivering.refresh_from_db()
    assert delivering.stage == Stage.UNDER_REVIEW
    client.post(url, {**chosen, "action": "end_review", "review_due_on": day, "reason": "Kept"})
    delivering.refresh_from_db()
    assert delivering.stage == Stage.IN_DELIVERY and last_move(delivering).by == administrator
