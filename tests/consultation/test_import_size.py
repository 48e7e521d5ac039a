"""The import page takes a file larger than the 2.5 MB every other request is held to, from the
signed-in only (config.middleware.RequestSizeMiddleware.LARGER): anyone else, and every other
page, keeps the general limit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from config.middleware import RequestSizeMiddleware, document_upload_limit
from tests.conftest import client_for

THREE_MB = b"Respondent ID,Comment\n" + b"".join(
    b"%d,%s\n" % (n, b"x" * 1000) for n in range(3 * 1024)
)


@pytest.fixture(autouse=True)
def import_folder(settings, tmp_path):
    settings.CONSULTATION_IMPORT_DIR = tmp_path


def csv_file() -> dict:
    return {"file": SimpleUploadedFile("big.csv", THREE_MB, content_type="text/csv")}


def test_the_allow_list_is_the_import_and_document_pages_alone():
    expected = {
        "consultation:import": 50 * 1024 * 1024,
        "delivery:indicator-import": 50 * 1024 * 1024,
        "documents:add": document_upload_limit,
        "documents:add-meeting-paper": document_upload_limit,
        "documents:document": document_upload_limit,
        "admin:documents_document_add": document_upload_limit,
        "admin:documents_document_change": document_upload_limit,
    }
    assert expected == RequestSizeMiddleware.LARGER


def test_a_signed_in_officer_may_upload_a_3_mb_csv(open_window, officer):
    url = reverse("consultation:import", kwargs={"pk": open_window.pk})
    response = client_for(officer).post(url, csv_file())
    assert response.status_code == 302  # on to mapping its columns
    assert "/responses/import/" in response["Location"]


def test_the_same_body_is_refused_to_the_signed_out_and_on_other_pages(open_window, officer):
    url = reverse("consultation:import", kwargs={"pk": open_window.pk})
    refused = Client().post(url, csv_file())
    assert refused.status_code == 400 and "2.5\u00a0MB" in refused.text
    elsewhere = reverse("consultation:key-in", kwargs={"pk": open_window.pk})
    assert client_for(officer).post(elsewhere, csv_file()).status_code == 400


def test_over_50_mb_is_refused_even_there(open_window, officer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # the same rule, scaled down to run quickly
    RequestSizeMiddleware.LARGER["consultation:import"] = 2 * 1024 * 1024
    try:
        url = reverse("consultation:import", kwargs={"pk": open_window.pk})
        response = client_for(officer).post(url, csv_file())
    finally:
        RequestSizeMiddleware.LARGER["consultation:import"] = 50 * 1024 * 1024
    assert response.status_code == 400
    assert "The file is larger than the 2.0\u00a0MB this page accepts." in response.text
