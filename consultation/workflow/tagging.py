"""Tagging many responses with a theme at once, or taking it off them: the analysis page's
"Tag with" and "Remove" for the responses chosen, or for every response its filters match.
The rule is the one for a single tag (refusals.tags_refusal); the audit history gets one row
per tag added or removed, written in bulk, with who and why."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from governance.workflow import WorkflowError
from strategies.models import User
from strategies.models.base import announce_history_written, last_history_pk

from ..models import ConsultationWindow, Response, ResponseTheme, Theme
from .refusals import tags_refusal

BATCH = 500  # rows per statement: well inside every database's limit on parameters


def responses_to_change(
    window: ConsultationWindow, responses: QuerySet[Response], theme: Theme, on: bool
) -> QuerySet[Response]:
    """Those of `responses` (only ever `window`'s) that tagging (`on`) or untagging with
    `theme` would change: the untagged ones, or the tagged ones. The page asks this to say how
    many will change before anyone confirms. Tagging confirms a tag that a theme suggestion
    made (suggestions.py): the person chose it."""
    links = ResponseTheme.objects.filter(response=OuterRef("pk"), theme=theme)
    chosen = window.responses.filter(pk__in=responses.values("pk"))
    if not on:
        return chosen.filter(Exists(links))
    return chosen.exclude(Exists(links.filter(suggested=False)))


def bulk_set_tags(
    window: ConsultationWindow,
    user: User | None,
    responses: QuerySet[Response],
    theme: Theme,
    on: bool,
) -> int:
    """Tag (`on`) every one of `responses` with `theme`, or take the tag off them; those already
    so are left as they are. Returns how many changed. `user` is checked like every move (None
    for commands and imports, recorded as whoever the request is)."""
    if refusal := tags_refusal(window, theme, user):
        raise WorkflowError(refusal, "theme")
    try:
        with transaction.atomic():
            # Two people tagging with the same theme at once take turns (PostgreSQL; SQLite
            # writes one transaction at a time anyway).
            Theme.objects.select_for_update().filter(pk=theme.pk).exists()
            ids = list(
                responses_to_change(window, responses, theme, on).values_list("pk", flat=True)
            )
            if on:
                suggested = _confirm(ids, theme, user)
                new = [pk for pk in ids if pk not in suggested]
                _add(new, theme, user, f"Tagged “{theme.name}” with {_many(len(new))} at once")
            else:
                _remove(ids, theme, user, f"Took “{theme.name}” off {_many(len(ids))} at once")
            return len(ids)
    except IntegrityError:  # someone tagged one of them with it by itself in the meantime
        raise WorkflowError(
            "Someone changed the tags of these responses just now: look again and repeat.",
            "theme",
        ) from None


def _many(n: int) -> str:
    return "1 response" if n == 1 else f"{n:,} responses"


def _add(ids: list[int], theme: Theme, user: User | None, reason: str) -> None:
    history = ResponseTheme.history.model
    before = last_history_pk(history)
    links = [ResponseTheme(response_id=pk, theme=theme) for pk in ids]
    bulk_create_with_history(
        links, ResponseTheme, batch_size=BATCH, default_user=user, default_change_reason=reason
    )
    announce_history_written(history, before, reason, theme_id=theme.pk)  # the audit ledger


def _confirm(ids: list[int], theme: Theme, user: User | None) -> set[int]:
    """Confirms the suggested tags with `theme` of the responses `ids`; returns their ids."""
    suggested = ResponseTheme.objects.filter(theme=theme, suggested=True)
    links = [
        link
        for start in range(0, len(ids), BATCH)
        for link in suggested.filter(response_id__in=ids[start : start + BATCH])
    ]
    if not links:
        return set()
    reason = f"Suggested tag “{theme.name}” confirmed on {_many(len(links))} at once"
    for link in links:
        link.suggested = False
    history = ResponseTheme.history.model
    before = last_history_pk(history)
    bulk_update_with_history(
        links,
        ResponseTheme,
        ["suggested"],
        batch_size=BATCH,
        default_user=user,
        default_change_reason=reason,
    )
    announce_history_written(history, before, reason, theme_id=theme.pk)  # the audit ledger
    return {link.response_id for link in links}


def _remove(ids: list[int], theme: Theme, user: User | None, reason: str) -> None:
    """django-simple-history has no bulk delete: its signal writes one history row per row
    deleted, one statement each, and without the reason. So the rows for the history are
    written here in bulk, and the tags deleted without the signal (`_raw_delete`, Django's own
    fast delete: nothing points at a tag, so nothing cascades)."""
    history = ResponseTheme.history.model
    before = last_history_pk(history)
    now = timezone.now()
    for start in range(0, len(ids), BATCH):
        links = list(
            ResponseTheme.objects.filter(theme=theme, response_id__in=ids[start : start + BATCH])
        )
        history.objects.bulk_create(
            history(
                **{field.attname: getattr(link, field.attname) for field in history.tracked_fields},
                history_date=now,
                history_user=user or history.get_default_history_user(link),
                history_change_reason=reason,
                history_type="-",
            )
            for link in links
        )
        removed = ResponseTheme.objects.filter(pk__in=[link.pk for link in links])
        removed._raw_delete(removed.db)
    announce_history_written(history, before, reason, theme_id=theme.pk)  # the audit ledger
