"""Keying in a response sent another way (paper, email, letter, at an event): who may, the day it
was received (known, not in the future, not before the consultation opened; after it closed is
accepted and marked late), who keyed it, and where it shows."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation import workflow
from consultation.models import ConsultationWindow, Response
from governance.workflow import WorkflowError
from tests.conftest import client_for
from tests.consultation.conftest import answers_for, days
from tests.ladder import climb


def url(window) -> str:
    return reverse("consultation:key-in", kwargs={"pk": window.pk})


def typed(window, **changes) -> dict:
    data = {
        "channel": "paper",
        "received_on": days(-1).isoformat(),
        "respondent_type": "organisation",
        "organisation_name": "Carers Together",
        "general_comments": "Written on the back of the form.",
    }
    for p in window.revision.content["priorities"]:
        data[f"agree_{p['id']}"] = "5"
        data[f"comment_{p['id']}"] = f"More on {p['title']}"
    return data | changes


def test_who_may_key_in_a_response(request, open_window):
    climb(
        request,
        url(open_window),
        {
            "officer": 200,
            "administrator": 200,
            "manager": 403,
            "secretary": 403,
            "other_officer": 404,
        },
    )


def test_an_officer_keys_in_a_paper_response(open_window, officer):
    response = client_for(officer).post(url(open_window), typed(open_window))
    assert response.status_code == 302
    assert response["Location"] == reverse("consultation:analysis", kwargs={"pk": open_window.pk})
    stored = Response.objects.get()
    assert (stored.channel, stored.received_on, stored.keyed_by, stored.late) == (
        "paper",
        days(-1),
        officer,
        False,
    )
    assert stored.consent and stored.organisation_name == "Carers Together"
    assert [a.agreement for a in stored.answers.all()] == [5, 5]
    assert stored.answers.first().comment.startswith("More on")


def test_save_and_key_in_another_keeps_the_officer_on_the_form(open_window, officer):
    data = typed(open_window, then="another")
    response = client_for(officer).post(url(open_window), data)
    assert response.status_code == 302
    assert response["Location"].startswith(url(open_window) + "?channel=paper&received_on=")
    page = client_for(officer).get(response["Location"])
    assert f'value="{days(-1).isoformat()}"' in page.text


@pytest.mark.parametrize(
    ("received", "said"),
    [
        (days(1), "The day it was received cannot be in the future."),
        (days(-11), "cannot have been received before."),
        ("", "Give the day it was received."),
    ],
)
def test_a_wrong_day_is_refused_beside_its_field_with_what_was_typed_kept(
    open_window, officer, received, said
):
    data = typed(open_window, received_on=str(received))
    page = client_for(officer).post(url(open_window), data)
    assert page.status_code == 200
    assert said in page.text
    assert "Written on the back of the form." in page.text  # what was typed is kept
    assert "Carers Together" in page.text
    assert not Response.objects.exists()


def test_the_online_form_and_imports_are_not_channels_to_key_in(open_window, officer):
    page = client_for(officer).post(url(open_window), typed(open_window, channel="online"))
    assert page.status_code == 200 and not Response.objects.exists()
    with pytest.raises(WorkflowError) as refused:
        workflow.key_in_response(
            open_window, officer, "imported", days(-1), "individual", answers_for(open_window)
        )
    assert refused.value.field == "channel"


def closed_three_days_ago(window, officer) -> ConsultationWindow:
    window = workflow.close_window(window, officer, "Enough responses")
    ConsultationWindow.objects.filter(pk=window.pk).update(opens_on=days(-100), closes_on=days(-3))
    return ConsultationWindow.objects.get(pk=window.pk)


def test_a_response_received_after_closing_is_accepted_and_marked_late(open_window, officer):
    window = closed_three_days_ago(open_window, officer)
    client = client_for(officer)
    form = client.get(url(window))
    assert "A response received after that is accepted and marked late." in form.text
    page = client.post(url(window), typed(window, received_on=days(-1).isoformat()), follow=True)
    stored = Response.objects.get()
    assert stored.late
    assert "late, received after the consultation closed" in page.text
    on_time = workflow.key_in_response(
        window, officer, "email", days(-3), "individual", answers_for(window)
    )
    assert not on_time.late  # the closing day itself is in time


def test_nothing_is_keyed_in_before_opening_or_after_the_response_is_published(planned, officer):
    assert client_for(officer).get(url(planned)).status_code == 403
    with pytest.raises(WorkflowError, match="once the consultation has opened"):
        workflow.key_in_response(planned, officer, "paper", days(-1), "individual", [])
    planned.state = ConsultationWindow.State.RESPONSE_PUBLISHED
    assert "has been published" in workflow.keying_refusal(planned, officer)


def test_another_organisations_officer_and_a_manager_cannot_by_any_door(
    open_window, other_officer, manager
):
    for person in (other_officer, manager):
        with pytest.raises(WorkflowError):
            workflow.key_in_response(
                open_window, person, "paper", days(-1), "individual", answers_for(open_window)
            )
    assert client_for(manager).post(url(open_window), typed(open_window)).status_code == 403
    assert not Response.objects.exists()


def test_the_analysis_page_and_the_csv_say_how_it_came(open_window, officer, administrator):
    workflow.key_in_response(
        open_window, officer, "letter", days(-2), "individual", answers_for(open_window)
    )
    page = client_for(officer).get(reverse("consultation:analysis", args=[open_window.pk]))
    assert "Letter, received" in page.text
    assert f"keyed in by {officer.display_name}" in page.text
    assert "Key in a response" in page.text
    download = client_for(administrator).get(reverse("consultation:export", args=[open_window.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[0]["channel"] == "Letter"
    assert rows[0]["received_on"] == days(-2).isoformat()
    assert rows[0]["late"] == ""
    assert rows[0]["keyed_by"] == officer.display_name


def test_the_window_page_offers_it_only_to_those_who_may(open_window, officer, manager):
    link = url(open_window)
    assert link in client_for(officer).get(open_window.get_absolute_url()).text
    assert link not in client_for(manager).get(open_window.get_absolute_url()).text


def test_each_response_is_in_the_history_by_who_added_it_never_by_what_it_says(
    open_window, officer
):
    from audit.verify import verify

    client_for(officer).post(url(open_window), typed(open_window))
    keyed = Response.objects.get()
    online = workflow.submit_response(
        open_window, "organisation", [], general_comments="Private words", organisation_name="X"
    )
    rows = {h.id: h for h in Response.history.all()}
    assert rows[keyed.pk].history_user == officer
    assert rows[keyed.pk].history_change_reason.startswith("Keyed in: a paper form received on")
    assert rows[online.pk].history_user is None
    assert rows[online.pk].history_change_reason == "Sent through the online form"
    kept = {f.name for f in Response.history.model._meta.fields}
    assert not kept & {"general_comments", "organisation_name", "reference", "submitted_at"}
    # On the strategy's history page, and in the audit ledger (verify_audit finds it whole,
    # also once anonymising has removed what the respondents wrote).
    page = client_for(officer).get(
        reverse("strategy-history", kwargs={"slug": open_window.strategy.slug})
    )
    assert f"{keyed.reference} (a paper form)" in page.content.decode()
    assert "by a member of the public" in " ".join(page.content.decode().split())
    Response.objects.update(general_comments="", anonymised_at=timezone.now())
    assert verify() == []
