"""Importing an indicator's values from a Fingertips download: the fixture has the columns
Fingertips writes (docs/decisions/0023-fingertips-values.md), many areas and breakdowns; the
area and breakdown are chosen, every row is checked, all or nothing is imported, importing again
changes nothing, and each bad file is refused with a clear message and nothing saved."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from delivery import fingertips
from delivery.models import IndicatorValue, IndicatorValueImport
from tests.conftest import client_for
from tests.factories import add_indicator

FIXTURE = Path(__file__).parent / "fingertips_smoking.csv"
CHOICE = {"indicator_id": "92443", "area_code": "E08000027", "sex": "Persons", "age": "18+ yrs"}


@pytest.fixture(autouse=True)
def import_folder(settings, tmp_path):
    settings.INDICATOR_IMPORT_DIR = tmp_path


@pytest.fixture
def indicator(strategy):
    return add_indicator(strategy, "Smoking prevalence in adults", code="2.14", unit="%")


def urls(indicator) -> tuple[str, str]:
    kwargs = {"slug": indicator.strategy.slug, "pk": indicator.pk}
    return reverse("delivery:indicator-import", kwargs=kwargs), reverse(
        "delivery:indicator", kwargs=kwargs
    )


def upload(client, indicator, data: bytes, name: str = "smoking.csv"):
    url, _ = urls(indicator)
    return client.post(url, {"file": SimpleUploadedFile(name, data, "text/csv")})


def test_the_fixture_has_fingertips_own_columns():
    download = fingertips.read(FIXTURE.read_bytes(), "smoking.csv")
    assert download.columns[:13] == [
        "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name",
        "Area Type", "Sex", "Age", "Category Type", "Category", "Time period", "Value",
    ]  # fmt: skip
    assert "Lower CI 95.0 limit" in download.columns and "Time period Sortable" in download.columns


def test_a_good_file_imports_the_chosen_rows_and_again_changes_nothing(indicator, officer):
    client = client_for(officer)
    response = upload(client, indicator, FIXTURE.read_bytes())
    assert response.status_code == 302
    check_url = response["Location"]
    page = client.get(check_url)  # the lead organisation's area and persons guessed
    assert page.context["form"].is_valid(), page.context["form"].errors
    assert page.context["form"].cleaned_data["area_code"] == "E08000027"
    rows = page.context["rows"]
    assert [r.period for r in rows] == ["2019", "2020", "2022"]  # 2021's empty value passed over
    assert page.context["empty"] == 1 and not page.context["refused"]
    response = client.post(check_url, {**CHOICE, "step": "import"})
    assert response.status_code == 302
    values = list(indicator.values.all())
    assert [(v.period, v.value, v.lower_ci, v.upper_ci) for v in values] == [
        ("2019", D("16.000"), D("12.900"), D("19.100")),
        ("2020", D("14.100"), D("11.200"), D("17.000")),
        ("2022", D("12.200"), D("9.600"), D("14.800")),
    ]
    assert values[0].source == "Fingertips (OHID), indicator 92443, Dudley"
    record = IndicatorValueImport.objects.get()
    assert (record.added, record.changed, record.unchanged) == (3, 0, 0)
    assert record.history.get().history_user == officer
    indicator.refresh_from_db()
    assert (indicator.latest_value, indicator.latest_date) == (
        D("12.2"),
        datetime.date(2022, 12, 31),
    )
    history_rows = IndicatorValue.history.count()

    check_url = upload(client, indicator, FIXTURE.read_bytes())["Location"]
    client.post(check_url, {**CHOICE, "step": "import"})
    again = IndicatorValueImport.objects.order_by("-pk").first()
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    assert IndicatorValue.history.count() == history_rows  # no value was written again


def test_the_check_shows_a_value_of_nought_and_a_whole_hundred(indicator, officer):
    lines = FIXTURE.read_text().splitlines(keepends=True)
    rows = [
        i for i, line in enumerate(lines) if "E08000027" in line and ",Persons,18+ yrs," in line
    ]
    for i, figure in zip(rows, ["0", "100"], strict=False):
        cells = lines[i].split(",")
        value_at = lines[0].split(",").index("Value")
        cells[value_at] = figure
        lines[i] = ",".join(cells)
    client = client_for(officer)
    page = client.get(upload(client, indicator, "".join(lines).encode())["Location"])
    shown = [cell.strip() for cell in page.content.decode().split('<td class="text-end">')[1:]]
    assert shown[0].startswith("0<") and shown[2].startswith("100<"), shown[:4]


def test_a_changed_figure_is_counted_as_changed(indicator, officer):
    client = client_for(officer)
    client.post(
        upload(client, indicator, FIXTURE.read_bytes())["Location"], {**CHOICE, "step": "import"}
    )
    revised = FIXTURE.read_bytes().replace(b",2020,14.1,11.2,17.0,", b",2020,14.3,11.2,17.0,")
    client.post(upload(client, indicator, revised)["Location"], {**CHOICE, "step": "import"})
    record = IndicatorValueImport.objects.order_by("-pk").first()
    assert (record.added, record.changed, record.unchanged) == (0, 1, 2)
    assert indicator.values.get(period="2020").imported_from == record


def test_a_row_with_a_problem_imports_nothing(indicator, officer):
    client = client_for(officer)
    bad = FIXTURE.read_bytes().replace(b",2022,12.2,9.6,14.8,", b",2022,12.2e99,9.6,14.8,")
    check_url = upload(client, indicator, bad)["Location"]
    response = client.post(check_url, {**CHOICE, "step": "import"})
    assert response.status_code == 200
    refused = response.context["refused"]
    assert len(refused) == 1 and "too large" in refused[0].problems[0]
    assert not IndicatorValue.objects.exists() and not IndicatorValueImport.objects.exists()


def test_choosing_no_breakdown_finds_two_rows_a_period(indicator, officer):
    client = client_for(officer)
    check_url = upload(client, indicator, FIXTURE.read_bytes())["Location"]
    many = {**CHOICE, "sex": "Male"}
    response = client.post(check_url, {**many, "step": "check"})
    assert [r.period for r in response.context["rows"]] == ["2022"]


def test_the_area_is_asked_for_when_it_cannot_be_told(indicator, officer, strategy):
    strategy.lead_organisation.name = "Black Country Partnership"
    strategy.lead_organisation.short_name = ""
    strategy.lead_organisation.save()
    client = client_for(officer)
    check_url = upload(client, indicator, FIXTURE.read_bytes())["Location"]
    page = client.get(check_url)
    assert not page.context["form"].is_bound and not page.context["rows"]
    assert "Choose the area" in page.content.decode()


@pytest.mark.parametrize(
    "data, name, words",
    [
        (b"%PDF-1.4 binary", "report.pdf", "not a Fingertips download"),
        (b"Area,Value\nDudley,12\n", "mine.csv", "no column “Indicator ID”"),
        (b"", "empty.csv", "file is empty."),
        (b"   \n\n", "blank.csv", "file is empty."),
        (FIXTURE.read_bytes().splitlines()[0] + b"\n", "header.csv", "header but no rows"),
    ],
)
def test_bad_files_are_refused_with_a_message(indicator, officer, data, name, words):
    response = upload(client_for(officer), indicator, data, name)
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors["file"])
    assert not IndicatorValue.objects.exists()


def test_a_windows_file_is_read(indicator, officer):
    data = FIXTURE.read_bytes().replace(b"Dudley,", "Dudley – Öst,".encode("cp1252"))
    download = fingertips.read(data, "windows.csv")
    assert ("E08000027", "Dudley – Öst") in download.areas()


def test_a_file_over_50_mb_is_refused_before_it_is_read(indicator, officer, settings):
    url, _ = urls(indicator)
    response = client_for(officer).post(url, {"file": ""}, CONTENT_LENGTH=str(51 * 1024 * 1024))
    assert response.status_code == 400
    assert b"50.0\xc2\xa0MB" in response.content or b"50.0 MB" in response.content


def test_a_file_no_longer_kept_sends_back_to_upload(indicator, officer):
    url, _ = urls(indicator)
    check = reverse(
        "delivery:indicator-import-check",
        kwargs={"slug": indicator.strategy.slug, "pk": indicator.pk, "sha": "f" * 64},
    )
    response = client_for(officer).get(check)
    assert response.status_code == 302 and response["Location"] == url
