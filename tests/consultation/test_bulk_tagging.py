"""Tagging many responses at once: the move's rule (the same as for one tag), the history it
leaves (a row per tag, with who and why), and the page: tick or choose all that match, see how
many will change, confirm."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consultation import workflow
from consultation.models import ConsultationWindow, Response, ResponseTheme, Theme
from tests.conftest import client_for
from tests.consultation.conftest import answers_for


@pytest.fixture
def theme(open_window):
    return Theme.objects.create(window=open_window, name="Buses")


def _many(window, n, agreement=4):
    return [
        workflow.submit_response(window, "individual", answers_for(window, agreement))
        for _ in range(n)
    ]


def test_bulk_tagging_adds_and_removes_with_a_history_row_for_each(officer, open_window, theme):
    responses = _many(open_window, 5)
    workflow.set_tag(responses[0], theme, True)
    chosen = open_window.responses.all()
    assert workflow.bulk_set_tags(open_window, officer, chosen, theme, True) == 4
    assert ResponseTheme.objects.filter(theme=theme).count() == 5
    added = ResponseTheme.history.filter(history_type="+", history_user=officer)
    assert added.count() == 4
    assert {h.history_change_reason for h in added} == {"Tagged “Buses” with 4 responses at once"}
    assert workflow.bulk_set_tags(open_window, officer, chosen, theme, True) == 0

    some = open_window.responses.filter(pk__in=[r.pk for r in responses[:2]])
    assert workflow.bulk_set_tags(open_window, officer, some, theme, False) == 2
    removed = ResponseTheme.history.filter(history_type="-")
    assert removed.count() == 2 and {h.history_user for h in removed} == {officer}
    assert {h.response_id for h in removed} == {r.pk for r in responses[:2]}
    assert removed.first().history_change_reason == "Took “Buses” off 2 responses at once"
    assert ResponseTheme.objects.filter(theme=theme).count() == 3


def test_bulk_tagging_is_refused_as_one_tag_is(manager, officer, open_window, theme, strategy):
    _many(open_window, 2)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.bulk_set_tags(open_window, manager, open_window.responses.all(), theme, True)
    assert refused.value.field == "theme"
    other = ConsultationWindow.objects.create(
        strategy=strategy, title="Other", slug="other", minimum_days=84
    )
    elsewhere = Theme.objects.create(window=other, name="Parks")
    with pytest.raises(workflow.WorkflowError, match="another consultation"):
        workflow.bulk_set_tags(open_window, officer, open_window.responses.all(), elsewhere, True)
    assert not ResponseTheme.objects.exists() and not ResponseTheme.history.exists()


def test_only_the_windows_own_responses_are_tagged(officer, open_window, theme, strategy):
    other = ConsultationWindow.objects.create(
        strategy=strategy, title="Other", slug="other", minimum_days=84
    )
    mine = _many(open_window, 1)[0]
    Response.objects.create(
        window=other, reference="WM-XXXX-XXXX", submitted_at=mine.submitted_at,
        respondent_type="individual", consent=True,
    )  # fmt: skip
    assert workflow.bulk_set_tags(open_window, officer, Response.objects.all(), theme, True) == 1


def test_all_that_match_tags_every_page_after_confirming(officer, open_window, theme):
    _many(open_window, 30, agreement=5)
    _many(open_window, 3, agreement=1)
    url = reverse("consultation:bulk-tag", kwargs={"pk": open_window.pk}) + "?agreement=5"
    client = client_for(officer)
    sent = {"theme": theme.pk, "scope": "matching", "action": "add"}
    asked = client.post(url, sent)
    assert asked.status_code == 200 and not ResponseTheme.objects.exists()
    assert "30 of the 30 responses chosen will be tagged with “Buses”" in asked.text
    assert "Yes, change 30 responses" in asked.text
    done = client.post(url, {**sent, "confirmed": "on"})
    assert done.status_code == 302 and done["Location"].endswith("?agreement=5#list-heading")
    assert ResponseTheme.objects.filter(response__answers__agreement=5).distinct().count() == 30
    assert ResponseTheme.objects.count() == 30
    page = client.get(done["Location"]).text
    assert "30 responses tagged with “Buses”." in page


def test_ticked_responses_are_untagged_and_problems_keep_the_ticks(officer, open_window, theme):
    responses = _many(open_window, 3)
    for r in responses:
        workflow.set_tag(r, theme, True)
    url = reverse("consultation:bulk-tag", kwargs={"pk": open_window.pk})
    client = client_for(officer)
    ticked = [responses[0].pk, responses[1].pk]
    problem = client.post(url, {"scope": "ticked", "action": "remove", "responses": ticked})
    assert problem.status_code == 200 and "theme" in problem.context["bulk"].errors
    assert f'value="{ticked[0]}" form="bulk-form" id="pick-{ticked[0]}" checked' in problem.text
    nothing = client.post(url, {"scope": "ticked", "action": "remove", "theme": theme.pk})
    assert "Tick at least one response" in nothing.text
    sent = {"scope": "ticked", "action": "remove", "theme": theme.pk, "responses": ticked}
    assert "will be taken off 2 of the 2 responses" in client.post(url, sent).text
    client.post(url, {**sent, "confirmed": "on"})
    assert list(ResponseTheme.objects.values_list("response", flat=True)) == [responses[2].pk]


def test_all_that_match_is_refused_while_a_filter_has_a_problem(officer, open_window, theme):
    _many(open_window, 2)
    url = reverse("consultation:bulk-tag", kwargs={"pk": open_window.pk}) + "?theme=99999"
    sent = {"theme": theme.pk, "scope": "matching", "action": "add", "confirmed": "on"}
    page = client_for(officer).post(url, sent)
    assert "Correct the filters first" in page.text and not ResponseTheme.objects.exists()


def test_the_page_offers_bulk_tagging_only_to_who_runs_the_consultation(
    officer, manager, secretary, open_window, theme
):
    _many(open_window, 2)
    url = reverse("consultation:analysis", kwargs={"pk": open_window.pk})
    page = client_for(officer).get(url).text
    assert 'id="bulk-form"' in page and 'for="select-all"' in page
    assert "Select all on this page (2)" in page and "All 2 that match" in page
    for reader in (manager, secretary):
        assert 'id="bulk-form"' not in client_for(reader).get(url).text
    post = reverse("consultation:bulk-tag", kwargs={"pk": open_window.pk})
    sent = {"theme": theme.pk, "scope": "matching", "action": "add", "confirmed": "on"}
    assert client_for(manager).post(post, sent).status_code == 403
    assert not ResponseTheme.objects.exists()


def test_tags_written_in_bulk_are_in_the_audit_ledger(officer, open_window, theme):
    """bulk_create sends no post_save: the history rows written in bulk are announced to the
    ledger, so verify_audit finds the record intact (and not "added outside Waymark")."""
    from tests.audit.conftest import verify

    responses = _many(open_window, 4)
    chosen = Response.objects.filter(pk__in=[r.pk for r in responses])
    assert workflow.bulk_set_tags(open_window, officer, chosen, theme, True) == 4
    assert workflow.bulk_set_tags(open_window, officer, chosen, theme, False) == 4
    report = verify()
    assert "Audit intact:" in report, report


def test_a_tick_that_is_not_a_plain_number_is_ignored_not_a_crash(officer, open_window, theme):
    responses = _many(open_window, 1)
    url = reverse("consultation:bulk-tag", kwargs={"pk": open_window.pk})
    sent = client_for(officer).post(
        url, {"responses": ["²", str(responses[0].pk)], "scope": "ticked", "theme": theme.pk,
              "action": "add"},
    )  # fmt: skip
    assert sent.status_code in (200, 302)


def test_the_bulk_form_has_ids_of_its_own_beside_the_filters(officer, open_window, theme):
    _many(open_window, 1)
    page = client_for(officer).get(reverse("consultation:analysis", kwargs={"pk": open_window.pk}))
    assert page.text.count('id="id_theme"') == 1  # the filter's
    assert 'id="bulk_theme"' in page.text and 'for="bulk_theme"' in page.text


def test_tagging_in_bulk_confirms_the_tags_a_suggestion_made(officer, open_window, theme):
    from audit.verify import verify

    responses = _many(open_window, 4)
    ResponseTheme.objects.create(response=responses[0], theme=theme, suggested=True)
    ResponseTheme.objects.create(response=responses[1], theme=theme)  # a person's already
    chosen = open_window.responses.all()
    assert workflow.responses_to_change(open_window, chosen, theme, True).count() == 3
    assert workflow.bulk_set_tags(open_window, officer, chosen, theme, True) == 3
    links = ResponseTheme.objects.filter(theme=theme)
    assert links.count() == 4 and not links.filter(suggested=True).exists()
    confirmed = ResponseTheme.history.get(history_type="~")
    assert confirmed.history_user == officer and confirmed.response_id == responses[0].pk
    assert (
        confirmed.history_change_reason == "Suggested tag “Buses” confirmed on 1 response at once"
    )
    assert verify() == []
