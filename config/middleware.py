"""Friendly pages for responses Django leaves blank."""

from __future__ import annotations

from django.shortcuts import render


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
