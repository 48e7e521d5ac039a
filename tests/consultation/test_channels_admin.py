"""Responses sent another way in the admin (read-only: how each came, filters by channel and
lateness; each import with its history) and on the analysis page, whose queries do not grow with
the responses keyed in or imported."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation import workflow
from consultation.models import ResponseImport
from tests.conftest import client_for
from tests.consultation.conftest import answers_for, days


def imported(window, officer, count: int, first: int = 0) -> ResponseImport:
    rows = [
        workflow.ImportedRow(
            line=n + 2,
            row_id=str(first + n),
            respondent_type="individual",
            received_on=days(-1),
            answers=answers_for(window),
        )
        for n in range(count)
    ]
    source = workflow.ImportedFile("export.csv", "a" * 64, "smart_survey", {"row_id": "ID"}, count)
    return workflow.import_responses(window, officer, source, rows)


def test_the_admin_shows_how_each_response_came_and_changes_nothing(
    open_window, officer, administrator
):
    record = imported(open_window, officer, 2)
    keyed = workflow.key_in_response(
        open_window, officer, "paper", days(-2), "individual", answers_for(open_window)
    )
    admin = client_for(administrator)
    listing = admin.get(reverse("admin:consultation_response_changelist") + "?channel=paper")
    assert listing.status_code == 200
    assert keyed.reference in listing.text
    assert "By channel" in listing.text and "By late" in listing.text
    page = admin.get(reverse("admin:consultation_response_change", args=[keyed.pk]))
    assert "A paper form" in page.text and str(officer) in page.text  # keyed by
    assert 'name="_save"' not in page.text  # read-only
    one = reverse("admin:consultation_responseimport_change", args=[record.pk])
    shown = admin.get(one)
    assert shown.status_code == 200 and "export.csv" in shown.text
    assert 'name="_save"' not in shown.text
    history = admin.get(reverse("admin:consultation_responseimport_history", args=[record.pk]))
    assert "Imported 2 responses from Smart Survey" in history.text
    assert admin.get(reverse("admin:consultation_responseimport_add")).status_code == 403


def test_the_analysis_page_queries_do_not_grow_with_responses_sent_another_way(
    open_window, officer, second_officer
):
    url = reverse("consultation:analysis", kwargs={"pk": open_window.pk})
    client = client_for(officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    imported(open_window, officer, 2)
    workflow.key_in_response(
        open_window, officer, "paper", days(-2), "individual", answers_for(open_window)
    )
    few = queries()
    imported(open_window, second_officer, 15, first=100)
    for _ in range(3):
        workflow.key_in_response(
            open_window, second_officer, "email", days(-1), "individual", answers_for(open_window)
        )
    assert queries() == few
