"""What the demo modules brought in from councils' records share: a row found by what names it,
or made with a reason (editing.with_reason), so that loading the demo twice adds nothing."""

from __future__ import annotations

from django.db import models

from strategies import editing


def found_or_made(model: type[models.Model], reason: str, named: dict, **rest) -> models.Model:
    """The row of `model` that `named` picks out, or a new one with `named` and `rest`, saved
    with `reason` in its history."""
    row = model.objects.filter(**named).first()
    if row is None:
        row = model(**named, **rest)
        editing.with_reason(row, reason).save()
    return row
