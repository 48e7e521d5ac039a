"""How the dashboard says that things are late (portal/dashboard/lateness.py): lateness of the
last year in days and first; older lateness (a route that stalled long ago, a strategy brought
in after the fact) in plain words, behind a collapsed "older" group that counts it, still
linking to where to act. And the headline figures: every stage's count, 0 included, as a
figure linking to the filtered list."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from governance import workflow
from governance.models import Meeting, Purpose
from portal.dashboard import Dashboard
from portal.dashboard.gates import gates_section
from portal.dashboard.lateness import OLD_AFTER, Lateness
from strategies.models import Strategy
from tests.factories import StrategyFactory, add_action, add_objective, add_priority
from tests.governance.conftest import at
from tests.ladder import client_for


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def month(day: datetime.date) -> str:
    return date_format(day, "F Y")


def test_a_year_late_is_still_recent_a_day_more_is_old():
    today = timezone.localdate()
    assert not Lateness.of(today - OLD_AFTER, today).is_old
    assert Lateness.of(today - OLD_AFTER - datetime.timedelta(days=1), today).is_old


def test_recent_lateness_in_days_first_older_since_when_in_a_closed_group(
    officer, secretary, strategy, board
):
    recent = workflow.add_gate(strategy, board, Purpose.REVIEW, officer, (), in_days(-30), "day")
    year = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer, (), in_days(-365), "day")
    old = workflow.add_gate(strategy, board, Purpose.ENDORSE, officer, (), in_days(-366), "day")
    ancient = workflow.add_gate(strategy, board, Purpose.NOTE, officer, (), in_days(-3000), "day")
    page = client_for(secretary).get("/").text
    assert "30 days late" in page and "365 days late" in page
    assert "366 days late" not in page and "3000 days late" not in page
    for gate in (old, ancient):
        assert f"Overdue since {month(gate.planned_until)}" in page
    group = page.index("<summary>Older overdue gates (2)</summary>")
    # each kind longest late first
    assert page.index(f"#gate-{year.pk}") < page.index(f"#gate-{recent.pk}") < group
    assert group < page.index(f"#gate-{ancient.pk}") < page.index(f"#gate-{old.pk}")
    assert '<details class="dash-older">' in page  # closed: no `open`
    # The older rows still say what to do and link to it (the board's secretary may act).
    meetings = reverse("governance:meetings")
    assert f"{meetings}?gate={old.pk}" in page and f"{meetings}?gate={ancient.pk}" in page


def test_only_old_lateness_says_nothing_became_late_this_year(officer, strategy, board):
    workflow.add_gate(strategy, board, Purpose.REVIEW, officer, (), in_days(-800), "day")
    page = client_for(officer).get("/").text
    assert "No gate has become overdue in the last year." in page
    assert "No gate is overdue." not in page
    assert "<summary>Older overdue gates (1)</summary>" in page
    assert "days late" not in page


def test_the_older_group_counts_the_rows_it_does_not_show(officer, strategy, board):
    for n in range(14):
        workflow.add_gate(strategy, board, Purpose.NOTE, officer, (), in_days(-400 - n), "day")
    workflow.add_gate(strategy, board, Purpose.REVIEW, officer, (), in_days(-3), "day")
    overdue = gates_section(Dashboard(officer))["overdue"]
    assert len(overdue.recent) == 1 and overdue.recent_more == 0
    assert len(overdue.older) == 11 and overdue.older_in_all == 14 and overdue.older_more == 3
    page = client_for(officer).get("/").text
    assert "<summary>Older overdue gates (14)</summary>" in page and "and 3 more" in page


def test_a_deadline_missed_years_ago_is_not_a_warning_badge(officer, secretary, strategy, board):
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    workflow.schedule_gate(gate, Meeting.objects.create(body=board, starts_at=at(700)), secretary)
    page = client_for(officer).get("/").text
    assert "not recorded as published" in page  # still said, with its link to the route
    assert "<summary>Deadlines missed more than a year ago (1)</summary>" in page
    assert "Missed in " in page and ">Warning</span>" not in page
    assert "No statutory deadline is at risk or was missed in the last year." in page


def test_actions_late_for_years_are_said_since_when(manager, lead_org):
    strategy = StrategyFactory(lead_organisation=lead_org, stage=Strategy.Stage.IN_DELIVERY)
    objective = add_objective(add_priority(strategy, "Live well"), "Move more")
    old = add_action(objective, "Free swimming", status="delayed", due_date=in_days(-3000))
    add_action(objective, "Walking groups", status="delayed", due_date=in_days(-10))
    page = client_for(manager).get("/").text
    url = reverse("delivery:action", kwargs={"slug": strategy.slug, "pk": old.pk})
    assert "10 days late" in page and "3000 days late" not in page
    assert f"Overdue since {month(in_days(-3000))}" in page
    assert "<summary>Actions overdue for more than a year (1)</summary>" in page
    assert page.index("Walking groups") < page.index(f'href="{url}">Free swimming')


def test_every_stage_is_a_figure_linking_to_its_list_zero_included(officer, strategy):
    page = client_for(officer).get("/").text
    assert "btn-outline-secondary" not in page  # information, not a row of grey buttons
    strategies = reverse("strategies:list")
    for stage, count in [("draft", 1), ("in_governance", 0), ("in_delivery", 0)]:
        label = Strategy.Stage(stage).label
        assert (
            f'href="{strategies}?stage={stage}"><span class="dash-figure-number">{count}</span> '
            f'<span class="dash-figure-label">{label}</span>'
        ) in page
    assert "?stage=withdrawn" not in page  # the stages left behind only when there are some


def test_milestones_and_reviews_late_for_years_are_in_their_own_older_groups(manager, lead_org):
    """Every list with an older group writes it through templates/portal/_dashboard_older.html:
    the milestones' and the reviews' too, each row still linking to where to act."""
    from delivery.models import Milestone

    strategy = StrategyFactory(
        lead_organisation=lead_org, stage=Strategy.Stage.IN_DELIVERY, review_due_on=in_days(-800)
    )
    objective = add_objective(add_priority(strategy, "Live well"), "Move more")
    action = add_action(objective, "Free swimming", status="on_track", due_date=in_days(200))
    Milestone.objects.create(action=action, title="Evaluation reported", due_on=in_days(-900))
    page = client_for(manager).get("/").text
    milestones = page.index("<summary>Milestones overdue for more than a year (1)</summary>")
    url = reverse("delivery:action", kwargs={"slug": strategy.slug, "pk": action.pk})
    assert page.index(f'href="{url}#milestones-heading"', milestones) > milestones
    reviews = page.index("<summary>Reviews due for more than a year (1)</summary>")
    assert page.index(strategy.title, reviews) > reviews
    assert "Record an update on each action's page" not in page  # no old action: no note


def test_responses_owed_for_years_are_in_their_own_older_group(officer, strategy):
    """A consultation that closed long ago with its response ("you said, we did") never
    published: in the responses' older group, said since when, linking to its window."""
    from consultation.models import ConsultationWindow

    old = ConsultationWindow.objects.create(
        strategy=strategy, title="Long closed", slug="long-closed", opens_on=in_days(-700),
        closes_on=in_days(-600), minimum_days=84, state="closed",
    )  # fmt: skip
    ConsultationWindow.objects.create(
        strategy=strategy, title="Lately closed", slug="lately-closed", opens_on=in_days(-190),
        closes_on=in_days(-100), minimum_days=84, state="closed",
    )  # fmt: skip
    page = client_for(officer).get("/").text
    group = page.index("<summary>Responses overdue for more than a year (1)</summary>")
    assert page.index("Lately closed") < group  # the recent one first, in days
    assert "16 days late" in page
    assert page.index(f'href="{old.get_absolute_url()}">Long closed', group) > group
    due = old.closes_on + ConsultationWindow.RESPONSE_WITHIN
    assert f"Overdue since {month(due)}" in page
