"""What a respondent takes away: a copy of the response just sent (to this browser only), the
consultation's contact, and, refused by the rate limit for now, the form with what they typed."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from consultation.models import ConsultationWindow, Response
from tests.admin_forms import admin_form_data
from tests.conftest import client_for
from tests.consultation.test_public import form_data, page_url


def thanks_url(window) -> str:
    return reverse("consultation:thanks", kwargs={"slug": window.slug})


def sent(window, client, **overrides):
    data = form_data(window, **overrides)
    first = window.revision.content["priorities"][0]["id"]
    data[f"agree_{first}"] = "2"
    data[f"comment_{first}"] = "More buses please"
    return client.post(page_url(window), data, follow=True)


def test_the_thank_you_page_gives_a_copy_of_the_answers_as_sent(open_window):
    page = sent(
        open_window,
        Client(),
        respondent_type="organisation",
        organisation_name="Friends of the Park",
        general_comments="Thank you for asking",
    ).content.decode()
    response = Response.objects.get()
    assert "Your response, as you sent it" in page and response.reference in page
    assert "An organisation: Friends of the Park" in page
    assert "Disagree" in page and "More buses please" in page and "Agree" in page
    assert "Thank you for asking" in page
    assert "data-print-page hidden" in page and "js/print.js" in page


def test_the_copy_is_shown_only_in_the_browser_that_sent_it(open_window):
    sent(open_window, Client())
    other = Client()
    assert other.get(thanks_url(open_window)).status_code == 302  # back to the consultation
    assert (
        "More buses please" not in other.get(thanks_url(open_window), follow=True).content.decode()
    )


def test_the_contact_is_on_the_public_and_thank_you_pages(open_window):
    ConsultationWindow.objects.filter(pk=open_window.pk).update(
        contact_name="Pat Jones", contact_email="pat@example.org", contact_phone="01632 960123"
    )
    client = Client()
    page = client.get(page_url(open_window)).content.decode()
    assert "Questions?" in page and "Pat Jones" in page
    assert 'href="mailto:pat@example.org"' in page and 'href="tel:01632960123"' in page
    assert "pat@example.org" in sent(open_window, client).content.decode()


def test_without_a_contact_no_questions_line_is_shown(open_window):
    assert "Questions?" not in Client().get(page_url(open_window)).content.decode()


def test_the_contact_is_set_on_the_window_form_and_in_the_admin(officer, administrator, planned):
    edit = reverse("consultation:edit", kwargs={"pk": planned.pk})
    client = client_for(officer)
    form = client.get(edit).context["form"]
    assert {"contact_name", "contact_email", "contact_phone"} <= set(form.fields)
    data = {
        "title": planned.title,
        "slug": planned.slug,
        "gate": planned.gate_id,
        "opens_on": planned.opens_on.isoformat(),
        "closes_on": planned.closes_on.isoformat(),
        "date_precision": planned.date_precision,
        "for_public": "on",
        "version": planned.version,
        "contact_name": "Pat Jones",
        "contact_email": "not an email",
    }
    response = client.post(edit, data)
    assert "contact_email" in response.context["form"].errors
    assert response.context["form"]["contact_name"].value() == "Pat Jones"
    assert client.post(edit, {**data, "contact_email": "pat@example.org"}).status_code == 302
    assert ConsultationWindow.objects.get().contact_email == "pat@example.org"
    admin = client_for(administrator)
    url = reverse("admin:consultation_consultationwindow_change", args=[planned.pk])
    admin_data = admin_form_data(admin, url)
    assert admin_data["contact_name"] == "Pat Jones"
    admin_data["contact_phone"] = "01632 960123"
    assert admin.post(url, admin_data).status_code == 302
    assert ConsultationWindow.objects.get().contact_phone == "01632 960123"


def test_a_response_over_the_limit_comes_back_with_what_was_typed(open_window, settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    client = Client(REMOTE_ADDR="10.0.0.9")
    assert sent(open_window, client).status_code == 200
    refused = sent(open_window, client, general_comments="My long considered answer")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "could not be accepted just now" in page and "Nothing you typed has been lost" in page
    assert "My long considered answer" in page and "More buses please" in page
    assert refused.context["form"]["respondent_type"].value() == "individual"
    assert Response.objects.count() == 1


def test_the_copy_of_the_answers_is_never_cached(client, open_window):
    """A shared computer's back button must not show someone else's answers."""
    from django.urls import reverse

    page = client.get(reverse("consultation:thanks", kwargs={"slug": open_window.slug}))
    assert "no-store" in page.get("Cache-Control", "") or "no-cache" in page.get(
        "Cache-Control", ""
    )
