"""Theme suggestions through the workflow (consultation/workflow/suggestions.py): asking for
them, the background task that finds them with its progress, each decision (accept, rename,
merge, reject) and who may make it when, and confirming the tags they suggest."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from consultation import workflow
from consultation.models import (
    ConsultationWindow,
    ResponseTheme,
    SuggestionRun,
    Theme,
    ThemeSuggestion,
)
from governance.workflow import WorkflowError
from tests.consultation.conftest import answers_for

TOPICS = [
    ("The evening bus services to {p} are unreliable.", "Bus services are being cut in {p}."),
    ("Parking near {p} is impossible, more disabled spaces.", "Parking charges in {p} are high."),
    ("Mental health waiting lists in {p} are months long.", "Mental health support in {p}."),
]
PLACES = ["Northfield", "Riverside", "Eastgate", "the estate", "Hillside"]


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def comment_on(window: ConsultationWindow, n: int = 30) -> list:
    """`n` responses, each on one of three topics, in its general comments and on a priority."""
    responses = []
    for i in range(n):
        general, on_priority = TOPICS[i % 3]
        place = PLACES[i % len(PLACES)]
        answers = answers_for(window, 4, on_priority.format(p=place))
        responses.append(
            workflow.submit_response(window, "individual", answers, general.format(p=place))
        )
    return responses


@pytest.fixture
def commented(open_window):
    comment_on(open_window)
    return open_window


def suggest(window, by, django_capture_on_commit_callbacks) -> SuggestionRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = workflow.request_suggestions(window, by)
    run.refresh_from_db()
    return run


@pytest.fixture
def found(commented, officer, django_capture_on_commit_callbacks):
    return suggest(commented, officer, django_capture_on_commit_callbacks)


def by_topic(run: SuggestionRun, word: str) -> ThemeSuggestion:
    return next(s for s in run.suggestions.all() if word in s.label.lower())


# Asking, and the task --------------------------------------------------------------------------


def test_an_officer_asks_and_the_task_finds_the_themes_with_its_progress_on_record(found, officer):
    assert found.state == SuggestionRun.State.DONE and found.progress == 100
    assert found.responses_read == 30 and found.finished_at >= found.started_at
    assert found.message == "Found 3 themes in 30 responses with comments."
    assert "NMF" in found.method
    labels = sorted(s.label.lower() for s in found.suggestions.all())
    assert any("bus" in label for label in labels) and any("parking" in label for label in labels)
    assert sorted(len(s.response_ids) for s in found.suggestions.all()) == [10, 10, 10]
    history = list(found.history.order_by("history_id"))
    assert [h.state for h in history][0] == "queued" and history[-1].state == "done"
    assert {h.history_user for h in history} == {officer}
    assert history[0].history_change_reason == "Theme suggestions asked for"


def test_the_task_is_queued_only_once_the_request_has_committed(
    commented, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        run = workflow.request_suggestions(commented, officer)
    run.refresh_from_db()
    assert run.state == SuggestionRun.State.QUEUED and len(callbacks) == 1
    callbacks[0]()
    run.refresh_from_db()
    assert run.state == SuggestionRun.State.DONE


def test_a_run_that_is_not_waiting_is_left_as_it_is(found):
    workflow.run_suggestions(found.pk)  # picked up twice
    assert found.suggestions.count() == 3
    assert SuggestionRun.objects.get().state == SuggestionRun.State.DONE


def test_a_run_that_fails_says_so_and_keeps_nothing(
    commented, officer, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("consultation.suggestions.suggest_themes", broken)
    run = suggest(commented, officer, django_capture_on_commit_callbacks)
    assert run.state == SuggestionRun.State.FAILED
    assert run.message == "Something went wrong finding themes."
    assert not ThemeSuggestion.objects.exists()
    assert workflow.request_refusal(commented, officer) is None  # it can be asked again


def test_no_comments_give_a_run_that_says_so(
    open_window, officer, django_capture_on_commit_callbacks
):
    workflow.submit_response(open_window, "individual", answers_for(open_window))
    run = suggest(open_window, officer, django_capture_on_commit_callbacks)
    assert run.state == SuggestionRun.State.DONE and run.message == "No comments to read yet."
    assert not run.suggestions.exists()


def test_only_those_who_run_the_consultation_ask(commented, secretary, manager, other_officer):
    for person in [secretary, manager, other_officer]:
        with pytest.raises(WorkflowError, match="Only officers of the lead organisation"):
            workflow.request_suggestions(commented, person)
    assert not SuggestionRun.objects.exists()


def test_not_before_it_opens_nor_after_its_response_is_published(planned, officer):
    with pytest.raises(WorkflowError, match="once the consultation has opened"):
        workflow.request_suggestions(planned, officer)
    ConsultationWindow.objects.filter(pk=planned.pk).update(state="response_published")
    planned.refresh_from_db()
    with pytest.raises(WorkflowError, match="has been published"):
        workflow.request_suggestions(planned, officer)


def test_closed_consultations_may_still_ask(commented, officer, django_capture_on_commit_callbacks):
    workflow.close_window(commented, officer, "Enough responses")
    commented.refresh_from_db()
    assert suggest(commented, officer, django_capture_on_commit_callbacks).state == "done"


def test_one_run_at_a_time_unless_it_has_lost_its_worker(commented, officer):
    run = workflow.request_suggestions(commented, officer)  # the test never commits: it waits
    with pytest.raises(WorkflowError, match="being found in the comments now"):
        workflow.request_suggestions(commented, officer)
    SuggestionRun.objects.filter(pk=run.pk).update(
        requested_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert workflow.request_refusal(commented, officer) is None


# Deciding --------------------------------------------------------------------------------------


def test_accepting_adds_the_theme_and_tags_its_responses_as_suggested(found, officer):
    bus = by_topic(found, "bus")
    theme = workflow.accept_suggestion(bus, officer)
    assert theme.name == bus.label and theme.window == found.window
    assert "Suggested from the comments" in theme.description
    links = ResponseTheme.objects.filter(theme=theme)
    assert sorted(links.values_list("response_id", flat=True)) == bus.response_ids
    assert all(link.suggested for link in links)
    bus.refresh_from_db()
    assert (bus.decision, bus.theme, bus.decided_by) == ("accepted", theme, officer)
    tag_history = ResponseTheme.history.filter(theme_id=theme.pk)
    assert tag_history.count() == 10
    assert {h.history_user for h in tag_history} == {officer}
    assert theme.history.get().history_change_reason == f"Theme suggestion “{bus.label}” accepted"


def test_accepting_under_another_name_renames_it(found, officer):
    parking = by_topic(found, "parking")
    theme = workflow.accept_suggestion(parking, officer, "  Parking   and  blue badges ")
    assert theme.name == "Parking and blue badges"
    assert theme.history.get().history_change_reason.endswith("as “Parking and blue badges”")


def test_a_name_the_consultation_has_is_refused_beside_the_name(found, officer):
    Theme.objects.create(window=found.window, name="Buses")
    with pytest.raises(WorkflowError, match="already a theme “Buses”. Merge") as refused:
        workflow.accept_suggestion(by_topic(found, "bus"), officer, "buses")
    assert refused.value.field == "name"
    with pytest.raises(WorkflowError, match="Keep the name to 120") as refused:
        workflow.accept_suggestion(by_topic(found, "bus"), officer, "x" * 121)
    assert refused.value.field == "name"
    assert by_topic(found, "bus").decision == "pending"


def test_merging_tags_the_theme_leaving_tags_people_made_as_they_are(found, officer):
    bus = by_topic(found, "bus")
    transport = Theme.objects.create(window=found.window, name="Transport")
    mine = found.window.responses.get(pk=bus.response_ids[0])
    workflow.set_tag(mine, transport, True, by=officer)
    workflow.merge_suggestion(bus, transport, officer)
    links = ResponseTheme.objects.filter(theme=transport)
    assert links.count() == 10
    assert not links.get(response=mine).suggested
    assert links.filter(suggested=True).count() == 9
    bus.refresh_from_db()
    assert (bus.decision, bus.theme) == ("merged", transport)


def test_merging_into_another_consultations_theme_is_refused(found, officer, strategy):
    elsewhere = ConsultationWindow.objects.create(
        strategy=strategy, title="Other", slug="other", minimum_days=84
    )
    theirs = Theme.objects.create(window=elsewhere, name="Transport")
    with pytest.raises(WorkflowError, match="Choose a theme of this consultation") as refused:
        workflow.merge_suggestion(by_topic(found, "bus"), theirs, officer)
    assert refused.value.field == "theme"


def test_rejecting_tags_nothing(found, officer):
    bus = workflow.reject_suggestion(by_topic(found, "bus"), officer)
    assert bus.decision == "rejected" and bus.theme is None
    assert not ResponseTheme.objects.exists() and not Theme.objects.exists()


def test_a_suggestion_is_decided_once_and_the_second_person_is_told_by_whom(
    found, officer, second_officer
):
    bus = by_topic(found, "bus")
    stale = ThemeSuggestion.objects.get(pk=bus.pk)  # the second officer's page, before
    workflow.accept_suggestion(bus, officer)
    for move in [
        lambda: workflow.reject_suggestion(stale, second_officer),
        lambda: workflow.accept_suggestion(stale, second_officer, "Buses"),
    ]:
        with pytest.raises(WorkflowError, match=f"already accepted by {officer.display_name}"):
            move()
    assert Theme.objects.count() == 1


def test_only_those_who_run_it_decide_and_not_once_published(found, secretary, officer):
    bus = by_topic(found, "bus")
    with pytest.raises(WorkflowError, match="Only officers of the lead organisation"):
        workflow.accept_suggestion(bus, secretary)
    ConsultationWindow.objects.filter(pk=found.window_id).update(state="response_published")
    with pytest.raises(WorkflowError, match="has been published"):
        workflow.reject_suggestion(bus, officer)
    assert by_topic(found, "bus").decision == "pending"


# Confirming ------------------------------------------------------------------------------------


@pytest.fixture
def accepted(found, officer) -> Theme:
    return workflow.accept_suggestion(by_topic(found, "bus"), officer)


def test_confirming_one_response_then_all(accepted, officer):
    first = ResponseTheme.objects.filter(theme=accepted).order_by("pk").first().response
    assert workflow.confirm_tags(accepted, officer, first) == 1
    assert ResponseTheme.objects.filter(theme=accepted, suggested=True).count() == 9
    assert workflow.confirm_tags(accepted, officer) == 9
    assert not ResponseTheme.objects.filter(suggested=True).exists()
    confirmed = ResponseTheme.history.filter(theme_id=accepted.pk, suggested=False)
    assert confirmed.count() == 10 and {h.history_user for h in confirmed} == {officer}
    assert confirmed.filter(history_change_reason__endswith=f"of {first.reference} confirmed")


def test_saving_a_responses_themes_confirms_those_kept(accepted, officer, found):
    response = ResponseTheme.objects.filter(theme=accepted).first().response
    workflow.set_tag(response, accepted, True, by=officer)
    link = ResponseTheme.objects.get(response=response, theme=accepted)
    assert not link.suggested
    assert link.history.latest().history_change_reason.endswith("confirmed")
    other = ResponseTheme.objects.filter(theme=accepted, suggested=True).first().response
    workflow.set_tag(other, accepted, False, by=officer)  # not kept: the tag goes
    assert not ResponseTheme.objects.filter(response=other, theme=accepted).exists()


def test_only_those_who_run_it_confirm(accepted, secretary):
    with pytest.raises(WorkflowError, match="Only officers of the lead organisation"):
        workflow.confirm_tags(accepted, secretary)
    assert ResponseTheme.objects.filter(suggested=True).count() == 10


def test_suggested_tags_and_their_confirmation_are_in_the_audit_ledger(found, officer):
    """Written and confirmed in bulk, each tag's history row still has its ledger entry."""
    from tests.audit.conftest import verify

    theme = workflow.accept_suggestion(by_topic(found, "bus"), officer)
    assert workflow.confirm_tags(theme, officer) > 0
    report = verify()
    assert "Audit intact:" in report, report
