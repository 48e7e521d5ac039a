"""The record councils keep, shown wherever the portal quotes a gate or a decision: the CSV of
gates, the calendar feed, the committee report, the JSON export and import (files from before
these fields existed included), the public page of a published strategy and the dashboard."""

from __future__ import annotations

import copy
import csv
import datetime
import io

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.verify import verify
from governance import workflow
from governance.dates import long_date
from governance.models import Decision, Gate, Meeting, Purpose
from portal.exchange.document import export_strategy, import_strategy
from portal.reports import start_report
from tests.conftest import client_for, downloaded
from tests.factories import full_strategy
from tests.governance.conftest import meeting_of
from tests.portal.test_calendar import events, fetch, with_key

D = datetime.date
FROM = "the minutes of the Health and Wellbeing Board of March 2017"


@pytest.fixture
def recorded(lead_org, board, cabinet, officer, secretary, cabinet_secretary):
    """A strategy the Board approved in March 2017 (Minute 12/17), recorded after the fact, now
    on the agenda of Cabinet's next meeting as item 7b with report CAB 12/17, a key decision
    listed on the Forward Plan as KD/2017/041."""
    strategy = full_strategy(lead_org, title="Dudley Health and Wellbeing Strategy")
    review = workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    starts = timezone.make_aware(datetime.datetime(2017, 3, 1, 14))
    march = Meeting.objects.create(body=board, starts_at=starts, date_precision="month")
    workflow.schedule_gate(review, march, secretary, "HWB 3/17", "4")
    workflow.record_decision(
        review, secretary, "approved", "The Board approved the strategy.",
        decided_on=D(2017, 3, 20), decided_precision="month", minute_reference="12/17",
        recorded_later=True, recorded_from=FROM,
    )  # fmt: skip
    adopt = workflow.add_gate(
        strategy, cabinet, Purpose.ADOPT, officer, [review], key_decision=True,
        forward_plan_reference="KD/2017/041",
    )  # fmt: skip
    workflow.schedule_gate(adopt, meeting_of(cabinet, days_ago=-30), cabinet_secretary,
                           "CAB 12/17", "7b")  # fmt: skip
    strategy.refresh_from_db()
    return strategy


def csv_rows(user) -> list[dict]:
    response = client_for(user).get(reverse("governance:gates-csv"))
    return list(csv.DictReader(io.StringIO(downloaded(response))))


def test_the_csv_has_the_references_and_a_month_as_the_month(recorded, officer):
    rows = {r["purpose"]: r for r in csv_rows(officer)}
    approve, adopt = rows["Approve"], rows["Adopt"]
    assert (approve["decided on"], approve["minute reference"]) == ("2017-03", "12/17")
    assert approve["recorded after the fact from"] == FROM
    assert (approve["agenda item"], approve["report number"]) == ("4", "HWB 3/17")
    assert (adopt["agenda item"], adopt["report number"]) == ("7b", "CAB 12/17")
    assert adopt["Forward Plan reference"] == "KD/2017/041" and adopt["decided on"] == ""


def test_the_calendar_gives_the_references(recorded, officer):
    found = events(fetch(with_key(officer)))
    adopt = recorded.gates.get(purpose=Purpose.ADOPT)
    described = str(found[f"gate-{adopt.pk}@waymark"]["DESCRIPTION"])
    assert "On the agenda: item 7b, report CAB 12/17" in described
    assert "Forward Plan reference: KD/2017/041" in described
    meeting = str(found[f"meeting-{adopt.meeting_id}@waymark"]["DESCRIPTION"])
    assert f"On the agenda: 7b. {recorded.title} (adopt; report CAB 12/17)" in meeting


def test_the_call_in_entry_cites_the_minute_and_the_decision_notice(
    officer, strategy, cabinet, cabinet_secretary
):
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    meeting = meeting_of(cabinet, days_ago=2)
    workflow.schedule_gate(gate, meeting, cabinet_secretary)
    workflow.record_decision(
        gate, cabinet_secretary, "approved", "Adopted.", reasons="Needed.",
        alternatives_considered="None.", minute_reference="Minute 34/17",
        decision_notice_reference="DN 2017/12",
    )  # fmt: skip
    end = events(fetch(with_key(officer)))[f"gate-{gate.pk}-call-in@waymark"]
    assert "Minute 34/17" in str(end["DESCRIPTION"])
    assert "Decision notice DN 2017/12" in str(end["DESCRIPTION"])


def test_the_committee_report_gives_its_number_and_quotes_earlier_decisions_as_minuted(
    recorded, officer
):
    adopt = recorded.gates.get(purpose=Purpose.ADOPT)
    report = start_report(adopt, officer)
    assert "Health and Wellbeing Board, March 2017 (Minute 12/17): approved." in (
        report.route_so_far
    )
    page = client_for(officer).get(reverse("gate-report", args=[recorded.slug, adopt.pk])).text
    assert "Report number: CAB 12/17" in page and "Agenda item: 7b" in page
    assert page.index("Report number: CAB 12/17") < page.index(report.title)
    word = client_for(officer).get(reverse("report-docx", args=[recorded.slug, adopt.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "Report number: CAB 12/17" in text and "Agenda item: 7b" in text


def test_export_and_import_carry_the_references(recorded, administrator):
    document = export_strategy(recorded)
    copy_of = copy.deepcopy(document)
    copy_of["strategies"]["strategy"]["slug"] = "dudley-copy"
    imported, _notes = import_strategy(copy_of, by=administrator)
    gates = {g.purpose: g for g in imported.gates.all()}
    assert (gates["adopt"].report_number, gates["adopt"].agenda_item) == ("CAB 12/17", "7b")
    assert gates["adopt"].forward_plan_reference == "KD/2017/041"
    decision = Decision.objects.get(gate__strategy=imported)
    assert (decision.decided_when, decision.minute_reference) == ("March 2017", "12/17")
    assert decision.recorded_later and decision.recorded_from == FROM
    assert verify() == []


def test_a_file_from_before_the_references_were_kept_imports(
    strategy, board, officer, secretary, administrator
):
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    workflow.schedule_gate(gate, meeting_of(board, days_ago=2), secretary)
    workflow.record_decision(gate, secretary, "endorsed", "Endorsed.")
    document = export_strategy(strategy)
    later = {
        "gates": ["forward_plan_reference", "report_number", "agenda_item"],
        "decisions": ["decided_precision", "minute_reference", "decision_notice_reference",
                      "recorded_later", "recorded_from"],
    }  # fmt: skip
    for key, names in later.items():
        for row in document["governance"][key]:
            for name in names:
                del row[name]
    for row in document["history"]["governance.gate"]:
        for name in later["gates"]:
            del row[name]
    document["strategies"]["strategy"]["slug"] = "an-older-file"
    imported, _notes = import_strategy(document, by=administrator)
    decision = Decision.objects.get(gate__strategy=imported)
    assert decision.decided_precision == "day" and decision.minute_reference == ""
    assert Gate.objects.get(strategy=imported).report_number == ""
    assert verify() == []


def test_a_file_missing_another_field_is_still_refused(strategy, board, officer, administrator):
    from portal.exchange.document import ExchangeError

    workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    document = export_strategy(strategy)
    del document["governance"]["gates"][0]["purpose"]
    document["strategies"]["strategy"]["slug"] = "a-broken-file"
    with pytest.raises(ExchangeError, match="has no “purpose”"):
        import_strategy(document, by=administrator)


def test_the_public_page_quotes_the_decision_as_minuted(
    lead_org, board, officer, secretary, settings
):
    strategy = full_strategy(lead_org, title="Published strategy", slug="published-strategy")
    gate = workflow.add_gate(strategy, board, Purpose.ADOPT, officer)
    starts = timezone.make_aware(datetime.datetime(2017, 3, 1, 14))
    march = Meeting.objects.create(body=board, starts_at=starts, date_precision="month")
    workflow.schedule_gate(gate, march, secretary)
    workflow.record_decision(
        gate, secretary, "approved", "The Board adopted the strategy.", decided_on=D(2017, 3, 9),
        decided_precision="month", minute_reference="12/17", recorded_later=True,
        recorded_from=FROM,
    )  # fmt: skip
    workflow.publish(strategy, officer)
    page = Client().get(reverse("published-strategy", args=[strategy.slug])).text
    assert "Health and Wellbeing Board" in page and "March 2017: approved" in page
    assert "1 March 2017" not in page and "Minute 12/17" in page
    assert "Recorded after the fact" in page
    assert f"Recorded on {long_date(timezone.localdate())}, from {FROM}." in page
    assert secretary.display_name not in page  # who typed it in is internal


def test_the_dashboard_quotes_a_recent_decision_at_its_precision(
    officer, strategy, board, secretary
):
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    held = meeting_of(board, days_ago=0)
    workflow.schedule_gate(gate, held, secretary)
    decision = workflow.record_decision(
        gate, secretary, "endorsed", "Endorsed.", decided_precision="month",
        minute_reference="7/26",
    )  # fmt: skip
    page = client_for(officer).get("/").text
    assert f"{decision.decided_when} (Minute 7/26)" in page
