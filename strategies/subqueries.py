"""Query expressions the apps share: counting related rows in a subquery of their own."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet, link: str) -> Coalesce:
    """How many of `rows` point through their field `link` at the outer query's row, 0 for
    none, as a subquery: an annotation that counts only the rows the outer query returns, each
    from the index on `link`, where `Count` over a join reads and groups every related row of
    every candidate first."""
    counted = (
        rows.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
