"""The public pages: no account needed; bad input kept with clear messages; floods refused."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from consultation import workflow
from consultation.models import Response, Theme, YouSaidWeDid


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def form_data(window, **overrides):
    data = {"respondent_type": "individual", "general_comments": "", "consent": "on"}
    for p in window.revision.content["priorities"]:
        data[f"agree_{p['id']}"] = "4"
        data[f"comment_{p['id']}"] = ""
    data.update(overrides)
    return data


def page_url(window) -> str:
    return reverse("consultation:public", kwargs={"slug": window.slug})


def test_the_public_reads_and_responds_without_an_account(open_window):
    client = Client()
    assert open_window.title in client.get("/consult/").content.decode()
    page = client.get(page_url(open_window)).content.decode()
    assert "Improve wellbeing" in page and "Privacy notice" in page and "Send my response" in page
    response = client.post(page_url(open_window), form_data(open_window), follow=True)
    stored = Response.objects.get()
    assert stored.reference in response.content.decode()
    assert [a.agreement for a in stored.answers.all()] == [4, 4]


def test_bad_input_is_explained_and_kept(open_window):
    first = open_window.revision.content["priorities"][0]["id"]
    response = Client().post(
        page_url(open_window),
        form_data(
            open_window,
            respondent_type="organisation",
            consent="",
            general_comments="Keep me",
            **{f"agree_{first}": "9", f"comment_{first}": "x" * 5001},
        ),
    )
    errors = response.context["form"].errors
    assert {"organisation_name", "consent", f"agree_{first}", f"comment_{first}"} <= set(errors)
    assert "Keep me" in response.content.decode()
    assert not Response.objects.exists()


def test_html_is_shown_as_text(open_window, officer):
    Client().post(
        page_url(open_window),
        form_data(open_window, general_comments="<script>alert('x')</script>"),
    )
    from tests.conftest import client_for

    page = (
        client_for(officer)
        .get(reverse("consultation:analysis", kwargs={"pk": open_window.pk}))
        .content.decode()
    )
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_the_honeypot_is_refused_politely(open_window):
    response = Client().post(page_url(open_window), form_data(open_window, website="http://spam"))
    assert response.status_code == 429 and "could not be accepted" in response.content.decode()
    assert not Response.objects.exists()


def test_a_flood_from_one_address_is_limited(open_window):
    client = Client()
    statuses = [
        client.post(page_url(open_window), form_data(open_window)).status_code for _ in range(12)
    ]
    assert statuses[:10] == [302] * 10 and statuses[10:] == [429, 429]
    assert Response.objects.count() == 10
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(page_url(open_window), form_data(open_window)).status_code == 302


def test_closed_and_planned_consultations(planned, officer):
    assert Client().get(page_url(planned)).status_code == 404
    window = workflow.open_window(planned, officer)
    window = workflow.close_window(window, officer, "Enough responses")
    client = Client()
    page = client.get(page_url(window)).content.decode()
    assert "This consultation has closed" in page and "Send my response" not in page
    refused = client.post(page_url(window), form_data(window))
    assert refused.status_code == 410 and not Response.objects.exists()


def test_you_said_we_did_is_public_only_once_published(open_window, officer):
    window = workflow.close_window(open_window, officer, "Enough responses")
    url = reverse("consultation:public-response", kwargs={"slug": window.slug})
    assert Client().get(url).status_code == 404
    theme = Theme.objects.create(window=window, name="Access to services")
    YouSaidWeDid.objects.create(
        window=window,
        theme=theme,
        you_said="Buses <b>matter</b>",
        changed=False,
        why_not="Outside the strategy's reach.",
    )
    workflow.publish_response(window, officer)
    page = Client().get(url).content.decode()
    assert "Access to services" in page and "Buses &lt;b&gt;matter&lt;/b&gt;" in page


def test_the_thank_you_page_needs_a_response_first(open_window):
    response = Client().get(reverse("consultation:thanks", kwargs={"slug": open_window.slug}))
    assert response.status_code == 302


def test_correcting_errors_does_not_use_up_the_limit(open_window):
    client = Client()
    for _ in range(12):
        client.post(page_url(open_window), form_data(open_window, consent=""))
    assert (
        client.post(page_url(open_window), form_data(open_window, website=" ")).status_code == 302
    )


def test_a_window_cannot_open_after_its_closing_day(planned, officer):
    from consultation.workflow import WorkflowError
    from tests.consultation.conftest import days

    planned.opens_on, planned.closes_on = days(-100), days(-1)
    planned.save()
    with pytest.raises(WorkflowError, match="closing date has passed"):
        workflow.open_window(planned, officer)


def test_an_individual_names_no_organisation_even_if_one_was_typed(open_window):
    """Only what the response needs is kept: a name typed before choosing "an individual"."""
    data = form_data(open_window, organisation_name="Acme Ltd")
    Client().post(page_url(open_window), data)
    assert Response.objects.get().organisation_name == ""
    data = form_data(open_window, respondent_type="organisation", organisation_name="Acme Ltd")
    Client().post(page_url(open_window), data)
    assert Response.objects.filter(organisation_name="Acme Ltd").count() == 1
