"""Progress reports to the Board: who may start, write, take to a meeting and send one; the
period; the snapshot a sent report keeps and what changed since the last one; its gate and the
decision on it; its Word file, PDF and print view; and their query counts."""

from __future__ import annotations

import datetime
import io
import re
import time

import pytest
from docx import Document

from delivery import reports
from delivery.models import IndicatorValue, ProgressReport
from delivery.report_snapshot import take_snapshot
from governance.models import Body, BodySecretary, Purpose
from governance.workflow import WorkflowError
from strategies.models import Strategy
from tests.conftest import client_for
from tests.delivery.conftest import many_actions, milestone, set_stage, update
from tests.factories import add_indicator
from tests.governance.conftest import decide

D = datetime.date


@pytest.fixture
def board(lead_org, secretary):
    body = Body.objects.create(organisation=lead_org, name="Health and Wellbeing Board", kind="hwb")
    BodySecretary.objects.create(body=body, user=secretary)
    return body


@pytest.fixture
def delivering(strategy, action):
    return set_stage(strategy, Strategy.Stage.IN_DELIVERY)


JANUARY, JUNE_END = D(2019, 1, 1), D(2019, 6, 30)


def start(strategy, officer, begin=JANUARY, end=JUNE_END, title="Year one"):
    return reports.start_report(strategy, officer, title, begin, end)


def url(name, report, suffix=""):
    from django.urls import reverse

    return reverse(name, kwargs={"slug": report.strategy.slug, "pk": report.pk})


# The rules -------------------------------------------------------------------------------------


def test_a_draft_strategy_has_no_progress_report_yet(strategy, action, officer):
    assert "once the strategy is adopted" in reports.start_refusal(officer, strategy)
    with pytest.raises(WorkflowError):
        start(strategy, officer)


def test_only_planners_start_one(delivering, other_officer, secretary, administrator, officer):
    assert reports.start_refusal(other_officer, delivering).startswith("Only officers")
    assert reports.start_refusal(secretary, delivering).startswith("Only officers")
    assert reports.start_refusal(administrator, delivering) is None
    report = start(delivering, officer)
    assert report.prepared_by == officer
    assert report.history.first().history_change_reason == "Progress report started"


def test_the_period_is_in_order_not_in_the_future_and_not_reported_twice(delivering, officer):
    with pytest.raises(WorkflowError, match="cannot end before"):
        start(delivering, officer, D(2019, 6, 1), D(2019, 1, 1))
    with pytest.raises(WorkflowError, match="after today"):
        start(delivering, officer, D(2019, 6, 1), D.today() + datetime.timedelta(days=1))
    first = start(delivering, officer)
    start(delivering, officer, D(2019, 3, 1), D(2019, 9, 1), "A draft may overlap a draft")
    reports.send_report(first, officer)
    with pytest.raises(WorkflowError, match="already sent") as refused:
        start(delivering, officer, D(2019, 6, 30), D(2019, 12, 31))
    assert refused.value.field == "covers_from"
    with pytest.raises(WorkflowError, match="already sent"):  # the overlapping draft cannot go
        reports.send_report(ProgressReport.objects.get(title__startswith="A draft"), officer)


def test_a_sent_report_stays_as_it_was_sent(delivering, officer, action):
    report = start(delivering, officer)
    update(action, officer, D(2019, 2, 1), rag="amber")
    sent = reports.send_report(report, officer)
    assert sent.sent_at and sent.snapshot["priorities"][0]["actions"][0]["rag"] == "amber"
    update(action, officer, D(2019, 3, 1), rag="red")  # after sending, in its period
    sent.refresh_from_db()
    assert sent.snapshot["priorities"][0]["actions"][0]["rag"] == "amber"
    assert "stays as it was sent" in reports.edit_refusal(officer, sent)
    sent.summary = "Changed"
    with pytest.raises(WorkflowError):
        reports.save_report(sent, officer)
    with pytest.raises(WorkflowError):
        reports.send_report(sent, officer)


# The snapshot and what changed -----------------------------------------------------------------


def test_snapshot_reports_the_period_and_changes_since_the_last_report(delivering, officer, action):
    indicator = add_indicator(delivering, polarity="lower", unit="%")
    indicator.objectives.add(action.objective)
    for period, value in [("2017", "12.0"), ("2018", "11.0"), ("2019", "10.0")]:
        IndicatorValue.objects.create(
            indicator=indicator, period=period, period_start=f"{period}-01-01",
            period_end=f"{period}-12-31", value=value,
        )  # fmt: skip
    update(action, officer, D(2018, 12, 1), rag="red")
    update(action, officer, D(2019, 2, 1), rag="amber")
    m = milestone(action, officer, due_on=D(2019, 5, 1), completed_on=D(2019, 4, 20))
    late = milestone(action, officer, title="Leaflets", due_on=D(2019, 6, 1))
    first = start(delivering, officer, D(2019, 1, 1), D(2019, 6, 30))
    snap = take_snapshot(first)
    row = snap["priorities"][0]["actions"][0]
    assert (row["rag"], row["direction"]) == ("amber", "better")
    assert {x["title"]: x["state"] for x in row["milestones"]} == {
        m.title: "completed",
        late.title: "overdue",
    }
    ind = snap["priorities"][0]["indicators"][0]
    assert [v["period"] for v in ind["values"]] == ["2017", "2018"]  # 2019 ends after the period
    assert ind["since_previous"] == "better"
    changes = snap["changes"]  # no report before: since the period began
    assert changes["against"] == ""
    assert changes["rag_changes"][0]["from"] == "red" and changes["rag_changes"][0]["to"] == "amber"
    assert [x["title"] for x in changes["milestones_completed"]] == [m.title]
    reports.send_report(first, officer)

    update(action, officer, D(2020, 1, 10), status="complete", rag="green")
    second = start(delivering, officer, D(2019, 7, 1), D(2020, 3, 31), "Year two")
    changes = take_snapshot(second)["changes"]
    assert changes["against"] == "Year one" and changes["since"] == "2019-07-01"
    assert (
        changes["rag_changes"][0]["from"] == "amber" and changes["rag_changes"][0]["to"] == "green"
    )
    assert changes["completed"][0]["action"] == action.title
    moved = changes["indicators_moved"][0]
    assert (moved["from"], moved["value"], moved["judgement"]) == ("11", "10", "better")


# The gate and its decision ---------------------------------------------------------------------


def test_taken_to_the_board_to_monitor_and_the_decision_shows_on_its_page(
    strategy, action, officer, secretary, board
):
    from governance import workflow

    decide(workflow.add_gate(strategy, board, Purpose.ADOPT, officer), secretary)
    delivering = set_stage(strategy, Strategy.Stage.IN_DELIVERY)  # as its route left it
    report = start(delivering, officer)
    with pytest.raises(WorkflowError):
        reports.take_to_meeting(report, board, officer, purpose=Purpose.ADOPT)
    gate = reports.take_to_meeting(report, board, officer)
    report.refresh_from_db()
    assert report.gate == gate and gate.purpose == Purpose.MONITOR
    assert "already on the strategy's route" in reports.meeting_refusal(officer, report)
    decide(gate, secretary, outcome="noted", resolution="The Board noted the progress.")
    delivering.refresh_from_db()
    assert delivering.stage == Strategy.Stage.IN_DELIVERY
    page = client_for(officer).get(url("delivery:progress-report", report)).content.decode()
    assert "Noted" in page and "The Board noted the progress." in page


# Pages and files -------------------------------------------------------------------------------


def test_start_page_takes_it_to_a_meeting_and_shows_errors_beside_fields(
    delivering, officer, board
):
    from django.urls import reverse

    client = client_for(officer)
    address = reverse("delivery:start-progress-report", kwargs={"slug": delivering.slug})
    bad = client.post(address, {"title": "Q1", "covers_from": "2019-06-01",
                                "covers_to": "2019-01-01", "purpose": "monitor"})  # fmt: skip
    assert bad.status_code == 400 and "cannot end before it starts" in bad.content.decode()
    assert 'value="Q1"' in bad.content.decode()
    done = client.post(address, {"title": "Q1", "covers_from": "2019-01-01",
                                 "covers_to": "2019-03-31", "body": board.pk,
                                 "purpose": "note"})  # fmt: skip
    report = ProgressReport.objects.get(title="Q1")
    assert done.status_code == 302 and report.gate.purpose == Purpose.NOTE


def test_editing_saves_sections_and_a_stale_form_is_a_conflict(delivering, officer, action):
    report = start(delivering, officer)
    client = client_for(officer)
    data = {"title": "Year one", "covers_from": "2019-01-01", "covers_to": "2019-06-30",
            "summary": "Going well.", "recommendations": "1. Note the report\n2. Agree the plan",
            "risks": "", "next_steps": "", "version": 1,
            f"commentary_{action.objective.priority_id}": "Smoking is down."}  # fmt: skip
    assert client.post(url("delivery:progress-report", report), data).status_code == 302
    report.refresh_from_db()
    assert report.commentary == {str(action.objective.priority_id): "Smoking is down."}
    stale = client.post(url("delivery:progress-report", report), {**data, "summary": "Mine"})
    assert stale.status_code == 400
    assert stale.content.decode().count("saved a change to this item while you were editing") == 1


def test_the_word_file_has_the_sections_and_tables(delivering, officer, action):
    indicator = add_indicator(delivering, unit="%")
    indicator.objectives.add(action.objective)
    IndicatorValue.objects.create(indicator=indicator, period="2018", period_start="2018-01-01",
                                  period_end="2018-12-31", value="11.5")  # fmt: skip
    update(action, officer, D(2019, 2, 1), rag="red")
    report = start(delivering, officer)
    report.summary, report.recommendations = "All fine.", "Note it\nAgree it"
    reports.save_report(report, officer)
    response = client_for(officer).get(url("progress-report-docx", report))
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["1. Summary", "2. Recommendations", "3. Progress"]
    assert any(h.startswith("3.1 Priority 1") or h.startswith("3.1 ") for h in headings)
    assert "4. What changed since the period began" in headings
    texts = [p.text for p in document.paragraphs]
    assert "2.2\tAgree it" in texts
    action_table, values_table = document.tables
    rag = action_table.rows[1].cells[3]
    assert rag.text == "Red (off track)"
    # White on the red, as the PDF has it (--wm-rag-red-text on --wm-rag-red).
    assert rag._tc.tcPr.xpath("w:shd/@w:fill") == ["B00020"]
    assert {str(run.font.color.rgb) for run in rag.paragraphs[0].runs} == {"FFFFFF"}
    assert [c.text for c in values_table.rows[1].cells] == ["2018", "11.5", ""]
    (picture,) = document.inline_shapes  # the chart, drawn as in the PDF
    assert picture._inline.docPr.get("descr").startswith("1 value from 2018 (11.5 %) to 2018")


def test_the_print_view_draws_the_charts(delivering, officer, action):
    indicator = add_indicator(delivering)
    IndicatorValue.objects.create(indicator=indicator, period="2018", period_start="2018-01-01",
                                  period_end="2018-12-31", value="11.5")  # fmt: skip
    report = start(delivering, officer)
    page = client_for(officer).get(url("delivery:progress-report-print", report)).content.decode()
    assert "<svg" in page and "Across the strategy" in page and "Values of" in page


def test_an_indicator_has_a_chart_in_the_word_file_exactly_when_the_pdf_has_one(
    delivering, officer, action
):
    """Baseline and target with their dates make a chart without any value (the trajectory
    between them); an undated baseline alone has nothing to place, in either format."""
    planned = add_indicator(
        delivering, "Planned only", baseline="20", baseline_date=D(2016, 3, 31), target="14",
        target_date=D(2026, 3, 31),
    )  # fmt: skip
    bare = add_indicator(delivering, "Nothing to place", baseline="5")
    for indicator in (planned, bare):
        indicator.objectives.add(action.objective)
    report = start(delivering, officer)
    client = client_for(officer)
    printed = client.get(url("delivery:progress-report-print", report)).content.decode()
    assert re.findall(r'<title id="chart-\d+-large-title">([^<]*)</title>', printed) == [
        "Planned only: trend"
    ]
    assert "Nothing to place" in printed and "No values to draw yet" not in printed
    document = Document(io.BytesIO(client.get(url("progress-report-docx", report)).content))
    titles = [shape._inline.docPr.get("title") for shape in document.inline_shapes]
    assert titles == ["Planned only: trend"]


def test_the_pdf(delivering, officer, action):
    from portal.reports.files import pdf_unavailable_reason

    if reason := pdf_unavailable_reason():
        pytest.skip(reason)
    report = start(delivering, officer)
    response = client_for(officer).get(url("progress-report-pdf", report))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_sending_from_the_page_freezes_it(delivering, officer, other_officer):
    report = start(delivering, officer)
    assert (
        client_for(other_officer).post(url("delivery:send-progress-report", report)).status_code
        == 403
    )
    assert client_for(officer).post(url("delivery:send-progress-report", report)).status_code == 302
    report.refresh_from_db()
    assert report.sent_at is not None
    page = client_for(officer).get(url("delivery:progress-report", report)).content.decode()
    assert "Sent on" in page and "Write the report" not in page


@pytest.mark.parametrize("count", [2, 30])
def test_query_counts_do_not_grow_with_actions(
    delivering, officer, lead_org, count, django_assert_num_queries
):
    many_actions(delivering, lead_org, officer, count, updates_each=2)
    report = start(delivering, officer)
    client = client_for(officer)
    client.get(url("delivery:progress-report", report))  # warm the session
    with django_assert_num_queries(QUERIES["page"]):
        client.get(url("delivery:progress-report", report))
    with django_assert_num_queries(QUERIES["print"]):
        client.get(url("delivery:progress-report-print", report))
    with django_assert_num_queries(QUERIES["docx"]):
        client.get(url("progress-report-docx", report))


QUERIES = {"page": 16, "print": 12, "docx": 12}


# The admin ------------------------------------------------------------------------------------


def test_the_admin_writes_a_draft_through_the_rules_and_never_changes_a_sent_one(
    delivering, officer, administrator
):
    from django.urls import reverse

    report = start(delivering, officer)
    change = reverse("admin:delivery_progressreport_change", args=[report.pk])
    client = client_for(administrator)
    data = {
        "title": "Year one",
        "covers_from": "2019-01-01",
        "covers_to": "2019-06-30",
        "summary": "Most actions on track.",
        "recommendations": "",
        "commentary": "{}",
        "risks": "",
        "next_steps": "",
        "reason": "Summary written",
        "version": str(report.version),
    }
    assert client.post(change, data).status_code == 302
    report.refresh_from_db()
    assert report.summary == "Most actions on track."
    assert report.history.first().history_user == administrator
    # A second report may not cover the same days once the first is sent.
    reports.send_report(report, officer)
    overlapping = {**data, "strategy": delivering.pk, "title": "Again", "reason": ""}
    overlapping.pop("version")
    page = client.post(reverse("admin:delivery_progressreport_add"), overlapping)
    assert page.status_code == 200 and ProgressReport.objects.count() == 1
    # Sent: read-only, and a post changes nothing.
    client.post(change, {**data, "summary": "Rewritten", "version": str(report.version + 1)})
    report.refresh_from_db()
    assert report.summary == "Most actions on track." and report.sent_at is not None


def _indicators(strategy, objective, count=20, values_each=40):
    """`count` indicators of the objective, each with its own quarterly series."""
    from tests.delivery.test_indicators_chart import quarterly

    for n in range(count):
        indicator = add_indicator(
            strategy, f"Indicator {n + 1}", unit="%", polarity="lower", baseline="20",
            baseline_date=D(2005, 3, 31), target="14", target_date=D(2016, 3, 31),
        )  # fmt: skip
        indicator.objectives.add(objective)
        rows = quarterly(values_each)
        for row in rows:
            row.indicator, row.value = indicator, row.value + n  # no two charts alike
        IndicatorValue.objects.bulk_create(rows)


def test_the_word_file_has_each_chart_as_a_picture_with_its_description(
    delivering, officer, action
):
    from docx.oxml.ns import qn

    _indicators(delivering, action.objective, count=20)
    add_indicator(delivering, "No values yet").objectives.add(action.objective)
    report = start(delivering, officer)
    began = time.perf_counter()
    response = client_for(officer).get(url("progress-report-docx", report))
    took = time.perf_counter() - began
    document = Document(io.BytesIO(response.content))
    images = [p for p in document.part.package.parts if p.content_type == "image/png"]
    assert len(images) == 20  # one a chart; none for the indicator without values
    described = {
        shape._inline.docPr.get("title"): shape._inline.docPr.get("descr")
        for shape in document.inline_shapes
    }
    assert len(described) == 20
    assert described["Indicator 3: trend"] == (
        "40 values from 2005 Q1 (22 %) to 2014 Q4 (18.1 %). Baseline 20 %. "
        "Target 14 % by March 2016. Lower is better."
    )
    # Each picture follows the table of its figures.
    body = [child.tag for child in document.element.body]
    first_table = body.index(qn("w:tbl"), body.index(qn("w:tbl")) + 1)  # after the actions'
    assert document.element.body[first_table + 1].findall(".//" + qn("wp:docPr"))
    # 20 charts of 40 values each, with the tables beside them, on the first view: in the
    # seconds a Word download may take, not a minute (about 1.5 s here on a loaded machine).
    assert took < 10
