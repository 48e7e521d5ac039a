"""What a file is, by its content: the kinds Waymark keeps, the ones it refuses and why, names
that must match their content, the size limit, and the names downloads are offered under."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError

from documents import files
from tests.documents.conftest import PDF, docx_bytes, odt_bytes, upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
WORD_97 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"\xec\xa5\xc1\x00" + b"\x00" * 64


def xlsx_bytes() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "label"),
    [
        ("Strategy.pdf", PDF, "PDF"),
        ("Appendix A.docx", docx_bytes(), "Word"),
        ("Old minutes.doc", WORD_97, "Word 97-2003"),
        ("Action plan.xlsx", xlsx_bytes(), "Excel"),
        ("Easy read.odt", odt_bytes(), "OpenDocument text"),
        ("Responses.csv", "Respondent,Comment\n1,More for carers – £5\n".encode(), "CSV"),
        ("Responses.csv", "Respondent,Comment\n1,Café £5\n".encode("cp1252"), "CSV"),
        ("Map.PNG", PNG, "PNG image"),
        ("Photo.jpeg", JPEG, "JPEG image"),
    ],
)
def test_the_kinds_waymark_keeps(name, data, label):
    checked = files.check(upload(name, data))
    assert checked.format.label == label
    assert checked.size == len(data)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 300, "a Windows program"),
        ("run.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 300, "program"),
        ("page.html", b"  <!doctype html><p>Hi</p>", "web page or drawing"),
        ("logo.svg", b"<?xml version='1.0'?><svg/>", "web page or drawing"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 300, "ZIP"),
        ("notes.docx", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20 + b"word/x", "damaged"),
        ("blob.csv", b"\x00\x01\x02\x03" * 10, "does not recognise"),
        ("empty.pdf", b"", "empty"),
        ("report.pdf", docx_bytes(), "it is a Word file"),
        ("photo.pdf", PNG, "it is a PNG image file"),
        ("strategy", PDF, "ending “.pdf”"),
    ],
)
def test_what_waymark_refuses_and_why(name, data, says):
    with pytest.raises(ValidationError, match=says):
        files.check(upload(name, data))


def test_the_size_limit(settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    files.check(upload("small.pdf", PDF + b"x" * (1024 - len(PDF))))
    with pytest.raises(ValidationError, match="Waymark keeps files up to 1.0"):
        files.check(upload("big.pdf", PDF + b"x" * 1024))


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("Dudley HWS 2017.pdf", "Dudley HWS 2017.pdf"),
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("bad\x00\x1bname\r\n.pdf", "badname.pdf"),
        ('quote"s;and<tags>.pdf', "quote_s_and_tags.pdf"),
        ("Stratégie santé.PDF", "Stratégie santé.pdf"),
        (".pdf", "document.pdf"),
        ("a" * 400 + ".pdf", "a" * 150 + ".pdf"),
    ],
)
def test_the_names_downloads_are_offered_under(given, safe):
    assert files.safe_name(given, files.FORMATS["application/pdf"]) == safe


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bin.csv", bytes(range(1, 256))),  # binary that happens to decode as Windows-1252
        ("page.csv", "\u00a0<html><script>alert(1)</script>".encode()),
        ("list.csv", b"Name,Note\nA,<script>alert(1)</script>\n"),
    ],
)
def test_a_csv_must_be_text_without_markup(name, data):
    with pytest.raises(ValidationError):
        files.check(upload(name, data))


def test_names_lose_the_characters_that_turn_text_round():
    assert files.display_name("invoice\u202efdp.exe") == "invoicefdp.exe"
    assert files.safe_name("evil\u202efdp.pdf", files.FORMATS["application/pdf"]) == "evilfdp.pdf"
