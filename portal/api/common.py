"""What the API's lists share: how a slug, a moment and a day are given in a query, and how an
organisation and a body are named in an answer."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator

SLUG = r"^[-a-zA-Z0-9_]+$"


def organisation_ref(organisation) -> dict | None:
    if organisation is None:
        return None
    return {"slug": organisation.slug, "name": organisation.name}


def sane_moment(value: datetime.datetime | None) -> datetime.datetime | None:
    """A moment a database can compare: in the site's time zone when none is given, and always
    passed on in UTC (PostgreSQL refuses an offset past ±15:59, which ISO 8601 allows, such as
    -17:38)."""
    if value is None:
        return None
    if not 1900 <= value.year <= 9998:
        raise ValueError("Give a date between the years 1900 and 9998.")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(datetime.UTC)


def sane_day(value: datetime.date | None) -> datetime.date | None:
    if value is not None and not 1900 <= value.year <= 9998:
        raise ValueError("Give a date between the years 1900 and 9998.")
    return value


Moment = Annotated[datetime.datetime | None, AfterValidator(sane_moment)]
Day = Annotated[datetime.date | None, AfterValidator(sane_day)]


class Filters(Schema):
    """An organisation, a body and a span of days: the filters of the governance lists."""

    organisation: str | None = Field(
        None,
        pattern=SLUG,
        description="An organisation's slug: for gates and decisions, those of the strategies "
        "it leads or is a partner in; for meetings, those of its bodies.",
    )
    body: int | None = Field(None, ge=1, le=2**31, description="A body's id.")
    since: Day = Field(None, description="From this day (ISO 8601), inclusive.")
    until: Day = Field(None, description="To this day (ISO 8601), inclusive.")


def body_ref(body) -> dict:
    """Needs the body's organisation loaded."""
    return {"id": body.pk, "name": body.name, "organisation": organisation_ref(body.organisation)}
