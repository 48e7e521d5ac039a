"""The calendar feed (`/calendar.ics`, opened by calendar clients with the secret in its address)
and the staff page that explains it, gives the address and resets it (`/calendar/`)."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from accounts import feed_keys
from portal.calendar import feed as feed
from strategies import access
from strategies.forms import DateInput
from strategies.models import Organisation, StrategyPartner

from . import garbage, gates
from .entries import CalendarFilters


def _plain(status: int, text: str) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def calendar_feed(request: HttpRequest) -> HttpResponse:
    # No session: calendar clients cannot sign in. The secret is checked before anything else,
    # and every refusal of it looks the same, so that the answer tells nothing about it.
    user = feed_keys.feed_user(request.GET.get("key", ""))
    if user is None:
        return _plain(404, "Not found.")
    now = timezone.now()
    today = timezone.localdate(now)
    try:
        filters = feed.parse_filters(request.GET, today)
    except feed.FilterError as problem:
        return _plain(400, f"{problem} Copy the address again from Waymark's Calendar page.")
    site = request.build_absolute_uri("/")[:-1]  # scheme and host, once for every entry
    # Tens of thousands of rows, entries and lines, all alive until the file is written: no
    # cyclic collection walks them meanwhile (garbage.py).
    with garbage.paused():
        body = feed.to_ical(
            feed.feed_entries(user, filters, today),
            absolute=lambda path: site + path if path.startswith("/") else path,
            name=feed.feed_name(user, filters),
            calendar_uid=f"waymark-feed-{user.pk}@waymark",
            now=now,
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="waymark.ics"'
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private"
    # A strong ETag: a hash of the file itself, so that any change to it changes the tag (the
    # file holds no moment of the request to spoil that). A client that still has this file
    # gets 304 Not Modified without it (docs/decisions/0030).
    tag = f'"{hashlib.sha256(body).hexdigest()}"'
    response["ETag"] = tag
    return get_conditional_response(request, etag=tag, response=response)


class FeedFilterForm(forms.Form):
    """Narrows the feed address to one strategy, organisation or body among those the user may
    see, and widens the dates it covers. Every field is optional; together they narrow further.
    The dates are checked by the feed's own rules (feed.check_window)."""

    WINDOW_FIELDS = ("from", "to", "window")

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        strategies = access.visible_strategies(user)
        partnered = StrategyPartner.objects.filter(strategy__in=strategies)
        organisations = Organisation.objects.filter(
            Q(pk__in=strategies.values("lead_organisation_id"))
            | Q(pk__in=partnered.values("organisation_id"))
            | Q(pk=user.organisation_id)
        )
        self.fields["strategy"] = forms.ChoiceField(
            label="Strategy",
            required=False,
            choices=[("", "Every strategy")]
            + [
                (s.slug, s.title_with_period)  # refreshes share a title: the years tell apart
                for s in strategies.order_by("title", "start_year").only(
                    "slug", "title", "start_year", "end_year"
                )
            ],
        )
        self.fields["organisation"] = forms.ChoiceField(
            label="Organisation",
            required=False,
            help_text="The strategies it leads or works on as a partner, and its bodies.",
            choices=[("", "Every organisation")] + [(o.slug, o.name) for o in organisations],
        )
        self.fields["body"] = forms.ChoiceField(
            label="Body",
            required=False,
            choices=[("", "Every body"), *gates.body_choices(user)],
        )
        self.fields["window"] = forms.ChoiceField(
            label="Dates",
            required=False,
            widget=forms.RadioSelect,
            initial="",
            choices=[
                ("", "From a year ago to two years ahead, or the days given below"),
                ("all", "Every date, past and future"),
            ],
        )
        self.fields["from"] = forms.DateField(
            label="From",
            required=False,
            widget=DateInput(),
            help_text="Leave empty for a year before today.",
        )
        self.fields["to"] = forms.DateField(
            label="To",
            required=False,
            widget=DateInput(),
            help_text="Leave empty for two years after today.",
        )

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                feed.check_window(self.filters(), timezone.localdate())
            except feed.FilterError as problem:
                self.add_error(
                    problem.field if problem.field in self.fields else None, str(problem)
                )
        return data

    def filters(self) -> CalendarFilters:
        data = self.cleaned_data
        body = data.get("body") or ""
        return CalendarFilters(
            strategy=data.get("strategy") or "",
            organisation=data.get("organisation") or "",
            body=int(body) if body.isascii() and body.isdigit() else None,
            from_day=data.get("from"),
            to_day=data.get("to"),
            all_dates=data.get("window") == "all",
        )


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    names = ("strategy", "organisation", "body", *FeedFilterForm.WINDOW_FIELDS)
    submitted = any(name in request.GET for name in names)
    form = FeedFilterForm(user, request.GET if submitted else None)
    has_key = bool(user.calendar_token)
    feed_url = filtered_url = ""
    if has_key:
        feed_url = request.build_absolute_uri(feed.feed_path(user))
        if submitted and form.is_valid() and form.filters().any:
            filtered_url = request.build_absolute_uri(feed.feed_path(user, form.filters()))
    return render(
        request,
        "portal/calendar.html",
        {
            "form": form,
            "has_key": has_key,
            "feed_url": feed_url,
            "filtered_url": filtered_url,
            "submitted": submitted,
            "reset_at": user.calendar_token_reset_at,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_reset(request: HttpRequest) -> HttpResponse:
    """GET asks to confirm a reset (the old address stops working in every calendar that uses
    it); POST makes the new address, or the first one."""
    user = request.user
    if request.method == "GET":
        if not user.calendar_token:  # nothing to lose: the calendar page creates one at once
            return redirect("calendar")
        return render(
            request, "portal/calendar_reset.html", {"reset_at": user.calendar_token_reset_at}
        )
    if user.calendar_token:
        feed_keys.reset_feed_key(user, "Calendar feed address reset by its owner")
        messages.success(
            request,
            "Your calendar feed has a new address. The old address has stopped working: "
            "subscribe again with the new one in each calendar that used it.",
        )
    else:
        feed_keys.reset_feed_key(user, "Calendar feed address created")
        messages.success(request, "Your calendar feed address is ready: copy it below.")
    return redirect("calendar")
