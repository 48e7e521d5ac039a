"""Staff consultation pages: access, planning, analysis, tagging, CSV, "you said, we did"."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation import workflow
from consultation.models import ConsultationWindow, Response, Theme, YouSaidWeDid
from strategies.spreadsheets import neutralise
from tests.conftest import as_read, client_for
from tests.consultation.conftest import answers_for, days
from tests.ladder import climb


def test_read_pages_ladder(request, open_window):
    for name in ("window", "analysis", "export"):
        url = reverse(f"consultation:{name}", kwargs={"pk": open_window.pk})
        climb(
            request,
            url,
            {
                "officer": 200,
                "manager": 200,
                "administrator": 200,
                # a secretary of a body on the route reads the results
                "secretary": 200,
                # ... one whose bodies are not on it is sent to the public page of an open
                # consultation (tested below)
                "off_route_secretary": 302 if name == "window" else 403,
                "other_officer": 404,
            },
        )
    climb(
        request,
        reverse("consultation:strategy", kwargs={"slug": open_window.strategy.slug}),
        {
            "officer": 200,
            "manager": 200,
            "secretary": 200,
            "off_route_secretary": 403,
            "other_officer": 404,
        },
    )


def test_change_pages_ladder(request, planned):
    climb(
        request,
        reverse("consultation:edit", kwargs={"pk": planned.pk}),
        {"officer": 200, "administrator": 200, "manager": 403, "other_officer": 404},
    )
    climb(
        request,
        reverse("consultation:create", kwargs={"slug": planned.strategy.slug}),
        {"officer": 200, "manager": 403, "secretary": 403, "other_officer": 404},
    )
    climb(
        request,
        reverse("consultation:open", kwargs={"pk": planned.pk}),
        {"manager": 403, "other_officer": 404},
        method="post",
    )
    assert ConsultationWindow.objects.get().state == "planned"


def test_planning_a_window_with_its_rules(officer, strategy, consult_gate):
    url = reverse("consultation:create", kwargs={"slug": strategy.slug})
    data = {
        "title": "Have your say",
        "slug": "have-your-say",
        "gate": consult_gate.pk,
        "opens_on": "2030-03-01",
        "closes_on": "2030-02-01",
        "date_precision": "day",
        "for_public": "on",
        "summary": "Kept summary",
    }
    response = client_for(officer).post(url, data)
    assert (
        "closes_on" in response.context["form"].errors
        and "Kept summary" in response.content.decode()
    )
    response = client_for(officer).post(url, {**data, "closes_on": "2030-03-20"})
    assert "short_window_reason" in response.context["form"].errors
    response = client_for(officer).post(
        url, {**data, "closes_on": "2030-03-20", "short_window_reason": "Agreed by the Board"}
    )
    window = ConsultationWindow.objects.get()
    assert response["Location"] == window.get_absolute_url()
    assert window.minimum_days == strategy.lead_organisation.consultation_minimum_days


def test_open_close_and_publish_from_the_window_page(officer, planned):
    client = client_for(officer)
    client.post(reverse("consultation:open", kwargs={"pk": planned.pk}))
    client.post(reverse("consultation:close", kwargs={"pk": planned.pk}), {"reason": "Done"})
    response = client.post(reverse("consultation:publish", kwargs={"pk": planned.pk}), follow=True)
    assert "at least one" in response.content.decode()
    client.post(reverse("consultation:add-theme", kwargs={"pk": planned.pk}), {"name": "Access"})
    theme = Theme.objects.get()
    entry_url = reverse("consultation:add-entry", kwargs={"pk": planned.pk})
    response = client.post(entry_url, {"theme": theme.pk, "you_said": "Buses", "changed": "on"})
    assert {"we_did", "revision"} <= set(response.context["form"].errors)
    client.post(entry_url, {"theme": theme.pk, "you_said": "Buses", "why_not": "Not ours to run"})
    assert YouSaidWeDid.objects.count() == 1
    client.post(reverse("consultation:publish", kwargs={"pk": planned.pk}))
    assert ConsultationWindow.objects.get().state == "response_published"


def test_events_and_partners(officer, open_window, board, other_org):
    client = client_for(officer)
    url = reverse("consultation:add-event", kwargs={"pk": open_window.pk})
    response = client.post(
        url,
        {
            "title": "Drop-in",
            "starts_at_0": f"{days(20):%Y-%m-%d}",
            "starts_at_1": "18:00",
            "date_precision": "day",
        },
        follow=True,
    )
    assert "Give the place" in response.content.decode()
    client.post(
        url,
        {
            "title": "Drop-in",
            "starts_at_0": f"{days(20):%Y-%m-%d}",
            "starts_at_1": "18:00",
            "date_precision": "day",
            "place": "Council House",
            "host_body": board.pk,
            "expected_attendance": 40,
        },
    )
    assert open_window.events.get().host == "Health and Wellbeing Board"
    partner = reverse("consultation:add-partner", kwargs={"pk": open_window.pk})
    client.post(partner, {"organisation": other_org.pk, "role": "Voluntary sector"})
    response = client.post(partner, {"organisation": other_org.pk}, follow=True)
    assert "already there" in response.content.decode()
    assert open_window.partner_links.count() == 1


@pytest.mark.parametrize(
    ("form", "sent", "kept"),
    [
        ("event", {"title": "Drop-in at the library", "place": "Central Library",
                   "expected_attendance": "-5", "date_precision": "day"},
         ["Drop-in at the library", "Central Library", 'value="-5"']),
        ("theme", {"name": "", "description": "Buses after 7pm"}, ["Buses after 7pm"]),
        ("partner", {"role": "Runs the drop-ins"}, ["Runs the drop-ins"]),
    ],
)  # fmt: skip
def test_a_form_with_problems_comes_back_open_with_what_was_typed(
    officer, open_window, form, sent, kept
):
    url = reverse(f"consultation:add-{form}", kwargs={"pk": open_window.pk})
    response = client_for(officer).post(url, sent)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<details open><summary>Add a" in page
    assert "Nothing you typed has been lost" in page
    assert "This field is required." in page  # beside the field left empty
    for text in kept:
        assert text in page, text
    assert not open_window.events.exists() and not open_window.themes.exists()
    assert not open_window.partner_links.exists()


def test_analysis_counts_charts_and_filters(officer, open_window):
    for kind, agreement in (("individual", 5), ("individual", 2), ("group", 5)):
        workflow.submit_response(open_window, kind, answers_for(open_window, agreement))
    theme = Theme.objects.create(window=open_window, name="Access")
    workflow.set_tag(Response.objects.filter(respondent_type="group").get(), theme, True)
    url = reverse("consultation:analysis", kwargs={"pk": open_window.pk})
    client = client_for(officer)
    context = client.get(url).context
    assert context["total"] == 3
    assert dict(context["by_type"])["An individual"] == 2
    chart = context["charts"][0]
    assert {b["level"]: b["count"] for b in chart["bars"]} == {1: 0, 2: 1, 3: 0, 4: 0, 5: 2}
    page = client.get(url).content.decode()
    assert '<svg role="img"' in page and "Strongly agree 2" in page
    first = open_window.revision.content["priorities"][0]["id"]
    assert client.get(url, {"priority": first, "agreement": 5}).context["page"].paginator.count == 2
    assert client.get(url, {"theme": theme.pk}).context["page"].paginator.count == 1
    assert client.get(url, {"theme": "x", "priority": "²"}).status_code == 200


def test_tagging_with_and_without_htmx(officer, manager, open_window):
    response = workflow.submit_response(open_window, "individual", answers_for(open_window))
    theme = Theme.objects.create(window=open_window, name="Access")
    url = reverse("consultation:tag", kwargs={"pk": open_window.pk, "response_pk": response.pk})
    assert client_for(manager).post(url, {"themes": [theme.pk]}).status_code == 403
    fragment = client_for(officer).post(url, {"themes": [theme.pk]}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "Saved." in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert list(response.themes.all()) == [theme]
    plain = client_for(officer).post(url, {})
    assert plain.status_code == 302 and not response.themes.exists()


def test_csv_export_neutralises_formulas(administrator, open_window):
    workflow.submit_response(
        open_window,
        "organisation",
        answers_for(open_window, 4, "=HYPERLINK(x)"),
        general_comments="+1 great",
        organisation_name="@home",
    )
    # the administrator's export, which includes who responded
    response = client_for(administrator).get(
        reverse("consultation:export", kwargs={"pk": open_window.pk})
    )
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))  # streamed
    assert rows[0][0] == "reference" and len(rows) == 2
    assert "'=HYPERLINK(x)" in rows[1] and "'+1 great" in rows[1] and "'@home" in rows[1]
    assert [neutralise(v) for v in ("-2", "ok", None, "\t=x")] == ["'-2", "ok", "", "'\t=x"]


@pytest.mark.parametrize("responses", [3, 30])
def test_analysis_query_count_does_not_grow(
    officer, open_window, responses, django_assert_num_queries
):
    theme = Theme.objects.create(window=open_window, name="Access")
    for _ in range(responses):
        r = workflow.submit_response(open_window, "individual", answers_for(open_window, 4, "c"))
        workflow.set_tag(r, theme, True)
    client = client_for(officer)
    url = reverse("consultation:analysis", kwargs={"pk": open_window.pk})
    # session, user with their organisation, window, visibility, counts, charts, themes, page
    # + prefetches + the page's tags that a theme suggestion made, not confirmed yet
    # unfiltered,
    # the list needs no count of its own (the counts by type add up to it)
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


def test_responses_stay_private_to_the_organisations_running_it(request, open_window, other_org):
    from strategies.models import Strategy

    Strategy.objects.filter(pk=open_window.strategy_id).update(stage=Strategy.Stage.ADOPTED)
    url = reverse("consultation:analysis", kwargs={"pk": open_window.pk})
    climb(request, url, {"other_officer": 403, "officer": 200})
    open_window.strategy.partner_links.create(organisation=other_org)
    assert client_for(request.getfixturevalue("other_officer")).get(url).status_code == 200


def test_filtering_by_priority_counts_every_response_that_answered_it(officer, open_window):
    first, second = (p["id"] for p in open_window.revision.content["priorities"])
    titles = {p["id"]: p["title"] for p in open_window.revision.content["priorities"]}
    workflow.submit_response(
        open_window,
        "individual",
        [(first, titles[first], None, "Comment only"), (second, titles[second], 4, "")],
    )
    workflow.submit_response(
        open_window,
        "individual",
        [(first, titles[first], 2, ""), (second, titles[second], None, "")],
    )
    url = reverse("consultation:analysis", kwargs={"pk": open_window.pk})
    client = client_for(officer)
    assert client.get(url, {"priority": first}).context["page"].paginator.count == 2
    assert client.get(url, {"priority": second}).context["page"].paginator.count == 1


def test_an_open_window_keeps_its_address_dates_and_gate(officer, open_window):
    url = reverse("consultation:edit", kwargs={"pk": open_window.pk})
    client_for(officer).post(
        url,
        {
            "title": "Renamed",
            "slug": "moved",
            "opens_on": "2030-01-01",
            "closes_on": "2030-12-01",
            "date_precision": "day",
            "version": open_window.version,
            "for_public": "on",
        },
    )
    window = ConsultationWindow.objects.get()
    assert (window.title, window.slug, window.closes_on) == (
        "Renamed",
        "our-strategy",
        open_window.closes_on,
    )
    entry = reverse("consultation:add-entry", kwargs={"pk": open_window.pk})
    assert client_for(officer).get(entry).status_code == 403  # written after closing


def test_entries_speak_of_their_own_consultation(open_window, strategy):
    from django.core.exceptions import ValidationError

    other = ConsultationWindow.objects.create(
        strategy=strategy, title="Other", slug="other", minimum_days=84
    )
    entry = YouSaidWeDid(
        window=open_window,
        theme=Theme.objects.create(window=other, name="X"),
        you_said="x",
        changed=False,
        why_not="y",
    )
    with pytest.raises(ValidationError, match="theme of this consultation"):
        entry.full_clean()
    bad_date = ConsultationWindow(
        strategy=strategy, title="T", slug="t", minimum_days=84, opens_on=datetime.date(1, 1, 1)
    )
    with pytest.raises(ValidationError, match="between 1990 and 2100"):
        bad_date.full_clean()


def test_the_strategy_history_includes_governance_and_consultation(officer, open_window):
    theme = Theme.objects.create(window=open_window, name="Access")
    response = workflow.submit_response(open_window, "individual", answers_for(open_window))
    workflow.set_tag(response, theme, True)
    url = reverse("strategy-history", kwargs={"slug": open_window.strategy.slug})
    entries = client_for(officer).get(url).context["page"].object_list
    seen = {(e.kind_label, e.item) for e in entries}
    assert ("Gate", "Health and Wellbeing Board: consult") in seen
    assert ("Consultation", "Have your say on our strategy") in seen
    assert ("Theme", "Access") in seen
    assert ("Response theme", f"Access on {response.reference}") in seen
    gate = next(e for e in entries if e.kind == "gate" and e.action == "Changed")
    assert ("State", "Planned", "On an agenda") in {(c.label, c.old, c.new) for c in gate.changes}


@pytest.mark.parametrize("tags", [2, 20])
def test_history_with_every_kind_keeps_its_query_count(
    officer, open_window, tags, django_assert_max_num_queries
):
    theme = Theme.objects.create(window=open_window, name="Access")
    for _ in range(tags):
        response = workflow.submit_response(open_window, "individual", answers_for(open_window))
        workflow.set_tag(response, theme, True)
    url = reverse("strategy-history", kwargs={"slug": open_window.strategy.slug})
    client = client_for(officer)
    # The count depends on which kinds of item the page shows (two queries each), never on
    # how many rows lie behind it: 23 with a mixed page (responses, their tags, the rest),
    # fewer when tags fill it.
    with django_assert_max_num_queries(23):
        assert client.get(url).status_code == 200


def test_editing_an_event(officer, manager, open_window):
    from consultation.models import Event

    event = Event.objects.create(
        window=open_window,
        title="Drop-in",
        place="Library",
        starts_at=open_window.revision.created_at,
    )
    url = reverse("consultation:edit-event", kwargs={"pk": open_window.pk, "event_pk": event.pk})
    assert client_for(manager).get(url).status_code == 403
    client = client_for(officer)
    response = client.post(
        url,
        {
            **as_read(client, url),
            "title": "Drop-in",
            "starts_at_0": f"{days(20):%Y-%m-%d}",
            "starts_at_1": "18:00",
            "date_precision": "day",
            "online": "on",
            "actual_attendance": 35,
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.online, event.actual_attendance) == (True, 35)


def test_the_consultation_tab_is_offered_only_to_who_may_open_it(
    officer, manager, secretary, off_route_secretary, open_window, board, strategy
):
    workflow_gate = open_window.gate
    assert workflow_gate.body == board  # the secretary's body considers the strategy
    tab = reverse("consultation:strategy", kwargs={"slug": strategy.slug})
    people = ((officer, True), (manager, True), (secretary, True), (off_route_secretary, False))
    for person, shown in people:
        page = client_for(person).get(strategy.get_absolute_url()).content.decode()
        assert (f'href="{tab}"' in page) is shown, person.username


def test_a_secretary_following_a_consultation_link_gets_its_public_page(
    off_route_secretary, open_window
):
    client = client_for(off_route_secretary)
    response = client.get(reverse("consultation:window", kwargs={"pk": open_window.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("consultation:public", kwargs={"slug": open_window.slug})
    assert "this is the consultation&#x27;s public page" in client.get(response["Location"]).text


def test_a_consultation_not_yet_open_stays_refused_to_a_secretary(off_route_secretary, planned):
    url = reverse("consultation:window", kwargs={"pk": planned.pk})
    assert client_for(off_route_secretary).get(url).status_code == 403


def test_a_route_secretary_reads_the_results_without_who_responded(secretary, officer, open_window):
    """The secretaries of a body on the route read the results (counts, charts, comments) as
    their committee will weigh them, but never who responded; nor may they tag responses."""
    workflow.submit_response(
        open_window,
        "organisation",
        answers_for(open_window, 4, "More buses, please"),
        organisation_name="Dudley Tenants Forum",
    )
    url = reverse("consultation:analysis", kwargs={"pk": open_window.pk})
    page = client_for(secretary).get(url)
    assert page.status_code == 200 and not page.context["can_manage"]
    assert "More buses, please" in page.text and "Dudley Tenants Forum" not in page.text
    assert "Dudley Tenants Forum" in client_for(officer).get(url).text
    rows = (
        client_for(secretary)
        .get(reverse("consultation:export", kwargs={"pk": open_window.pk}))
        .getvalue()  # streamed
        .decode()
    )
    assert "organisation_name" not in rows and "Dudley Tenants Forum" not in rows


def test_closing_early_says_what_it_means_and_needs_a_reason_when_short(officer, open_window):
    url = reverse("consultation:close", kwargs={"pk": open_window.pk})
    client = client_for(officer)
    page = client.get(url).content.decode()
    assert "11 days" in page and "84 days" in page  # opened 10 days ago: 11 days with today
    assert "shorter than the 84-day minimum" in page
    refused = client.post(url, {"reason": "  "})
    assert "give the reason" in " ".join(refused.context["form"].errors["reason"])
    assert ConsultationWindow.objects.get().state == "open"
    done = client.post(url, {"reason": "The Board asked for the results early"})
    assert done["Location"] == open_window.get_absolute_url()
    window = ConsultationWindow.objects.get()
    assert window.state == "closed" and window.closes_on == timezone.localdate()
    assert window.short_window_reason.endswith(": The Board asked for the results early")
    assert window.history.first().history_change_reason == (
        "Consultation closed early: The Board asked for the results early"
    )
    shown = client.get(window.get_absolute_url()).content.decode()
    assert "The Board asked for the results early" in shown
    again = client.get(url, follow=True)  # closed already: back to its page, saying so
    assert "Only an open consultation can be closed." in again.content.decode()


def test_closing_early_but_longer_than_the_minimum_needs_no_reason(officer, open_window):
    ConsultationWindow.objects.filter(pk=open_window.pk).update(opens_on=days(-100))
    response = client_for(officer).post(reverse("consultation:close", args=[open_window.pk]))
    assert response.status_code == 302, response.context["form"].errors
    window = ConsultationWindow.objects.get()
    assert window.state == "closed" and window.short_window_reason == ""


def test_a_theme_is_not_added_twice_under_other_capitals(officer, planned):
    url = reverse("consultation:add-theme", kwargs={"pk": planned.pk})
    client = client_for(officer)
    client.post(url, {"name": "Mental  health "})
    again = client.post(url, {"name": "mental health"})
    assert again.context["theme_form"].errors["name"] == [
        "There is already a theme “Mental health”."
    ]
    assert [t.name for t in Theme.objects.all()] == ["Mental health"]


def test_a_place_too_long_gets_one_error_not_two(officer, planned):
    url = reverse("consultation:add-event", kwargs={"pk": planned.pk})
    response = client_for(officer).post(
        url, {"title": "Drop-in", "starts_at_0": "2030-01-10", "starts_at_1": "10:00",
              "date_precision": "day", "place": "x" * 201}
    )  # fmt: skip
    errors = response.context["event_form"].errors["place"]
    assert len(errors) == 1 and "at most 200 characters" in errors[0]


def test_a_reason_given_when_closing_on_the_day_is_kept_in_the_history(officer, open_window):
    ConsultationWindow.objects.filter(pk=open_window.pk).update(closes_on=timezone.localdate())
    url = reverse("consultation:close", kwargs={"pk": open_window.pk})
    client_for(officer).post(url, {"reason": "Closed at the end of the drop-in"})
    window = ConsultationWindow.objects.get()
    assert window.state == "closed" and window.short_window_reason == ""
    assert window.history.first().history_change_reason == (
        "Consultation closed: Closed at the end of the drop-in"
    )


def test_an_event_years_from_its_consultation_is_taken_for_a_mistyped_year(officer, planned):
    url = reverse("consultation:add-event", kwargs={"pk": planned.pk})
    client = client_for(officer)
    far = planned.opens_on.replace(year=planned.opens_on.year - 10)
    response = client.post(
        url, {"title": "Drop-in", "starts_at_0": f"{far:%Y-%m-%d}", "starts_at_1": "10:00",
              "date_precision": "day", "place": "Library"}
    )  # fmt: skip
    errors = response.context["event_form"].errors["starts_at"]
    assert errors == [
        f"That is more than a year from the consultation ({planned.dates}): check the year."
    ]
    near = planned.opens_on - datetime.timedelta(days=30)  # engagement before it opens: fine
    client.post(
        url, {"title": "Drop-in", "starts_at_0": f"{near:%Y-%m-%d}", "starts_at_1": "10:00",
              "date_precision": "day", "place": "Library"}
    )  # fmt: skip
    assert planned.events.count() == 1
