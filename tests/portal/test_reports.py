"""Committee reports (issue 6): pre-filled from what Waymark knows, edited with history and
conflict detection, read by everyone who reads the strategy, and read back from the Word file
and the PDF."""

from __future__ import annotations

import io
import re
import sys
from io import StringIO
from pathlib import Path

import docx
import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from governance import workflow
from governance.models import CommitteeReport, Gate, Purpose
from governance.workflow import WorkflowError
from portal import reports
from portal.reports import files as report_files
from strategies.models import EvidenceSource, Strategy, User
from tests.conftest import client_for
from tests.factories import add_evidence, add_objective, add_priority
from tests.governance.conftest import decide, meeting_of
from tests.ladder import climb

SEEDS = Path(__file__).resolve().parents[1] / "seeds"  # copies of shared/seeds


# Data ------------------------------------------------------------------------------------------


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def demo_gate(slug: str, purpose: str, body: str | None = None) -> Gate:
    gates = Gate.objects.filter(strategy__slug=slug, purpose=purpose)
    if body:
        gates = gates.filter(body__name=body)
    return gates.select_related("strategy", "body", "meeting").get()


@pytest.fixture
def route(strategy, board, cabinet, officer, secretary):
    """The Board has reviewed the strategy; Cabinet, on a meeting, is next."""
    strategy.author_name, strategy.author_title = "Tony Oakman", "Strategic Director People"
    strategy.contact_name, strategy.contact_phone = "Karen Jackson", "01384 816698"
    strategy.contact_email = "karen.jackson@example.gov.uk"
    strategy.save()
    priority = add_priority(strategy, "Improve wellbeing")
    add_objective(priority, "Healthier lifestyles")
    add_objective(priority, "Fewer hospital admissions")
    add_evidence(strategy, "Joint Strategic Needs Assessment", year="2011/12")
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    decide(review, secretary, "approved_with_amendments", resolution="A few amendments.")
    endorse = workflow.add_gate(strategy, cabinet, Purpose.ENDORSE, officer, [review])
    workflow.schedule_gate(endorse, meeting_of(cabinet, days_ago=-10), _cabinet_secretary(cabinet))
    return Gate.objects.select_related("strategy", "body", "meeting").get(pk=endorse.pk)


def _cabinet_secretary(cabinet):
    from governance.models import BodySecretary
    from tests.factories import UserFactory

    user = UserFactory(
        username="cabinet-secretary",
        organisation=cabinet.organisation,
        role=User.Role.SECRETARY,
    )
    BodySecretary.objects.create(body=cabinet, user=user)
    return user


@pytest.fixture
def report(route, officer):
    return reports.start_report(route, officer)


def url(name: str, gate: Gate) -> str:
    return reverse(name, kwargs={"slug": gate.strategy.slug, "pk": gate.pk})


def form_data(report: CommitteeReport, **changes) -> dict:
    from django.forms.models import model_to_dict

    data = {k: ("" if v is None else v) for k, v in model_to_dict(report).items()}
    data.pop("gate", None)
    data.pop("id", None)
    return {**data, "version": report.version, **changes}


# Pre-filling from the demo data ---------------------------------------------------------------


def test_prefill_dudley_cabinet_from_the_demo(demo):
    gate = demo_gate("dudley-hws-2017-2022", Purpose.ENDORSE, "Cabinet")
    data = reports.prefill(gate)
    assert data["meeting_line"] == "Meeting of the Cabinet – 13 September 2017"
    assert (data["author_name"], data["author_title"]) == (
        "Tony Oakman",
        "Strategic Director People",
    )
    assert (data["contact_name"], data["contact_phone"], data["contact_email"]) == (
        "Karen Jackson",
        "01384 816698",
        "Karen.jackson@dudley.gov.uk",
    )
    # Earlier decisions, each dated at the precision known.
    so_far = data["route_so_far"]
    assert "Dudley Health and Wellbeing Board, March 2017: endorsed." in so_far
    assert "Dudley Health and Wellbeing Board, 28 June 2017: approved with amendments." in so_far
    assert "Portfolio holders, People Directorate, 10 July 2017: noted." in so_far
    assert "Informal Cabinet, 24 July 2017: noted." in so_far
    # The timetable ahead, from this meeting to the December sign-off.
    timetable = data["timetable"]
    assert "- Cabinet: endorse – 13 September 2017 (this report)" in timetable
    assert "- Wider Corporate Board: discuss – date to be set" in timetable
    assert "Scrutiny Committee: scrutinise – 27 September 2017 (on the agenda)" in timetable
    assert "- Dudley Health and Wellbeing Board: sign off – December 2017" in timetable
    assert "consult – over the summer and autumn period 2017" in timetable
    # The strategy, its evidence and its engagement.
    assert "The strategy has 3 goals and 9 objectives:" in data["strategy_content"]
    assert "Feedback from the people's network" in data["evidence"]
    assert "is planned over the summer and autumn period 2017" in data["consultation"]
    assert "- Dudley Community Voluntary Service:" in data["consultation"]
    assert "replaces the Dudley Health and Wellbeing Strategy 2012–2016" in data["background"]
    assert data["recommendations"] == (
        "That the Cabinet endorse Dudley's Health and Wellbeing Strategy 2017–2022."
    )


def test_prefill_milton_keynes_consultation_gate_from_the_demo(demo):
    gate = demo_gate("milton-keynes-jhws-2012-2015", Purpose.APPROVE_CONSULTATION)
    data = reports.prefill(gate)
    assert data["meeting_line"] == (
        "Meeting of the Milton Keynes Shadow Health and Wellbeing Board – June 2012"
    )
    assert data["author_name"] == "Mick Hancock"
    content = data["strategy_content"]
    assert "The strategy has 3 priorities and 9 objectives:" in content
    for priority in (
        "Improve Wellbeing",
        "Reduce early deaths and tackle major diseases",
        "Reduce health inequalities",
    ):
        assert priority in content
    for source in (
        "Joint Strategic Needs Assessment 2011/12",
        "MK Social Atlas 2011",
        "Public Health Report 2010",
    ):
        assert f"- {source}" in data["evidence"]
    consultation = data["consultation"]
    assert "ran from 25 June 2012 to 22 September 2012 (90 days)" in consultation
    assert "with the public, stakeholder organisations and partners" in consultation
    assert "Consultation closed with 24 responses" in consultation
    assert "Consultation event hosted by the Shadow Health and Wellbeing Board" in consultation
    assert "Agreement with each priority:" in consultation
    # The route so far stops at this gate's decision; what came after is in the timetable.
    so_far = data["route_so_far"]
    assert "Milton Keynes Shadow Health and Wellbeing Board, 1 December 2011: approved." in so_far
    assert "JHWS Strategy Development Group, March 2012: endorsed." in so_far
    assert "approve consultation" not in so_far
    timetable = data["timetable"]
    assert "approve consultation – June 2012 (this report; approved in June 2012)" in timetable
    assert "consult – 25 June 2012 to 22 September 2012 (completed)" in timetable
    assert "approve – 27 September 2012 (on the agenda)" in timetable
    assert "- Milton Keynes Council Cabinet: adopt – date to be set" in timetable
    assert "- Milton Keynes CCG Governing Body: adopt – date to be set" in timetable


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_demo_reports_reproduce_the_seed_reports(demo):
    mk = demo_gate("milton-keynes-jhws-2012-2015", Purpose.APPROVE_CONSULTATION).report
    doc = reports.build_document(mk)
    assert doc.title == "Joint Health and Wellbeing Strategy 2012 - 2015"
    assert doc.author == "Mick Hancock, Assistant Director Joint Commissioning"
    sections = {s.field: s for s in doc.sections}
    assert (
        sections["purpose"]
        .paragraphs[0]
        .text.startswith(
            "This report summarises the work undertaken so far to produce a three year Joint Health"
        )
    )
    assert [p.text for p in sections["recommendations"].paragraphs] == [
        "That the Board agrees to a 90 day consultation period",
        "That the Board takes an active role in consulting with the public, stakeholders and "
        "partners including hosting a consultation event",
    ]
    first_issue = sections["key_issues"].paragraphs[0]
    assert [(i.marker, i.text) for i in first_issue.items] == [
        ("1.", "Improve Wellbeing"),
        ("2.", "Reduce early deaths and tackle major diseases"),
        ("3.", "Reduce health inequalities"),
    ]
    assert len(sections["key_issues"].paragraphs) == 4
    assert "See Appendix A" in sections["background"].paragraphs[0].text
    assert doc.appendices == [("A", "Draft Joint Health and Wellbeing Strategy")]
    # The report went with the papers the Board decided on: it stays as sent.
    assert "has decided on this gate" in reports.gate_refusal(mk.gate)

    dudley = demo_gate("dudley-hws-2017-2022", Purpose.ENDORSE, "Cabinet").report
    doc = reports.build_document(dudley)
    sections = {s.field: s for s in doc.sections}
    assert doc.meeting_line == "Meeting of the Cabinet – 13 September 2017"
    assert doc.report_of == "Report of the Strategic Director People"
    assert doc.title == "Dudley's Health and Wellbeing Strategy 2017-2022"
    assert len(sections["background"].paragraphs) == 10  # the seed's paragraphs 2 to 11
    discussed = sections["background"].paragraphs[7]
    assert discussed.text == "The draft strategy will be discussed with"
    assert [i.text for i in discussed.items][2] == "Wider Corporate board- date to be determined"
    assert sections["finance"].paragraphs[0].text == (
        "There are no direct financial implications arising from the contents of this report"
    )
    assert sections["law"].paragraphs[0].text == (
        "There are no direct legal implications arising from the contents of this report"
    )
    assert (
        sections["equality"]
        .paragraphs[0]
        .text.startswith(
            "This report has no direct implications for the Council's commitment to equality"
        )
    )
    assert doc.contact == {
        "name": "Karen Jackson",
        "phone": "01384 816698",
        "email": "Karen.jackson@dudley.gov.uk",
    }
    assert doc.appendices == [("A", "Health and Wellbeing Strategy")]
    # Waymark started it, the officer wrote the seed's words, then refreshed the engagement.
    reasons = list(dudley.history.order_by("history_id").values_list("history_change_reason"))
    assert [r for (r,) in reasons] == [
        "Report started from what Waymark knows",
        "Demo data: the text of the seed report",
        "Refreshed from Waymark: Consultation, Timetable",
    ]
    assert reports.stale_fields(dudley) == []
    assert reports.report_refusal(User.objects.get(username="officer"), dudley.gate) is None


def test_every_officer_sentence_of_the_demo_reports_is_in_its_seed(demo):
    """The demo's words are the seeds' words: every paragraph and item the officer sections hold
    appears in the seed report (whitespace aside)."""
    mk = demo_gate("milton-keynes-jhws-2012-2015", Purpose.APPROVE_CONSULTATION)
    dudley = demo_gate("dudley-hws-2017-2022", Purpose.ENDORSE, "Cabinet")
    for seed, gate in [("000_b4eba5cfe6dcd5d6.txt", mk), ("003_7cf9527d4f5e01f1.txt", dudley)]:
        text = _words((SEEDS / seed).read_text())
        doc = reports.build_document(gate.report)
        for section in doc.sections:
            if section.known:
                continue
            for paragraph in section.paragraphs:
                if section.field == "recommendations":
                    continue  # a list in the seed ("It is recommended that:-")
                assert _words(paragraph.text) in text, (seed, paragraph.text)
                for item in paragraph.items:
                    assert _words(item.text) in text, (seed, item.text)
        assert doc.title in text


# Starting, editing, refreshing ------------------------------------------------------------------


def test_starting_a_report_prefills_it_and_records_who(report, officer):
    assert report.version == 1
    assert report.meeting_line.startswith("Meeting of the Cabinet – ")
    assert report.recommendations == (
        "That the Cabinet endorse the Dudley Health and Wellbeing Strategy 2017–2022."
    )
    assert "Health and Wellbeing Board, " in report.route_so_far
    assert "approved with amendments. A few amendments." in report.route_so_far
    assert "- Healthier lifestyles" in report.strategy_content
    assert "- Joint Strategic Needs Assessment 2011/12" in report.evidence
    assert report.consultation == ""  # no consultation on this route
    record = report.history.get()
    assert record.history_user == officer
    assert record.history_change_reason == "Report started from what Waymark knows"
    with pytest.raises(WorkflowError, match="already has its committee report"):
        reports.start_report(report.gate, officer)


@pytest.mark.parametrize("persona", ["secretary", "manager", "other_officer", "administrator"])
def test_only_lead_officers_start_reports(request, route, persona):
    with pytest.raises(WorkflowError, match="Only officers of the lead organisation"):
        reports.start_report(route, request.getfixturevalue(persona))


def test_no_report_for_a_consultation_gate(strategy, board, officer):
    gate = workflow.add_gate(strategy, board, Purpose.CONSULT, officer)
    with pytest.raises(WorkflowError, match="consultation gate"):
        reports.start_report(gate, officer)


def test_report_pages_ladder(request, report):
    gate = report.gate
    readers = {
        "officer": 200,
        "secretary": 200,
        "manager": 200,
        "administrator": 200,
        "other_officer": 404,  # another organisation's draft does not exist for them
    }
    for name in ("gate-report", "print-report", "report-docx"):
        climb(request, url(name, gate), readers)
    climb(
        request,
        reverse("strategy-report", kwargs={"slug": gate.strategy.slug}),
        readers,
    )
    climb(
        request,
        url("edit-report", gate),
        {
            "officer": 200,
            "second_officer": 200,
            "secretary": 403,
            "manager": 403,
            "administrator": 403,
            "other_officer": 404,
        },
    )
    climb(
        request,
        url("refresh-report", gate),
        {"secretary": 403, "manager": 403, "other_officer": 404},
        method="post",
        data={"sections": ["timetable"]},
    )


def test_start_from_the_page(route, officer, secretary):
    assert client_for(secretary).post(url("start-report", route)).status_code == 403
    page = client_for(officer).get(url("gate-report", route))
    assert "Prepare the committee report" in page.content.decode()
    response = client_for(officer).post(url("start-report", route))
    assert response.status_code == 302 and response["Location"] == url("gate-report", route)
    assert CommitteeReport.objects.filter(gate=route).count() == 1
    assert (
        "Prepare the committee report"
        not in client_for(secretary).get(url("gate-report", route)).content.decode()
    )


def test_missing_report_files_are_not_found(route, officer):
    client = client_for(officer)
    for name in ("print-report", "report-docx", "report-pdf", "edit-report"):
        assert client.get(url(name, route)).status_code == 404, name


def test_editing_saves_with_the_reason_in_the_history(report, officer):
    response = client_for(officer).post(
        url("edit-report", report.gate),
        form_data(
            report,
            finance="There are no direct financial implications.",
            key_issues="First issue.\n\nSecond issue:\n- one\n- two",
            reason="Finance checked with the section 151 officer",
        ),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.version == 2
    assert report.finance == "There are no direct financial implications."
    latest = report.history.first()
    assert latest.history_change_reason == "Finance checked with the section 151 officer"
    assert latest.history_user == officer
    page = client_for(officer).get(url("gate-report", report.gate)).content.decode()
    assert "Finance checked with the section 151 officer" in page
    # The strategy's History tab lists it too.
    history = client_for(officer).get(
        reverse("strategy-history", kwargs={"slug": report.gate.strategy.slug})
    )
    assert "Report to the Cabinet: Endorse" in history.content.decode()


def test_saving_the_form_unchanged_saves_nothing_though_the_browser_sends_crlf(report, officer):
    """Browsers send a text area's line breaks as CRLF: the report sent back as it was opened
    is no new version, has no row in the history and is not out of date with Waymark."""
    report.background = "First paragraph.\n\nSecond paragraph."
    report.save()
    before = report.history.count()
    as_sent = {
        name: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for name, value in form_data(report).items()
    }
    client = client_for(officer)
    response = client.post(url("edit-report", report.gate), as_sent, follow=True)
    assert "Nothing was changed, so nothing was saved." in response.content.decode()
    report.refresh_from_db()
    assert report.history.count() == before and report.version == 1
    assert "Waymark now knows something different" not in response.content.decode()
    # A change is kept with LF line ends, whatever the browser sent.
    as_sent["finance"] = "Line one.\r\nLine two."
    client.post(url("edit-report", report.gate), as_sent)
    report.refresh_from_db()
    assert report.finance == "Line one.\nLine two." and report.version == 2
    assert report.background == "First paragraph.\n\nSecond paragraph."


def test_a_second_editor_is_told_of_the_conflict_and_keeps_their_text(
    report, officer, second_officer
):
    opened = form_data(report)
    first = client_for(officer).post(
        url("edit-report", report.gate), {**opened, "finance": "Olivia's finance text."}
    )
    assert first.status_code == 302
    second = client_for(second_officer).post(
        url("edit-report", report.gate), {**opened, "finance": "Oscar's finance text."}
    )
    assert second.status_code == 200
    page = second.content.decode()
    assert "Someone else changed this while you were editing" in page
    said = f"{officer.display_name} saved a change to this item while you were editing it"
    assert page.count("saved a change to this item") == 1 and said in page
    assert "Olivia&#x27;s finance text." in page and "Oscar&#x27;s finance text." in page
    report.refresh_from_db()
    assert report.finance == "Olivia's finance text."
    # Saving again after reading the conflict is deliberate and goes through.
    moved_on = second.context["form"]["version"].value()
    again = client_for(second_officer).post(
        url("edit-report", report.gate),
        {**opened, "finance": "Oscar's finance text.", "version": moved_on},
    )
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.finance == "Oscar's finance text." and report.version == 3


def test_contact_details_are_checked_and_input_kept(report, officer):
    response = client_for(officer).post(
        url("edit-report", report.gate),
        form_data(
            report,
            contact_phone="call me",
            contact_email="not-an-email",
            law="Typed law text",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "contact_phone" in errors and "contact_email" in errors
    assert "Typed law text" in response.content.decode()
    report.refresh_from_db()
    assert report.law == "" and report.version == 1


def test_published_papers_freeze_the_report(report, officer, route):
    secretary = User.objects.get(username="cabinet-secretary")
    opened = form_data(report, finance="Too late")
    workflow.publish_agenda(route.meeting, timezone.localdate(), secretary)
    client = client_for(officer)
    refused = client.get(url("edit-report", route))
    assert refused.status_code == 403
    assert "papers for the Cabinet meeting" in refused.content.decode()
    # A form opened before the papers went out is not saved; the typed text stays on screen.
    late = client.post(url("edit-report", route), opened)
    assert late.status_code == 409
    assert "Not saved: The papers for the Cabinet meeting" in late.content.decode()
    assert "Too late" in late.content.decode()
    report.refresh_from_db()
    assert report.finance == ""
    page = client.get(url("gate-report", route)).content.decode()
    assert "This report stays as it is" in page and "Edit the report" not in page
    with pytest.raises(WorkflowError, match="papers"):
        reports.refresh_report(report, officer, ["timetable"])


def test_refresh_rewrites_the_known_sections_and_keeps_the_officers(report, officer, route):
    reports.update_report(
        report,
        officer,
        "Drafting",
        finance="No direct financial implications.",
        timetable="My own timetable wording.",
        strategy_content="My own wording.",
    )
    strategy = route.strategy
    add_priority(strategy, "Reduce health inequalities")
    add_evidence(strategy, "Social atlas", kind=EvidenceSource.Kind.SOCIAL_ATLAS, year="2011")
    report.refresh_from_db()
    stale = reports.stale_fields(report)
    assert set(stale) == {"timetable", "strategy_content", "evidence"}
    page = client_for(officer).get(url("gate-report", route)).content.decode()
    assert "Waymark now knows something different" in page

    response = client_for(officer).post(
        url("refresh-report", route), {"sections": ["strategy_content", "evidence"]}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert "Priority 2: Reduce health inequalities" in report.strategy_content
    assert "- Social atlas 2011" in report.evidence
    assert report.timetable == "My own timetable wording."  # not chosen, so kept
    assert report.finance == "No direct financial implications."  # the officer's own
    assert report.history.first().history_change_reason == (
        "Refreshed from Waymark: Priorities and objectives, Evidence"
    )
    # Nothing new to write: nothing changes and the version stays.
    version = report.version
    assert reports.refresh_report(report, officer, ["evidence"]) == []
    report.refresh_from_db()
    assert report.version == version
    nothing = client_for(officer).post(url("refresh-report", route), {})
    assert nothing.status_code == 302


def test_refresh_makes_an_open_edit_form_conflict(report, officer):
    opened = form_data(report, finance="Typed meanwhile")
    reports.refresh_report(report, officer, reports.KNOWN_FIELDS)  # nothing changed: no bump
    report.gate.strategy.priorities.first().objectives.first().delete()
    reports.refresh_report(report, officer, ["strategy_content"])
    response = client_for(officer).post(url("edit-report", report.gate), opened)
    assert response.status_code == 200 and response.context["form"].conflict is not None


# The layout -------------------------------------------------------------------------------------


def test_text_becomes_numbered_paragraphs_with_lists():
    blocks = reports.blocks(
        "First paragraph\nwrapped.\n\nIt lists:\n- one\n- two\nAnd goes on.\n\n"
        "Priorities:\n1. Improve Wellbeing\n2) Reduce inequalities"
    )
    assert [(lead, [(i.marker, i.text) for i in items]) for lead, items in blocks] == [
        ("First paragraph wrapped.", []),
        ("It lists:", [("", "one"), ("", "two")]),
        ("And goes on.", []),
        ("Priorities:", [("1.", "Improve Wellbeing"), ("2)", "Reduce inequalities")]),
    ]


def test_document_numbers_sections_and_leaves_empty_ones_out(report):
    report.purpose = "To ask Cabinet to endorse.\n\nA second paragraph."
    report.recommendations = "1. That Cabinet endorse the strategy.\n2. That Cabinet notes it."
    report.appendices = "Appendix A: The strategy\nThe action plan"
    doc = reports.build_document(report)
    assert [(s.number, s.heading) for s in doc.sections][:3] == [
        (1, "Purpose of report"),
        (2, "Recommendations"),
        (3, "Background"),
    ]
    assert [p.number for p in doc.sections[0].paragraphs] == ["1.1", "1.2"]
    assert [p.text for p in doc.sections[1].paragraphs] == [
        "That Cabinet endorse the strategy.",
        "That Cabinet notes it.",
    ]
    assert "Priorities and objectives" in [s.heading for s in doc.sections]
    assert doc.empty == ["Key issues", "Finance", "Law", "Equality impact"]
    assert doc.appendices == [("A", "The strategy"), ("B", "The action plan")]


# The three formats, read back -------------------------------------------------------------------


def test_word_file_reads_back_with_headings_and_numbered_paragraphs(report, officer):
    reports.update_report(
        report,
        officer,
        "",
        finance="None.",
        background="Why now.\n\nWhat happened:\n- one\n- two",
        appendices="The strategy",
    )
    response = client_for(officer).get(url("report-docx", report.gate))
    assert response.status_code == 200
    assert response["Content-Type"] == report_files_docx_type()
    assert response["Content-Disposition"].startswith('attachment; filename="committee-report-')
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == [
        "1. Purpose of report",
        "2. Recommendations",
        "3. Background",
        "4. Evidence",
    ]
    assert "8. Finance" in headings
    texts = [p.text for p in document.paragraphs]
    assert texts[0].startswith("Meeting of the Cabinet – ")
    assert texts[1] == "Report of the Strategic Director People"
    assert "Author: Tony Oakman, Strategic Director People" in texts
    assert [p.style.name for p in document.paragraphs if p.text == report.title] == ["Title"]
    assert (
        "2.1\tThat the Cabinet endorse the Dudley Health and Wellbeing Strategy 2017–2022." in texts
    )
    assert "3.1\tWhy now." in texts and "3.2\tWhat happened:" in texts
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets[:2] == ["one", "two"]
    assert "8.1\tNone." in texts
    assert "Contact officer" in texts
    assert "Karen Jackson\nTelephone: 01384 816698\nEmail: karen.jackson@example.gov.uk" in texts
    assert "Appendix A – The strategy" in texts
    assert document.core_properties.title == report.title
    assert document.core_properties.author == "Tony Oakman"


def report_files_docx_type() -> str:
    from portal.reports.views import DOCX_TYPE

    return DOCX_TYPE


def test_pdf_reads_back(report, officer):
    reports.update_report(report, officer, "", finance="No direct financial implications.")
    response = client_for(officer).get(url("report-pdf", report.gate))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for expected in [
        "Report of the Strategic Director People",
        report.title,
        "1. Purpose of report",
        "1.1",
        "2. Recommendations",
        "That the Cabinet endorse",
        "Finance",
        "No direct financial implications.",
        "Contact officer",
        "Karen Jackson",
        "Page 1 of",
    ]:
        assert expected in text, expected
    assert pdf.metadata.title.startswith(report.title)


def test_without_weasyprint_the_pdf_link_says_why(report, officer, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now fails
    client = client_for(officer)
    page = client.get(url("gate-report", report.gate)).content.decode()
    assert "No PDF:" in page and "Pango" in page
    assert url("report-pdf", report.gate) not in page
    assert url("report-docx", report.gate) in page
    response = client.get(url("report-pdf", report.gate))
    assert response.status_code == 503
    body = response.content.decode()
    assert "PDF files need WeasyPrint" in body
    assert url("print-report", report.gate) in body


def test_a_failing_pdf_library_is_explained_not_a_server_error(report, officer, monkeypatch):
    def broken(html):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(report_files, "pdf_bytes", broken)
    response = client_for(officer).get(url("report-pdf", report.gate))
    assert response.status_code == 503
    assert "could not be made on this server" in response.content.decode()


def test_print_view_is_its_own_page_for_paper(report, manager):
    response = client_for(manager).get(url("print-report", report.gate))
    page = response.content.decode()
    assert response.status_code == 200
    assert "css/report-print.css" in page and "bootstrap" not in page
    assert "Sign out" not in page  # no navigation
    assert f'<h1 class="report-title" id="report-title-{report.pk}">{report.title}</h1>' in page
    assert '<h2 class="report-heading"' in page and '<span class="report-number">1.1</span>' in page


# Where reports are found ------------------------------------------------------------------------


def test_route_links_each_meeting_gate_to_its_report(report, officer, board):
    workflow.add_gate(report.gate.strategy, board, Purpose.CONSULT, officer)
    page = client_for(officer).get(
        reverse("governance:route", kwargs={"slug": report.gate.strategy.slug})
    )
    text = page.content.decode()
    assert text.count(">Committee report<span") == 2  # the Board and Cabinet, not the consultation
    assert "(version 1)" in text and "(not started)" in text


def test_report_tab_shows_the_next_gates_report(report, officer):
    tab = reverse("strategy-report", kwargs={"slug": report.gate.strategy.slug})
    page = client_for(officer).get(tab).content.decode()
    assert "Next: the Cabinet" in page
    assert "1. Purpose of report" in page and "Edit the report" in page


def test_report_tab_without_a_route_or_with_parallel_gates(strategy, officer, board, cabinet):
    tab = reverse("strategy-report", kwargs={"slug": strategy.slug})
    assert "Plan the route" in client_for(officer).get(tab).content.decode()
    workflow.add_gate(strategy, board, Purpose.ADOPT, officer)
    page = client_for(officer).get(tab).content.decode()
    assert "No committee report for the Health and Wellbeing Board yet." in page
    assert "Prepare the committee report" in page
    workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    page = client_for(officer).get(tab).content.decode()
    assert "2 gates are next, in parallel" in page and "choose one below" in page


def test_withdrawn_strategy_reports_cannot_change(report, officer):
    workflow.withdraw(report.gate.strategy, officer, "Merged into another strategy")
    assert Strategy.objects.get().stage == Strategy.Stage.WITHDRAWN
    assert client_for(officer).get(url("edit-report", report.gate)).status_code == 403


def test_admin_reads_reports_with_their_history(report, administrator):
    client = client_for(administrator)
    assert client.get("/admin/governance/committeereport/").status_code == 200
    change = client.get(f"/admin/governance/committeereport/{report.pk}/change/")
    assert change.status_code == 200 and "Save" not in change.content.decode()
    assert client.get(f"/admin/governance/committeereport/{report.pk}/history/").status_code == 200


# Query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 8])
def test_report_pages_query_count_does_not_grow(
    size, strategy, board, cabinet, officer, secretary, django_assert_num_queries
):
    previous = []
    for n in range(size):
        priority = add_priority(strategy, f"Priority {n}")
        add_objective(priority, f"Objective {n}")
        add_evidence(strategy, f"Evidence {n}")
        gate = workflow.add_gate(strategy, board, Purpose.DISCUSS, officer, previous[-1:])
        decide(gate, secretary, "noted", days_ago=30 - n)
        previous.append(gate)
    consult = workflow.add_gate(strategy, board, Purpose.CONSULT, officer, previous[-1:])
    gate = workflow.add_gate(strategy, cabinet, Purpose.ENDORSE, officer, [consult])
    report = reports.start_report(gate, officer)
    for n in range(size):
        reports.update_report(report, officer, f"Edit {n}", finance=f"Finance {n}")
    client = client_for(officer)
    # session, user with their organisation (for the menu), strategy, gate with its report,
    # the report's history; what Waymark knows now: strategy, partners, priorities, objectives,
    # evidence, gates, waits-for, decisions, consultation windows; the strategy's partner
    # links, to name its leads in the header (joint strategies); the papers that go with the
    # report (its appendices, documents)
    with django_assert_num_queries(16):
        assert client.get(url("gate-report", gate)).status_code == 200
    # session, user with their organisation, strategy, gates with reports, waits-for, decisions;
    # the strategy's partner links, to name its leads in the header (joint strategies)
    with django_assert_num_queries(7):
        tab = reverse("strategy-report", kwargs={"slug": strategy.slug})
        assert client.get(tab).status_code == 200
    with django_assert_num_queries(5):  # and the papers that go with the report
        assert client.get(url("report-docx", gate)).status_code == 200


# The rules are governance's --------------------------------------------------------------------


def test_the_report_rules_are_governances_own(route, officer):
    """Who may change a report, and when, is asked of governance (workflow.reports), in the
    sentences governance's other checks give: the closed route as every move says it, the
    papers as the strategy's editing lock says them."""
    from django.utils.text import capfirst

    from governance.workflow import reports as rules

    assert reports.report_refusal is rules.report_refusal
    assert reports.gate_refusal is rules.gate_refusal
    assert reports.writer_refusal is rules.writer_refusal
    cabinet_secretary = User.objects.get(username="cabinet-secretary")
    workflow.publish_agenda(route.meeting, timezone.localdate(), cabinet_secretary)
    gate = Gate.objects.select_related("strategy", "body", "meeting").get(pk=route.pk)
    text_lock = gate.strategy.editing_closed_reason
    assert text_lock.endswith("so the text stays as sent until the Cabinet decides.")
    assert reports.gate_refusal(gate) == capfirst(text_lock.replace("the text", "the report"))
    workflow.withdraw(gate.strategy, officer, "Replaced by the joint strategy")
    gate = Gate.objects.select_related("strategy", "body", "meeting").get(pk=route.pk)
    closed = workflow.active_refusal(gate.strategy)
    assert closed == "This strategy is withdrawn; its route is closed."
    assert reports.gate_refusal(gate) == closed
    assert reports.report_refusal(officer, gate) == closed


def test_a_report_changes_under_the_lock_the_workflow_moves_take(route, officer, monkeypatch):
    from portal.reports import editing

    locked = []

    def lock_strategy(strategy):
        locked.append(strategy.pk)
        return workflow.lock_strategy(strategy)

    monkeypatch.setattr(editing, "lock_strategy", lock_strategy)
    report = reports.start_report(route, officer)
    reports.update_report(report, officer, "Finance added", finance="No cost.")
    reports.refresh_report(report, officer, ["timetable"])
    assert locked == [route.strategy_id] * 3
