"""What the analysis page reads from thousands of responses: the filters (a GET form whose
choices come from the window), the search of the comments, and the counts by respondent type and
by day. The bulk tagging applies the same filters again, from the same query string, to the whole
matching set (views/responses.py, workflow.bulk_set_tags).

Every filter is an EXISTS subquery or a column of the response itself, never a join, so the list
needs no DISTINCT and its count is a plain COUNT. The counts by day are grouped in the database
without calling into Python per row (SQLite's TruncDate does: see `responses_by_day`).
"""

from __future__ import annotations

import datetime
import shlex
from collections import Counter
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate

from .models import ConsultationWindow, PriorityAnswer, Response, ResponseTheme

PAGE_SIZES = (25, 50, 100, 200)
SEARCH_MAX = 200  # characters of search text kept: a search box, not a document


class ResponseFilterForm(forms.Form):
    """The analysis page's filters, read from the query string. A choice that is not one of the
    window's (an old bookmark, a hand-typed address) is shown as a problem beside its field, and
    the other filters still apply."""

    q = forms.CharField(
        label="Words in the comments",
        required=False,
        max_length=SEARCH_MAX,
        help_text="All the words must appear. Put a phrase in quotes; put - before a word to "
        "leave out responses that use it.",
    )
    priority = forms.TypedChoiceField(
        label="Priority", required=False, coerce=int, empty_value=None
    )
    agreement = forms.TypedChoiceField(
        label="Agreement",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any"), *PriorityAnswer.Agreement.choices],
    )
    theme = forms.TypedChoiceField(label="Theme", required=False, coerce=int, empty_value=None)
    untagged = forms.BooleanField(label="Only responses with no theme yet", required=False)
    respondent_type = forms.ChoiceField(
        label="Responding as",
        required=False,
        choices=[("", "Any"), *Response.RespondentType.choices],
    )
    channel = forms.ChoiceField(
        label="Sent by", required=False, choices=[("", "Any"), *Response.Channel.choices]
    )
    late = forms.ChoiceField(
        label="Received",
        required=False,
        choices=[("", "Any time"), ("yes", "Late (after closing)"), ("no", "In time")],
    )
    per_page = forms.TypedChoiceField(
        label="Responses per page",
        required=False,
        coerce=int,
        empty_value=PAGE_SIZES[0],
        choices=[(n, str(n)) for n in PAGE_SIZES],
    )

    # The fields that narrow the list (the page size does not).
    NARROWING = (
        "q",
        "priority",
        "agreement",
        "theme",
        "untagged",
        "respondent_type",
        "channel",
        "late",
    )

    def __init__(self, data, window: ConsultationWindow, priorities: list[dict], themes, **kw):
        super().__init__(data, **kw)
        self.window = window
        self.themes = themes
        self.fields["priority"].label = window.strategy.top_level_label
        self.fields["priority"].choices = [("", "Any")] + [
            (p["id"], p["title"]) for p in priorities
        ]
        self.fields["theme"].choices = [("", "Any")] + [(t.pk, t.name) for t in themes]

    def clean(self):
        data = super().clean()
        if data.get("untagged") and data.get("theme"):
            self.add_error("untagged", "Choose a theme or “no theme yet”, not both.")
        return data

    @property
    def chosen(self) -> dict:
        """The filters that were given and are valid (all of them when the form is valid)."""
        self.is_valid()  # fills cleaned_data with the valid fields
        return getattr(self, "cleaned_data", {})

    def narrows(self) -> bool:
        chosen = self.chosen
        return any(chosen.get(name) not in (None, "", False) for name in self.NARROWING)

    def page_size(self) -> int:
        return self.chosen.get("per_page") or PAGE_SIZES[0]

    def responses(self) -> QuerySet[Response]:
        """The window's responses that match every valid filter."""
        return matching_responses(self.window, self.chosen)


class ResponseIds(forms.Field):
    """The responses ticked on the page (their ids); anything else sent is ignored."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else []
        return [
            int(v)
            for v in values
            if isinstance(v, str) and v.isascii() and v.isdigit() and len(v) <= 9
        ]


class BulkTagForm(forms.Form):
    """Tag the responses ticked on the page, or all that the filters match, with a theme (or
    take it off them). Sent once to see how many will change, then again, confirmed."""

    theme = forms.TypedChoiceField(label="Theme", coerce=int)
    scope = forms.ChoiceField(
        label="Which responses",
        widget=forms.RadioSelect,
        initial="ticked",
        choices=[("ticked", "The responses ticked below"), ("matching", "All that match")],
    )
    action = forms.ChoiceField(choices=[("add", "Tag with"), ("remove", "Remove")])
    responses = ResponseIds(required=False)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    to_change: int | None = None  # set when asking for confirmation
    chosen_count: int | None = None

    def __init__(self, themes, data=None, **kw):
        # Its own ids: the filter form beside it has a "theme" too, and a label must point at
        # its own field.
        kw.setdefault("auto_id", "bulk_%s")
        super().__init__(data, **kw)
        self.fields["theme"].choices = [("", "Choose a theme"), *themes]

    def clean(self):
        data = super().clean()
        if data.get("scope") == "ticked" and not data.get("responses"):
            self.add_error("scope", "Tick at least one response below, or choose all that match.")
        return data

    @property
    def scope_value(self) -> str:
        return self.data.get("scope", "ticked") if self.is_bound else "ticked"

    def ticked(self) -> set[int]:
        if not self.is_bound:
            return set()
        self.is_valid()
        return set(self.cleaned_data.get("responses", []))


def matching_responses(window: ConsultationWindow, chosen: dict) -> QuerySet[Response]:
    responses = window.responses.all()
    priority, agreement = chosen.get("priority"), chosen.get("agreement")
    answers = PriorityAnswer.objects.filter(response=OuterRef("pk"))
    if priority is not None and agreement is not None:  # one answer has both
        responses = responses.filter(
            Exists(answers.filter(priority_id=priority, agreement=agreement))
        )
    elif priority is not None:  # answered it: an agreement or a comment
        responses = responses.filter(
            Exists(
                answers.filter(priority_id=priority).filter(
                    Q(agreement__isnull=False) | ~Q(comment="")
                )
            )
        )
    elif agreement is not None:
        responses = responses.filter(Exists(answers.filter(agreement=agreement)))
    tags = ResponseTheme.objects.filter(response=OuterRef("pk"))
    if chosen.get("theme") is not None:
        responses = responses.filter(Exists(tags.filter(theme_id=chosen["theme"])))
    elif chosen.get("untagged"):
        responses = responses.filter(~Exists(tags))
    for field in ("respondent_type", "channel"):
        if chosen.get(field):
            responses = responses.filter(**{field: chosen[field]})
    if chosen.get("late"):
        responses = responses.filter(late=chosen["late"] == "yes")
    if chosen.get("q", "").strip():
        responses = search_comments(responses, chosen["q"])
    return responses


def search_comments(responses: QuerySet[Response], text: str) -> QuerySet[Response]:
    """The responses whose comments (the general ones and those on each priority, taken as one
    text) match `text`, in the web search syntax people know: words, "a phrase", -left out, or.
    PostgreSQL's full-text search in English (so "buses" finds "bus"); elsewhere (SQLite, for
    development and the tests) every word and phrase must appear, in any case."""
    text = text.strip()[:SEARCH_MAX]
    if connection.vendor == "postgresql":
        return _search_postgresql(responses, text)
    return _search_words(responses, text)


def _search_postgresql(responses, text):
    # Imported here: django.contrib.postgres needs psycopg, which a SQLite install may lack.
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import SearchQuery, SearchVector

    answer_comments = (
        PriorityAnswer.objects.filter(response=OuterRef("pk"))
        .order_by()
        .values("response")
        .annotate(text=StringAgg("comment", delimiter=" "))
        .values("text")
    )
    # No index serves this expression across two tables: each search reads the window's
    # comments (the window's responses come by their index first). See the decision record
    # in the report of the analysis work before adding one.
    document = SearchVector(
        "general_comments", Subquery(answer_comments, output_field=TextField()), config="english"
    )
    return responses.alias(document=document).filter(
        document=SearchQuery(text, search_type="websearch", config="english")
    )


def search_terms(text: str) -> tuple[list[str], list[str]]:
    """The words and "phrases" of `text` that must appear, and those after a "-" that must not
    (the web search syntax, without "or", which the plain fallback treats as a word left out)."""
    try:
        parts = shlex.split(text)
    except ValueError:  # an unclosed quote: take the words as they are
        parts = text.replace('"', " ").split()
    wanted, unwanted = [], []
    for part in parts:
        if part.lower() in {"or", "and"}:
            continue
        if part.startswith("-") and len(part) > 1:
            unwanted.append(part[1:])
        elif part.strip("-"):
            wanted.append(part)
    return wanted, unwanted


def _search_words(responses, text):
    wanted, unwanted = search_terms(text)

    def mentions(term: str) -> Q:
        in_answers = PriorityAnswer.objects.filter(response=OuterRef("pk"), comment__icontains=term)
        return Q(general_comments__icontains=term) | Q(Exists(in_answers))

    for term in wanted:
        responses = responses.filter(mentions(term))
    for term in unwanted:
        responses = responses.exclude(mentions(term))
    return responses


def counts_by_type(window: ConsultationWindow) -> dict[str, int]:
    return dict(window.responses.order_by().values_list("respondent_type").annotate(n=Count("*")))


class _UtcHour(Func):
    """The UTC hour a stored datetime falls in: SQLite keeps a datetime as text in UTC,
    "2026-11-30 17:05:09.123456", whose first 13 characters are its hour (cheaper than
    strftime, which parses every row)."""

    function = "substr"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(1), Value(13), **extra)


def responses_by_day(window: ConsultationWindow) -> list[dict]:
    """How many responses came each day, oldest first: the day a response sent another way was
    received (keyed in or imported later: `received_on`), otherwise the day it was sent online
    (in the site's time zone).

    PostgreSQL turns each time into a local date itself. On SQLite, Django's TruncDate calls a
    Python function for every row (20,000 calls for 20,000 responses); instead SQLite groups the
    responses by the UTC hour it stores them in, and those few groups (at most 24 a day) are
    turned into local days here. That is exact for a time zone whose offsets from UTC are whole
    hours changing on the hour, as the UK's are."""
    responses = window.responses.order_by()
    if connection.vendor == "postgresql":
        rows = responses.annotate(day=Coalesce("received_on", TruncDate("submitted_at")))
        return list(rows.values("day").annotate(n=Count("*")).order_by("day"))
    zone = ZoneInfo(settings.TIME_ZONE)
    by_day: Counter[datetime.date] = Counter()
    hours = responses.annotate(hour=_UtcHour(F("submitted_at"))).values("received_on", "hour")
    for received_on, hour, n in hours.annotate(n=Count("*")).values_list(
        "received_on", "hour", "n"
    ):
        if received_on is not None:
            by_day[received_on] += n
            continue
        # "2026-11-30 17", read by position (strptime costs more than the query at 20,000)
        utc = datetime.datetime(
            int(hour[:4]), int(hour[5:7]), int(hour[8:10]), int(hour[11:13]), tzinfo=datetime.UTC
        )
        by_day[utc.astimezone(zone).date()] += n
    return [{"day": day, "n": n} for day, n in sorted(by_day.items())]


def page_range_text(page, total: int, narrowed: bool) -> str:
    """What the list shows, in numbers that match it: "Showing 26–50 of 812 matching
    responses (2,000 in all)"."""
    count = page.paginator.count
    noun = "response" if count == 1 else "responses"
    if count == 0:
        shown = f"No matching responses ({total:,} in all)" if narrowed else "No responses"
        return shown + "."
    span = f"{page.start_index():,}–{page.end_index():,}"
    if narrowed:
        return f"Showing {span} of {count:,} matching {noun} ({total:,} in all)."
    return f"Showing {span} of {count:,} {noun}."
