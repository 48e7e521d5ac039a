"""Pages of results: `limit` (at most MAX_PAGE_SIZE) and `offset`, the total `count`, and links
to the `next` and `previous` pages, which a reporting tool follows until `next` is null.

Each list reads its page in a fixed number of queries: the count, the page, and whatever the
page's rows need, each for the whole page at once (never a query per row)."""

from __future__ import annotations

from typing import Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

MAX_PAGE_SIZE = 100
T = TypeVar("T")


class Paging(Schema):
    limit: int = Field(
        MAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Rows on a page, at most 100."
    )
    offset: int = Field(0, ge=0, le=2**31, description="Rows to skip, from the first.")


class Page(Schema, Generic[T]):
    count: int = Field(description="Rows in all, on every page.")
    next: str | None = Field(description="The next page's address; null on the last page.")
    previous: str | None = Field(description="The previous page's address; null on the first.")
    results: list[T]


def _link(request: HttpRequest, offset: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page_of(request: HttpRequest, queryset: QuerySet, paging: Paging) -> tuple[list, dict]:
    """The page's rows, and the page around them (`count`, `next`, `previous`) to which the
    caller adds `results`."""
    count = queryset.count()
    start, size = paging.offset, paging.limit
    rows = list(queryset[start : start + size]) if start < count else []
    return rows, {
        "count": count,
        "next": _link(request, start + size) if start + size < count else None,
        "previous": _link(request, max(start - size, 0)) if start > 0 else None,
    }
