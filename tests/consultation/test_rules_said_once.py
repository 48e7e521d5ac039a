"""Each consultation rule is written once and asked where it is needed: whether a window has a
public page, how long the response may take, whether it is overdue, who reads everything; and
the consultation app keeps no copy of governance's helpers."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation import access, workflow
from consultation.models import ConsultationWindow
from strategies.models import User
from tests.conftest import client_for
from tests.consultation.conftest import days


def _closed_long_ago(window: ConsultationWindow) -> ConsultationWindow:
    ConsultationWindow.objects.filter(pk=window.pk).update(
        state=ConsultationWindow.State.CLOSED, opens_on=days(-300), closes_on=days(-200)
    )
    return ConsultationWindow.objects.get(pk=window.pk)


# Public once opened -----------------------------------------------------------------------------


def test_whether_a_window_has_a_public_page_is_the_models_answer(
    monkeypatch, open_window, officer, off_route_secretary
):
    assert open_window.has_public_page
    window_url = reverse("consultation:window", kwargs={"pk": open_window.pk})
    assert open_window.get_public_url() in client_for(officer).get(window_url).text

    monkeypatch.setattr(ConsultationWindow, "has_public_page", property(lambda self: False))
    assert client_for(officer).get(open_window.get_public_url()).status_code == 404
    page = client_for(officer).get(window_url).text
    assert "Published when the window opens" in page
    assert open_window.get_public_url() not in page
    # A secretary, who may not read the responses, has no public page to be sent to.
    assert client_for(off_route_secretary).get(window_url).status_code == 403


def test_a_planned_window_has_no_public_page(planned):
    assert not planned.has_public_page


def test_sending_a_secretary_to_the_public_page_reads_the_window_once(
    off_route_secretary, open_window
):
    """The window page asks whether the person may read the responses; it does not try the
    reader's door and look the window up again when it is refused."""
    url = reverse("consultation:window", kwargs={"pk": open_window.pk})
    client = client_for(off_route_secretary)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response["Location"] == open_window.get_public_url()
    table = f'FROM "{ConsultationWindow._meta.db_table}"'
    assert sum(table in q["sql"] for q in queries.captured_queries) == 1


# 12 weeks -----------------------------------------------------------------------------------------


def test_the_response_period_is_said_from_response_within(monkeypatch, planned, officer):
    from portal.calendar.consultations import _window_entries

    assert ConsultationWindow.response_within() == "12 weeks"
    window = _closed_long_ago(planned)
    monkeypatch.setattr(ConsultationWindow, "RESPONSE_WITHIN", datetime.timedelta(weeks=8))
    assert window.response_within() == "8 weeks"
    assert window.response_due_by == days(-200) + datetime.timedelta(weeks=8)

    page = client_for(officer).get(window.get_absolute_url()).text
    assert "(8 weeks, Cabinet Office Consultation Principles)" in page
    assert "12 weeks" not in page
    due = next(
        e
        for e in _window_entries(window, window.get_absolute_url())
        if e.uid.endswith("-response-due@waymark")
    )
    assert "within 8 weeks of closing" in due.description
    assert "12 weeks" not in due.description

    monkeypatch.setattr(ConsultationWindow, "RESPONSE_WITHIN", datetime.timedelta(days=60))
    assert window.response_within() == "60 days"


# Overdue ------------------------------------------------------------------------------------------


def test_the_dashboard_asks_the_window_whether_its_response_is_overdue(
    monkeypatch, planned, officer
):
    def section() -> str:
        page = client_for(officer).get("/").text
        return page[page.index('id="dash-consult-heading"') :].split("</section>")[0]

    window = _closed_long_ago(planned)
    assert window.response_is_overdue
    assert "Overdue" in section() and "days late" in section()

    monkeypatch.setattr(ConsultationWindow, "response_is_overdue", property(lambda self: False))
    shown = section()
    assert window.title in shown and "Overdue" not in shown and "days late" not in shown


# Who reads everything -----------------------------------------------------------------------------


def test_reading_responses_follows_who_reads_everything(
    monkeypatch, strategy, manager, administrator, other_officer
):
    assert access.can_read(manager, strategy) and access.can_read(administrator, strategy)
    assert not access.can_read(other_officer, strategy)
    monkeypatch.setattr(User, "reads_everything", property(lambda self: True))
    assert access.can_read(other_officer, strategy)


# No copies of governance's helpers -------------------------------------------------------------


def test_consultation_keeps_no_copy_of_governance_helpers():
    from consultation.views import items, windows
    from consultation.workflow import moves
    from governance import workflow as governance
    from governance.views import common as governance_views
    from governance.workflow import common as governance_common

    assert windows.add_refusal is governance_views.add_refusal
    assert items.add_refusal is governance_views.add_refusal
    assert moves.refuse_if is governance_common.refuse_if
    assert not hasattr(moves, "_refuse_if")
    assert workflow.plan_refusal is governance.planner_refusal


# The portal's modules say they are the portal's ------------------------------------------------


def test_the_portals_consultation_modules_say_whose_they_are():
    from portal.dashboard import consultations as dashboard
    from portal.reminders import consultation as reminder

    assert dashboard.__doc__.startswith("The dashboard's consultation section")
    assert reminder.__doc__.startswith("The reminder sent when a consultation closes")
