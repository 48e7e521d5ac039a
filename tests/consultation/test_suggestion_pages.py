"""The theme suggestions in the browser and the admin: the page (who reads it, what it offers,
its progress while a run goes), deciding with forms that come back with what was typed and the
problem beside its field, the "suggested" mark and its confirmation on the analysis page, the
query counts, and the read-only admin with its history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consultation import workflow
from consultation.models import ResponseTheme, SuggestionRun, Theme, ThemeSuggestion
from tests.conftest import client_for
from tests.consultation.test_suggestions import by_topic, comment_on, suggest
from tests.ladder import climb


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def found(open_window, officer, django_capture_on_commit_callbacks):
    comment_on(open_window)
    return suggest(open_window, officer, django_capture_on_commit_callbacks)


def page_url(window) -> str:
    return reverse("consultation:suggestions", kwargs={"pk": window.pk})


def decide_url(suggestion) -> str:
    return reverse(
        "consultation:suggestion-decide",
        kwargs={"pk": suggestion.run.window_id, "suggestion_pk": suggestion.pk},
    )


def test_the_page_is_read_with_the_responses_and_its_moves_are_for_those_who_run_it(request, found):
    url = page_url(found.window)
    climb(
        request,
        url,
        {
            "officer": 200,
            "secretary": 200,
            "manager": 200,
            "administrator": 200,
            "other_officer": 404,
            "off_route_secretary": 403,
        },
    )
    run = reverse("consultation:suggestions-run", kwargs={"pk": found.window_id})
    climb(request, run, {"secretary": 403, "manager": 403, "other_officer": 404}, "post")


def test_the_page_shows_each_suggestion_with_its_terms_count_and_best_responses(found, officer):
    page = client_for(officer).get(page_url(found.window)).content.decode()
    bus = by_topic(found, "bus")
    assert bus.label in page and ", ".join(bus.key_terms) in page
    assert "Covers:</strong> 10 responses" in page
    example = found.window.responses.get(pk=bus.representative_ids[0])
    assert example.reference in page and example.general_comments in page
    assert page.count("Accept as a theme") == 3 and "Reject" in page
    assert "Found 3 themes in 30 responses with comments." in page
    assert "Suggest themes again" in page


def test_readers_see_the_suggestions_but_no_moves(found, manager, secretary):
    for person in [manager, secretary]:
        page = client_for(person).get(page_url(found.window)).content.decode()
        assert by_topic(found, "bus").label in page
        assert "Accept as a theme" not in page and "Suggest themes" not in page


def test_asking_in_the_browser_runs_the_task_and_says_how_it_went(
    open_window, officer, django_capture_on_commit_callbacks
):
    comment_on(open_window)
    client = client_for(officer)
    run_url = reverse("consultation:suggestions-run", kwargs={"pk": open_window.pk})
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(run_url)
    assert asked["Location"] == page_url(open_window)
    page = client.get(page_url(open_window)).content.decode()
    assert "Finding themes in the comments" in page  # the message, once
    assert SuggestionRun.objects.get().state == "done" and "Accept as a theme" in page


def test_asking_before_it_opens_is_refused_with_the_reason(planned, officer):
    client = client_for(officer)
    page = client.get(page_url(planned)).content.decode()
    assert "Not now: Themes can be suggested once the consultation has opened" in page
    run_url = reverse("consultation:suggestions-run", kwargs={"pk": planned.pk})
    answer = client.post(run_url, follow=True)
    assert "once the consultation has opened" in answer.content.decode()
    assert not SuggestionRun.objects.exists()


def test_while_it_runs_the_page_asks_again_every_two_seconds_then_refreshes(open_window, officer):
    comment_on(open_window, 6)
    workflow.request_suggestions(open_window, officer)  # never commits here: it stays waiting
    client = client_for(officer)
    page = client.get(page_url(open_window)).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Refresh the page" in page
    assert '<progress class="w-100" id="run-progress" max="100" value="0">' in page
    progress = reverse("consultation:suggestions-progress", kwargs={"pk": open_window.pk})
    polled = client.get(progress, HTTP_HX_REQUEST="true")
    assert "every 2s" in polled.content.decode() and "HX-Refresh" not in polled
    workflow.run_suggestions(SuggestionRun.objects.get().pk)
    done = client.get(progress, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "every 2s" not in done.content.decode()


def test_accepting_under_a_name_taken_comes_back_with_what_was_typed(found, officer):
    Theme.objects.create(window=found.window, name="Buses")
    bus = by_topic(found, "bus")
    answer = client_for(officer).post(
        decide_url(bus), {"action": "accept", f"accept-{bus.pk}-name": "buses "}
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Nothing you typed has been lost" in page
    assert 'value="buses "' in page or 'value="buses"' in page
    assert "There is already a theme “Buses”. Merge the suggestion into it" in page
    assert 'class="textinput form-control is-invalid"' in page
    assert ThemeSuggestion.objects.get(pk=bus.pk).decision == "pending"


def test_an_empty_name_or_no_theme_to_merge_into_is_said_beside_the_field(found, officer):
    Theme.objects.create(window=found.window, name="Transport")
    bus = by_topic(found, "bus")
    client = client_for(officer)
    empty = client.post(decide_url(bus), {"action": "accept", f"accept-{bus.pk}-name": ""})
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()
    unchosen = client.post(decide_url(bus), {"action": "merge", f"merge-{bus.pk}-theme": ""})
    assert unchosen.status_code == 200 and "This field is required." in unchosen.content.decode()
    made_up = client.post(decide_url(bus), {"action": "merge", f"merge-{bus.pk}-theme": "x"})
    assert made_up.status_code == 200 and "Select a valid choice" in made_up.content.decode()
    nothing = client.post(decide_url(bus), {"action": "shred"}, follow=True)
    assert "Choose to accept, merge or reject" in nothing.content.decode()
    assert ThemeSuggestion.objects.get(pk=bus.pk).decision == "pending"


def test_accepting_merging_and_rejecting_in_the_browser(found, officer):
    client = client_for(officer)
    bus, parking = by_topic(found, "bus"), by_topic(found, "parking")
    health = by_topic(found, "mental")
    accepted = client.post(
        decide_url(bus), {"action": "accept", f"accept-{bus.pk}-name": "Buses"}, follow=True
    )
    assert "Theme “Buses” added; 10 responses tagged with it, as suggested." in (
        accepted.content.decode()
    )
    buses = Theme.objects.get(name="Buses")
    client.post(decide_url(parking), {"action": "merge", f"merge-{parking.pk}-theme": buses.pk})
    client.post(decide_url(health), {"action": "reject"})
    assert ResponseTheme.objects.filter(theme=buses, suggested=True).count() == 20
    decisions = dict(ThemeSuggestion.objects.values_list("pk", "decision"))
    assert [decisions[s.pk] for s in (bus, parking, health)] == ["accepted", "merged", "rejected"]
    again = client.post(decide_url(health), {"action": "reject"}, follow=True)
    assert f"already rejected by {officer.display_name}" in again.content.decode()


def test_a_suggestion_of_another_consultation_is_not_found(found, officer, strategy):
    from consultation.models import ConsultationWindow

    other = ConsultationWindow.objects.create(
        strategy=strategy, title="Other", slug="other", minimum_days=84
    )
    url = reverse(
        "consultation:suggestion-decide",
        kwargs={"pk": other.pk, "suggestion_pk": by_topic(found, "bus").pk},
    )
    assert client_for(officer).post(url, {"action": "reject"}).status_code == 404


@pytest.fixture
def accepted(found, officer) -> Theme:
    return workflow.accept_suggestion(by_topic(found, "bus"), officer, "Buses")


def test_the_analysis_page_marks_suggested_tags_and_confirms_them_one_by_one(accepted, officer):
    client = client_for(officer)
    window = accepted.window
    analysis = reverse("consultation:analysis", kwargs={"pk": window.pk})
    page = client.get(f"{analysis}?theme={accepted.pk}").content.decode()
    assert page.count('<span class="badge text-bg-warning">suggested</span>') == 10
    assert page.count("Confirm “Buses”") == 10
    link = ResponseTheme.objects.filter(theme=accepted).order_by("pk").first()
    confirm = reverse(
        "consultation:confirm-tags", kwargs={"pk": window.pk, "theme_pk": accepted.pk}
    )
    partial = client.post(confirm, {"response": link.response_id}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "Confirmed." in html and "suggested</span>" not in html
    assert html.startswith(f'<div id="tags-{link.response_id}">')
    link.refresh_from_db()
    assert not link.suggested
    plain = client.post(confirm, {"response": link.response_id})  # without JavaScript
    assert plain["Location"].endswith(f"#response-{link.response_id}")


def test_confirming_all_of_a_themes_suggested_tags_from_the_suggestions_page(accepted, officer):
    client = client_for(officer)
    page = client.get(page_url(accepted.window)).content.decode()
    assert "Confirm all 10 suggested tags of “Buses”" in page
    confirm = reverse(
        "consultation:confirm-tags", kwargs={"pk": accepted.window_id, "theme_pk": accepted.pk}
    )
    answer = client.post(confirm, follow=True)
    assert "10 responses confirmed as “Buses”." in answer.content.decode()
    assert not ResponseTheme.objects.filter(suggested=True).exists()


def test_confirming_another_consultations_response_is_not_found(accepted, officer, strategy):
    from consultation.models import ConsultationWindow

    other = ConsultationWindow.objects.create(
        strategy=strategy, title="Other", slug="other", minimum_days=84
    )
    confirm = reverse("consultation:confirm-tags", kwargs={"pk": other.pk, "theme_pk": accepted.pk})
    assert client_for(officer).post(confirm).status_code == 404
    mine = reverse(
        "consultation:confirm-tags", kwargs={"pk": accepted.window_id, "theme_pk": accepted.pk}
    )
    assert client_for(officer).post(mine, {"response": 999999}).status_code == 404
    assert client_for(officer).post(mine, {"response": "all"}).status_code == 404
    assert ResponseTheme.objects.filter(suggested=True).count() == 10


@pytest.mark.parametrize("responses", [9, 45])
def test_the_suggestions_page_query_count_does_not_grow(
    open_window, officer, responses, django_capture_on_commit_callbacks, django_assert_num_queries
):
    comment_on(open_window, responses)
    run = suggest(open_window, officer, django_capture_on_commit_callbacks)
    workflow.accept_suggestion(by_topic(run, "bus"), officer)
    Theme.objects.create(window=open_window, name="Transport")
    client = client_for(officer)
    # session, user, window, its strategy's visibility, the run, its suggestions, their
    # example responses and those responses' answers, the themes with their suggested tags,
    # and the run still going, if any (whether a new one may be asked for)
    with django_assert_num_queries(10):
        assert client.get(page_url(open_window)).status_code == 200


@pytest.mark.parametrize("model", ["suggestionrun", "themesuggestion"])
def test_the_admin_reads_runs_and_suggestions_with_their_history_and_changes_nothing(
    found, administrator, model
):
    client = client_for(administrator)
    obj = found if model == "suggestionrun" else by_topic(found, "bus")
    assert client.get(reverse(f"admin:consultation_{model}_changelist")).status_code == 200
    change = reverse(f"admin:consultation_{model}_change", args=[obj.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    history = client.get(reverse(f"admin:consultation_{model}_history", args=[obj.pk]))
    assert history.status_code == 200
    assert client.get(reverse(f"admin:consultation_{model}_add")).status_code == 403
    delete = reverse(f"admin:consultation_{model}_delete", args=[obj.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    missing = reverse(f"admin:consultation_{model}_history", args=[9999])
    assert client.get(missing).status_code == 302  # "not found", never an error
