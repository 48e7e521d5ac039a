"""Importing a CSV exported from another survey tool: reading each tool's layout, mapping its
columns, the preview with every row's problems, all or nothing, importing the same file again,
and a query count that does not grow with the rows.

The layouts are as these tools' exports are known to look (no export of a real survey was at
hand): SurveyMonkey's "all responses" CSV has two header rows (the question, then "Response",
"Open-Ended Response" or the option) and writes "12/01/2026 10:15:00 AM"; Microsoft Forms' starts
"ID, Start time, Completion time, Email, Name"."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Entry
from consultation import imports, workflow
from consultation.models import Response, ResponseImport
from tests.conftest import client_for, downloaded
from tests.consultation.conftest import days


@pytest.fixture(autouse=True)
def import_folder(settings, tmp_path):
    settings.CONSULTATION_IMPORT_DIR = tmp_path


def d(n: int) -> str:
    return days(n).strftime("%d/%m/%Y")


def surveymonkey(rows: list[str]) -> bytes:
    head = (
        "Respondent ID,Collector ID,Start Date,End Date,IP Address,"
        "Are you responding as,Name of your organisation,"
        "How far do you agree with each priority?,,Comments on Improve wellbeing,"
        "Any other comments\n"
        ",,,,,Response,Open-Ended Response,Improve wellbeing,Reduce inequalities,"
        "Open-Ended Response,Open-Ended Response\n"
    )
    return (head + "".join(f"{r}\n" for r in rows)).encode()


def sm_row(rid: str, day: int = -1, agree: str = "Agree", kind: str = "An individual") -> str:
    return (
        f"{rid},4321,{d(day)} 10:15:00 AM,{d(day)} 10:15:00 AM,1.2.3.4,{kind},,"
        f"{agree},Strongly disagree,Parks matter,More buses"
    )


MS_FORMS = (
    "\ufeffID,Start time,Completion time,Email,Name,"
    "How far do you agree with Improve wellbeing?,How far do you agree with Reduce inequalities?,"
    "Any other comments\n"
    "1,{day} 09:00,{day} 09:05,anonymous,,5,4,Good\n"
    "2,{day} 10:00,{day} 10:05,anonymous,,1,,\n"
)


def test_surveymonkeys_two_header_rows_are_read_as_one(open_window):
    file = imports.read_csv(surveymonkey([sm_row("1001")]), "sm.csv")
    assert file.header_rows == 2 and file.tool == "surveymonkey"
    assert file.columns[7] == "How far do you agree with each priority?: Improve wellbeing"
    assert file.columns[8] == "How far do you agree with each priority?: Reduce inequalities"
    assert file.rows[0][0] == 3  # the line a spreadsheet shows it on
    mapping = imports.guess_mapping(file, open_window.revision.content["priorities"])
    assert (mapping.row_id, mapping.received, mapping.respondent_type) == (0, 3, 5)
    assert list(mapping.agreement.values()) == [7, 8]
    assert mapping.type_values == {"An individual": "individual"}


def test_microsoft_forms_columns_and_numbers_are_read(open_window):
    data = MS_FORMS.format(day=d(-1)).encode()
    file = imports.read_csv(data, "forms.csv")
    assert file.tool == "microsoft_forms" and file.columns[0] == "ID"  # the BOM is not a name
    priorities = open_window.revision.content["priorities"]
    mapping = imports.guess_mapping(file, priorities)
    assert (mapping.row_id, mapping.received, mapping.general) == (0, 2, 7)
    checked = imports.check_rows(file, mapping, open_window, priorities, set())
    assert not checked.refused
    assert [a[2] for a in checked.good[0].answers] == [5, 4]
    assert checked.good[0].received_on == days(-1)


def test_the_organisation_is_guessed_from_a_column_that_names_it(open_window):
    # Citizen Space asks "...on behalf of an organisation?" before "Organisation name": the
    # question is who it is from, the name is the organisation's.
    data = (
        b"Response ID,Submitted,Are you responding as an individual or on behalf of an "
        b"organisation?,Organisation name\n1,2026-01-12,Organisation,Kernow Carers\n"
    )
    file = imports.read_csv(data, "cs.csv")
    mapping = imports.guess_mapping(file, open_window.revision.content["priorities"])
    assert (mapping.respondent_type, mapping.organisation) == (2, 3)
    only_named = imports.read_csv(b"ID,Date,Your organisation\n1,2026-01-12,Kernow\n", "x.csv")
    assert imports.guess_mapping(only_named, []).organisation == 2


def test_windows_1252_and_semicolons_are_read():
    data = "Response ID;Response status;Comments\n7;Complete;Caf\xe9 \u2013 ok\n".encode("cp1252")
    file = imports.read_csv(data, "cs.csv")
    assert file.columns == ["Response ID", "Response status", "Comments"]
    assert file.rows[0][1][2] == "Café – ok" and file.tool == "citizen_space"


@pytest.mark.parametrize(
    ("written", "day_first", "day"),
    [
        ("12/01/2026 10:15:00 AM", True, (2026, 1, 12)),
        ("12/01/2026 10:15:00 AM", False, (2026, 12, 1)),
        ("2026-01-12T10:15:00Z", True, (2026, 1, 12)),
        ("12/01/26 10:15", True, (2026, 1, 12)),
        ("31/02/2026", True, None),
        ("soon", True, None),
        # A moment given with its offset from UTC counts on its day in the UK: 23:30 UTC on 31
        # March 2024 was 00:30 BST on 1 April (late for a consultation that closed on the 31st).
        ("2024-03-31T23:30:00Z", True, (2024, 4, 1)),
        ("2024-03-31 23:30:00+00:00", True, (2024, 4, 1)),
        ("2024-03-31T18:30:00-04:00", True, (2024, 3, 31)),  # 23:30 BST
        ("2024-12-31T23:30:00 Z", True, (2024, 12, 31)),  # GMT in winter
        ("2024-02-30T10:00:00Z", True, None),
    ],
)
def test_dates_are_read_day_first_unless_told(written, day_first, day):
    parsed = imports.parse_date(written, day_first)
    assert (parsed and (parsed.year, parsed.month, parsed.day)) == day


def upload(client, window, data: bytes, name: str = "export.csv"):
    return client.post(
        reverse("consultation:import", kwargs={"pk": window.pk}),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def mapped(window, sha: str) -> str:
    return reverse("consultation:import-map", kwargs={"pk": window.pk, "sha": sha})


def guessed_form(page) -> dict:
    """The mapping form as the page shows it, first guess chosen."""
    form = page.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def test_upload_map_preview_and_import(open_window, officer):
    client = client_for(officer)
    data = surveymonkey([sm_row("1001"), sm_row("1002", agree="Strongly agree")])
    sent = upload(client, open_window, data)
    sha = hashlib.sha256(data).hexdigest()
    assert sent["Location"] == mapped(open_window, sha)
    page = client.get(sent["Location"])
    assert "Import 2 responses" in page.text and "Parks matter" in page.text
    done = client.post(sent["Location"], guessed_form(page) | {"step": "import"})
    assert done.status_code == 302, done.context["form"].errors
    stored = Response.objects.order_by("source_row_id")
    assert [r.source_row_id for r in stored] == ["surveymonkey:1001", "surveymonkey:1002"]
    first = stored[0]
    assert (first.channel, first.received_on, first.late, first.keyed_by) == (
        "imported",
        days(-1),
        False,
        officer,
    )
    assert [a.agreement for a in first.answers.all()] == [4, 1]
    record = ResponseImport.objects.get()
    assert (record.rows, record.added, record.refused, record.sha256) == (2, 2, 0, sha)
    assert record.mapping["row_id"] == "Respondent ID"
    history = record.history.get()
    assert history.history_user == officer
    assert "Imported 2 responses" in history.history_change_reason
    # The same file again adds nothing, and says so.
    again = upload(client, open_window, data)
    page = client.get(again["Location"])
    assert "This file was imported before" in page.text
    assert "There is nothing new to import." in page.text and 'value="import"' not in page.text
    client.post(again["Location"], guessed_form(page) | {"step": "import"})
    assert Response.objects.count() == 2
    assert ResponseImport.objects.order_by("-pk").first().already_imported == 2


def test_a_file_with_refused_rows_imports_nothing_unless_they_are_left_out(open_window, officer):
    client = client_for(officer)
    rows = [
        sm_row("1"),
        sm_row("2", agree="Mostly"),  # not an agreement
        sm_row("3", day=5),  # in the future
        sm_row("1"),  # the same id as line 3
        "4,4321,,,,,,,,,",  # no date, no answers
        sm_row("5", kind="A robot"),
    ]
    sent = upload(client, open_window, surveymonkey(rows))
    page = client.get(sent["Location"])
    form = guessed_form(page)
    refused = client.post(sent["Location"], form | {"step": "import"})
    assert refused.status_code == 200 and not Response.objects.exists()
    text = refused.content.decode()
    assert "5 rows cannot be imported (listed below), so nothing was imported." in text
    assert "“Mostly” is not an agreement (about “Improve wellbeing”)." in text
    assert "The day it was received cannot be in the future." in text
    assert "The same row id as line 3." in text
    assert "No date." in text and "An empty response" in text
    assert "Who it is from is not known: “A robot”." in text
    # The one way on: leave the refused rows out (new rows counted as the other button would).
    assert "Import 1 response and leave out the 5 refused rows" in text
    assert 'value="import"' not in text
    # Mapping "A robot" to ours lets that row in.
    robot = next(n for n in form if n.startswith("type_") and form[n] == "")
    fixed = client.post(sent["Location"], form | {robot: "individual", "step": "preview"})
    assert fixed.context["checked"].refused.__len__() == 4
    client.post(sent["Location"], form | {"step": "import_valid"})
    assert list(Response.objects.values_list("source_row_id", flat=True)) == ["surveymonkey:1"]
    assert ResponseImport.objects.get().refused == 5


def test_a_mapping_without_a_row_id_or_date_is_refused_beside_its_field(open_window, officer):
    client = client_for(officer)
    sent = upload(client, open_window, surveymonkey([sm_row("1")]))
    form = guessed_form(client.get(sent["Location"])) | {"row_id": "", "received": ""}
    page = client.post(sent["Location"], form | {"step": "import"})
    assert "Choose the column that identifies each row" in page.text
    assert "Choose the column with the day each response was received." in page.text
    assert not Response.objects.exists()


def test_an_unreadable_file_is_refused_on_the_upload_form(open_window, officer):
    client = client_for(officer)
    page = upload(client, open_window, b",,\n1,2,3\n")
    assert page.status_code == 200
    assert "The file has no header row naming its columns." in page.text
    assert "The file has a header but no rows." in upload(client, open_window, b"ID,Date\n").text


def test_a_kept_file_is_only_its_uploaders(open_window, officer, second_officer):
    sent = upload(client_for(officer), open_window, surveymonkey([sm_row("1")]))
    other = client_for(second_officer).get(sent["Location"])
    assert other.status_code == 302
    assert other["Location"] == reverse("consultation:import", kwargs={"pk": open_window.pk})


def test_import_queries_do_not_grow_with_the_rows(open_window, officer):
    priorities = open_window.revision.content["priorities"]

    def queries(count: int, first: int) -> int:
        data = surveymonkey([sm_row(str(first + n)) for n in range(count)])
        file = imports.read_csv(data, "big.csv")
        mapping = imports.guess_mapping(file, priorities)
        checked = imports.check_rows(file, mapping, open_window, priorities, set())
        assert len(checked.good) == count
        source = workflow.ImportedFile("big.csv", file.sha256, "surveymonkey", {}, count)
        with CaptureQueriesContext(connection) as captured:
            workflow.import_responses(open_window, officer, source, checked.good)
        return len(captured)

    few, many = queries(20, 0), queries(2000, 100_000)
    assert Response.objects.count() == 2020
    # Rows are added a batch a query (on SQLite, which takes 999 values in one, some 66
    # responses, 166 answers, 76 history rows or 124 ledger entries a batch; 500 on
    # PostgreSQL): never a query per row.
    assert many - few <= 2000 // 15, (few, many)
    history = Response.history.filter(history_change_reason__startswith="Imported 2000")
    assert history.count() == 2000 and {h.history_user for h in history} == {officer}
    entered = Entry.objects.filter(kind="consultation.historicalresponse").exclude(object_pk="*")
    assert entered.count() == 2020


def test_a_row_id_too_long_for_its_column_is_refused_not_a_crash(open_window, officer):
    """Someone maps a long text column as the row id: each row is refused with why, and the
    workflow refuses it too, whichever door it came through."""
    long_id = "x" * 100
    data = surveymonkey([sm_row(long_id + "1"), sm_row(long_id + "2")])
    client = client_for(officer)
    sent = upload(client, open_window, data)
    page = client.get(sent["Location"])
    assert "longer than 80 characters" in page.text
    refused = client.post(sent["Location"], guessed_form(page) | {"step": "import"})
    assert refused.status_code == 200 and not Response.objects.exists()
    source = workflow.ImportedFile(
        file_name="x.csv", sha256="0" * 64, tool="surveymonkey", mapping={}, rows=1
    )
    row = workflow.ImportedRow(
        line=3, row_id=long_id, respondent_type="individual", received_on=days(-1)
    )
    with pytest.raises(workflow.WorkflowError, match="between 1 and 80 characters"):
        workflow.import_responses(open_window, officer, source, [row])


def test_the_json_export_carries_imported_responses_without_their_file_or_tool_id(
    open_window, officer, administrator
):
    import json

    from django.urls import reverse

    client = client_for(officer)
    data = surveymonkey([sm_row("1001")])
    sent = upload(client, open_window, data)
    page = client.get(sent["Location"])
    client.post(sent["Location"], guessed_form(page) | {"step": "import"})
    url = reverse("strategy-export", args=[open_window.strategy.slug])
    for person, tool_id in ((officer, ""), (administrator, "surveymonkey:1001")):
        document = json.loads(downloaded(client_for(person).get(url)))
        (row,) = document["consultation"]["responses"]
        # the respondent's id in the survey tool is personal data; the import record stays here
        assert (row["source_row_id"], row["imported_from"]) == (tool_id, None)


def test_an_agreement_figure_is_a_number_int_can_read():
    """A full-width "３" is 3, as a spreadsheet typed in another input mode may hold it; a
    superscript "¹" is a digit to str.isdigit but no number, and is not understood rather
    than a crash."""
    from consultation.imports.rows import parse_agreement

    assert parse_agreement("4") == (4, True)
    assert parse_agreement("３") == (3, True)
    assert parse_agreement("¹") == (None, False)
    assert parse_agreement("2", five_is_agree=False) == (4, True)
