"""Files of each kind Waymark keeps and refuses, made in memory, and a strategy's gate."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "strategy.pdf", body: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + body, content_type="application/pdf")


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Appendix A: the action plan")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def world_meeting(lead_org, secretary):
    import datetime

    from django.utils import timezone

    from governance.models import Body, BodySecretary, Meeting

    board = Body.objects.create(
        organisation=lead_org, name="Health and Wellbeing Board", kind="hwb"
    )
    BodySecretary.objects.create(body=board, user=secretary)
    return Meeting.objects.create(body=board, starts_at=timezone.now() + datetime.timedelta(days=7))
