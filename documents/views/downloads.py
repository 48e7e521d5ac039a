"""A version's file, served to those who may read it (anyone, signed in or not, when the
document is public: documents/access.py), never from a public folder. A PDF opens in the
browser; everything else downloads, under the version's safe name."""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from .. import access

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "HEAD"])
def download(request: HttpRequest, pk: int, number: int, name: str) -> HttpResponse:
    document = access.get_readable(request.user, pk)
    version = get_object_or_404(document.versions.select_related(None), number=number)
    # The public reads the version a public page lists (Document.public_version); staff read
    # them all.
    if not access.can_read_version(request.user, document, version):
        raise Http404("No such version, or not one you can see.")
    if name != version.file_name:  # an old or mistyped link: the name the file is kept as
        return redirect("documents:download", pk=pk, number=number, name=version.file_name)
    storage = version.file.storage
    try:
        if not storage.exists(version.file.name):
            raise FileNotFoundError(version.file.name)
        handle = storage.open(version.file.name, "rb")
    except Exception:  # noqa: BLE001 - missing, unreadable, or the store unreachable (S3, Azure)
        # verify_audit reports it too (DocumentVersion.audit_findings); the person is told
        # plainly, never shown a server error.
        logger.error("Document %s version %s: file %s is missing from storage",
                     document.pk, version.number, version.file.name)  # fmt: skip
        return render(
            request,
            "documents/file_missing.html",
            {"document": document, "version": version},
            status=404,
        )
    response = FileResponse(
        handle,
        content_type=version.content_type,
        as_attachment=not version.is_pdf,
        filename=version.file_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A version's bytes never change; whether it may still be read does (a withdrawn document),
    # so caches ask again each time, and the tag answers "unchanged" cheaply.
    response["ETag"] = f'"{version.sha256}"'
    if "Cache-Control" not in response:
        response["Cache-Control"] = "no-cache"
    return response
