"""Respondents' personal data: kept for the retention period, then removed with the counts kept;
exported only to administrators."""

from __future__ import annotations

import csv
import datetime
import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultation import workflow
from consultation.models import PriorityAnswer, Response
from consultation.retention import anonymise_due_responses
from tests.conftest import client_for
from tests.consultation.conftest import answers_for


def _response(window, days_ago: int, **kw) -> Response:
    response = workflow.submit_response(
        window,
        kw.pop("respondent_type", "organisation"),
        answers_for(window, agreement=5, comment="My neighbour Mrs Smith needs help"),
        "Call me on 07700 900123",
        organisation_name="Carers Together",
    )
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return Response.objects.get(pk=response.pk)


def test_old_responses_lose_their_personal_parts_and_keep_their_counts(
    open_window, officer, settings
):
    settings.RESPONSE_RETENTION_DAYS = 365
    old, recent = _response(open_window, 400), _response(open_window, 10)
    Response.objects.filter(pk=old.pk).update(source_row_id="smartsurvey:88123")  # imported
    assert anonymise_due_responses() == 0  # the consultation is still open
    workflow.close_window(open_window, officer, "Enough responses")
    before = [(r.respondent_type, sorted(a.agreement for a in r.answers.all())) for r in (old,)]
    out = io.StringIO()
    call_command("anonymise_responses", "--dry-run", stdout=out)
    assert "1 response(s)" in out.getvalue()
    call_command("anonymise_responses", stdout=out)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.anonymised_at and not recent.anonymised_at
    assert old.general_comments == "" and old.organisation_name == "" and old.source_row_id == ""
    from audit.verify import verify

    assert verify() == []  # anonymising writes no history: the history never held them
    assert not PriorityAnswer.objects.filter(response=old).exclude(comment="").exists()
    assert [(old.respondent_type, sorted(a.agreement for a in old.answers.all()))] == before
    assert recent.general_comments == "Call me on 07700 900123"
    assert Response.objects.filter(window=open_window).count() == 2  # counts unchanged
    assert anonymise_due_responses() == 0  # once only


def test_analysis_page_says_the_details_were_removed(open_window, officer, settings):
    settings.RESPONSE_RETENTION_DAYS = 30
    _response(open_window, 100)
    workflow.close_window(open_window, officer, "Enough responses")
    anonymise_due_responses()
    page = client_for(officer).get(reverse("consultation:analysis", args=[open_window.pk]))
    assert "personal details removed" in page.text
    assert "07700 900123" not in page.text


def _csv(user, window) -> list[list[str]]:
    response = client_for(user).get(reverse("consultation:export", args=[window.pk]))
    return list(csv.reader(io.StringIO(response.getvalue().decode())))  # streamed


def test_only_administrators_export_who_responded(open_window, officer, manager, administrator):
    _response(open_window, 1)
    for user in (officer, manager):
        header, row = _csv(user, open_window)
        assert "organisation_name" not in header and "Carers Together" not in row
    header, row = _csv(administrator, open_window)
    assert "organisation_name" in header and "Carers Together" in row
