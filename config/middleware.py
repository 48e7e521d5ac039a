"""Friendly pages for responses Django leaves blank, private answers kept out of caches, and
request bodies held to the size limit, files included."""

from __future__ import annotations

import os

from django.conf import settings
from django.db import DatabaseError
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject


class PrivateAnswersMiddleware:
    """`Cache-Control: private, no-store` on whatever may carry personal data, so that neither a
    shared cache (a proxy) nor the browser's keeps it once the page is closed: every answer to
    someone signed in (pages and downloads: the JSON export, the responses CSV, the reports),
    everything under the admin, and the downloads reached by a secret key instead of a session
    (PERSONAL_DOWNLOADS: a person's calendar feed). A Cache-Control the view set that already
    says no-store is kept. Public pages for anonymous visitors keep what they had.

    It sits outside the session and the authentication middleware, and never loads a session
    to decide: without a session cookie, and without a sign-in during the request, the visitor
    is anonymous."""

    PERSONAL_DOWNLOADS = {"calendar-feed"}
    DIRECTIVE = "private, no-store"

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "no-store" in response.get("Cache-Control", ""):
            return response  # as strict already (never_cache, the 503 page)
        try:
            private = self._personal(request) or self._signed_in(request)
        except DatabaseError:  # the session cannot be read: take the safe side
            private = True
        if private:
            response["Cache-Control"] = self.DIRECTIVE
        return response

    def _personal(self, request) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in self.PERSONAL_DOWNLOADS:
            return True
        try:
            admin = reverse("admin:index")
        except NoReverseMatch:
            return False
        return request.path.startswith(admin)

    @staticmethod
    def _signed_in(request) -> bool:
        user = getattr(request, "user", None)
        if user is None:
            return False  # answered before the authentication middleware ran
        if (
            isinstance(user, SimpleLazyObject)  # not replaced by a sign-in in this request
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            return False
        return user.is_authenticated


class MethodNotAllowedPageMiddleware:
    """A 405 (a bookmarked or typed URL of a button's action) gets a page that says what to do,
    not the browser's bare error."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


class UnstorableQueryMiddleware:
    """A query string holding a NUL character (which no browser sends, and PostgreSQL cannot
    compare or store) gets a 400 page instead of reaching a search and failing there. Posted
    forms need no such guard: their fields refuse NUL characters with a message."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            return render(request, "400.html", status=400)
        return self.get_response(request)


def document_upload_limit() -> int:
    """A request that carries a document: the file (settings.DOCUMENT_MAX_BYTES, read when
    asked, so that a changed setting holds) and 1 MB for the form's other fields."""
    return settings.DOCUMENT_MAX_BYTES + 1024 * 1024


class RequestSizeMiddleware:
    """Every request body is held to DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), files included.
    Django counts only a form's fields against it and streams a multipart body's file parts to
    disk uncounted, so a public response sent with a 10 MB "file" beside it was stored. Only the
    pages in LARGER take a file: a longer body gets a 400 saying so before anything reads it. Its
    length is the Content-Length, or, for a body sent without one (chunked), its size as the
    ASGI handler holds it, whole, before the request starts; under WSGI Django reads nothing
    of a body without a Content-Length. It sits before anything that reads the body (the line
    endings below, the CSRF check).

    The pages that take a file are named in LARGER, each with its own limit (a number of bytes,
    or a function of the settings that gives one), for the signed-in only (their views then
    check who may use them): everyone else, and every other page, keeps the limit above."""

    LARGER = {
        # A CSV of responses exported from another survey tool (consultation/imports/).
        "consultation:import": 50 * 1024 * 1024,
        # A CSV downloaded from Fingertips, of an indicator's values (delivery/fingertips.py).
        "delivery:indicator-import": 50 * 1024 * 1024,
        # A document's file (documents/files.py): its limit, and room for the form's fields.
        "documents:add": document_upload_limit,
        "documents:add-meeting-paper": document_upload_limit,
        "documents:document": document_upload_limit,  # a new version
        "admin:documents_document_add": document_upload_limit,
        "admin:documents_document_change": document_upload_limit,
    }

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # Who is signed in is asked only of a body over the limit: nothing else loads a session.
        if limit is not None and self._length(request) > limit:
            limit = self._limit(request, limit)
        if limit is not None and self._length(request) > limit:
            reason = (
                f"It is larger than the {filesizeformat(limit)} Waymark accepts in one request, "
                f"files included (no page here takes a file). Nothing was saved."
                if limit == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
                else f"The file is larger than the {filesizeformat(limit)} this page accepts. "
                f"Nothing was saved."
            )
            return render(request, "400.html", {"reason": reason}, status=400)
        return self.get_response(request)

    def _limit(self, request, limit: int) -> int:
        """The limit for this page and person: LARGER's, for the signed-in, or the general."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return limit
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return limit
        larger = self.LARGER.get(name, limit)
        return max(limit, larger() if callable(larger) else larger)

    @staticmethod
    def _length(request) -> int:
        try:
            declared = max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
        except ValueError:
            declared = 0  # as Django takes it: no body is read
        # The ASGI handler's SpooledTemporaryFile, as Django's own HttpRequest.body measures it;
        # WSGI's stream cannot seek, and is read only as far as the Content-Length.
        stream = getattr(request, "_stream", None)
        if stream is None or not stream.seekable():
            return declared
        held = stream.seek(0, os.SEEK_END)
        stream.seek(0)
        return max(declared, held)


class LineEndingsMiddleware:
    """Text typed into a form is kept with "\\n" line ends. Browsers send a text area's line
    breaks as "\\r\\n" (HTML's rules for sending forms), so without this, saving a form unchanged
    would change every text with more than one line, in the history too, and a limit of N
    characters would count each line break twice where the browser's counted it once."""

    FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in self.FORMS:
            posted = request.POST
            if any("\r" in value for _, values in posted.lists() for value in values):
                normalised = posted.copy()
                for key, values in posted.lists():
                    normalised.setlist(
                        key, [value.replace("\r\n", "\n").replace("\r", "\n") for value in values]
                    )
                normalised._mutable = False
                request.POST = normalised
        return self.get_response(request)
