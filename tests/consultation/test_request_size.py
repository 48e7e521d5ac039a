"""Every request body is held to 2.5 MB (DATA_UPLOAD_MAX_MEMORY_SIZE), files included: Django
counts only a form's fields, so a public response sent with a 10 MB file beside it was stored.
config.middleware.RequestSizeMiddleware refuses it with a 400 that says why, before anything
reads it; a body sent without a length (chunked, held whole by the ASGI handler) is measured as
held."""

from __future__ import annotations

import tempfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse
from django.test import Client

from config.middleware import RequestSizeMiddleware
from consultation.models import Response

LIMIT = 2_621_440  # 2.5 MB
REFUSED = (  # filesizeformat keeps "2.5 MB" on one line
    "It is larger than the 2.5\u00a0MB Waymark accepts in one request, files included (no page "
    "here takes a file). Nothing was saved."
)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def answers(window) -> dict:
    data = {"respondent_type": "individual", "general_comments": "", "consent": "on"}
    for p in window.revision.content["priorities"]:
        data[f"agree_{p['id']}"] = "4"
    return data


def test_a_10_mb_multipart_response_is_refused_and_nothing_stored(open_window):
    big = SimpleUploadedFile("evidence.pdf", b"x" * 10 * 1024 * 1024)
    response = Client().post(open_window.get_public_url(), answers(open_window) | {"file": big})
    assert response.status_code == 400
    assert "could not be understood" in response.text and REFUSED in response.text
    assert not Response.objects.exists()


def test_a_response_sent_as_multipart_within_the_limit_is_stored(open_window):
    small = SimpleUploadedFile("note.txt", b"x" * 1000)
    response = Client().post(open_window.get_public_url(), answers(open_window) | {"file": small})
    assert response.status_code == 302
    assert Response.objects.count() == 1


def test_form_fields_over_the_limit_are_refused_with_the_reason_too(open_window):
    data = answers(open_window) | {"general_comments": "x" * (LIMIT + 1)}
    response = Client().post(open_window.get_public_url(), data)
    assert response.status_code == 400 and REFUSED in response.text
    assert not Response.objects.exists()


def asgi_post(body: bytes, headers: list[tuple[bytes, bytes]]) -> ASGIRequest:
    """A POST as the ASGI handler builds it: the body held whole in a spooled file."""
    held = tempfile.SpooledTemporaryFile()  # noqa: SIM115 (the request closes it)
    held.write(body)
    held.seek(0)
    scope = {"type": "http", "method": "POST", "path": "/consult/x/", "headers": headers}
    return ASGIRequest(scope, held)


def read_body(request) -> HttpResponse:
    return HttpResponse(f"read {len(request.body)}")


def test_a_body_sent_without_a_length_is_measured_as_held():
    """Chunked: no Content-Length, so only its size as held says how long it is."""
    middleware = RequestSizeMiddleware(read_body)
    chunked = [(b"transfer-encoding", b"chunked"), (b"content-type", b"text/plain")]
    refused = middleware(asgi_post(b"x" * (LIMIT + 1), chunked))
    assert refused.status_code == 400 and REFUSED in refused.content.decode()
    within = middleware(asgi_post(b"x" * 1000, chunked))
    assert within.content == b"read 1000"  # and read from its start, as it came


def test_a_length_understated_is_measured_as_held():
    middleware = RequestSizeMiddleware(read_body)
    headers = [(b"content-length", b"10"), (b"content-type", b"text/plain")]
    assert middleware(asgi_post(b"x" * (LIMIT + 1), headers)).status_code == 400
