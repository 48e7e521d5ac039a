"""Theme suggestions: an officer asks for them, a background task finds them in the comments
(consultation/suggestions.py, on the council's own server) with its progress on record, and the
officer accepts each (as suggested or renamed), merges it into a theme the consultation has, or
rejects it. An accepted or merged suggestion tags its responses with the theme, marked
"suggested" until a person confirms them (`confirm_tags`, or saving the response's themes:
responses.set_tag).

Who: those who run the consultation (`plan_refusal`). When: once it has opened and until its
response is published, while the comments are still being read and weighed. Each decision is
taken once, under the suggestion's row lock: two officers deciding at once cannot both win, and
the second is told what the first decided."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from governance.workflow import WorkflowError, refuse_if
from strategies.models import User
from strategies.models.base import announce_history_written, last_history_pk

from .. import suggestions as method
from ..models import (
    ConsultationWindow,
    PriorityAnswer,
    Response,
    ResponseTheme,
    SuggestionRun,
    Theme,
    ThemeSuggestion,
)
from .refusals import plan_refusal, tag_refusal
from .rules import theme_name, theme_problems

logger = logging.getLogger(__name__)

State = ConsultationWindow.State
Run = SuggestionRun.State
Decision = ThemeSuggestion.Decision

BATCH = 500  # rows per statement: well inside every database's limit on parameters
# A run still waiting or running this long after it was asked for has lost its worker (the
# worker was stopped mid-run): it no longer stops anyone asking again.
STALE_AFTER = datetime.timedelta(hours=1)
MAX_NAME = Theme._meta.get_field("name").max_length


# Refusals ----------------------------------------------------------------------------------------


def suggestions_refusal(window: ConsultationWindow, by: User) -> str | None:
    """Why `by` may not ask for theme suggestions for `window`, or decide on one, now."""
    if refusal := plan_refusal(by, window.strategy):
        return refusal
    if window.state == State.PLANNED:
        return "Themes can be suggested once the consultation has opened and comments come in."
    if window.state == State.RESPONSE_PUBLISHED:
        return "The response to this consultation has been published: its themes are final."
    return None


def running_run(window: ConsultationWindow) -> SuggestionRun | None:
    """The run still waiting or running for `window`, unless it has gone stale."""
    return (
        window.suggestion_runs.filter(
            state__in=[Run.QUEUED, Run.RUNNING],
            requested_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-requested_at")
        .first()
    )


def request_refusal(window: ConsultationWindow, by: User) -> str | None:
    """Why `by` may not ask for new theme suggestions for `window` now."""
    if refusal := suggestions_refusal(window, by):
        return refusal
    if running_run(window) is not None:
        return "Themes are being found in the comments now: wait for them to finish."
    return None


def decision_refusal(suggestion: ThemeSuggestion, by: User) -> str | None:
    """Why `by` may not accept, rename, merge or reject `suggestion` now."""
    if refusal := suggestions_refusal(suggestion.run.window, by):
        return refusal
    if suggestion.decision != Decision.PENDING:
        who = suggestion.decided_by.display_name if suggestion.decided_by else "someone"
        return (
            f"“{suggestion.label}” was already {suggestion.get_decision_display().lower()} "
            f"by {who}."
        )
    return None


def confirm_refusal(theme: Theme, by: User) -> str | None:
    """Why `by` may not confirm the suggested tags of `theme`: the rule for tagging."""
    return plan_refusal(by, theme.window.strategy)


# Asking for suggestions, and the task that finds them --------------------------------------------


def request_suggestions(window: ConsultationWindow, by: User) -> SuggestionRun:
    """Ask for theme suggestions: the run is recorded, and the task that finds them is queued
    once that has committed (a worker picks it up; the page shows its progress)."""
    with transaction.atomic():
        window = ConsultationWindow.objects.select_for_update(of=("self",)).get(pk=window.pk)
        refuse_if(request_refusal(window, by))
        run = SuggestionRun(
            window=window, requested_by=by, requested_at=timezone.now(), message="Waiting to start"
        )
        run._change_reason = "Theme suggestions asked for"
        run._history_user = by
        run.save()
        transaction.on_commit(lambda: find_theme_suggestions.enqueue(run.pk))
        return run


@task()
def find_theme_suggestions(run_id: int) -> str:
    """The background task: find the suggestions of one run (run_suggestions)."""
    return run_suggestions(run_id).get_state_display()


def comments_of(window: ConsultationWindow) -> list[tuple[int, str]]:
    """Each response's comments (its general comments, then its comment on each priority) as
    one text, by response id: two queries, however many responses."""
    texts: dict[int, list[str]] = defaultdict(list)
    general = window.responses.exclude(general_comments="").values_list("pk", "general_comments")
    for pk, text in general.order_by("pk"):
        texts[pk].append(text)
    answers = (
        PriorityAnswer.objects.filter(response__window=window)
        .exclude(comment="")
        .order_by("response_id", "priority_id")
        .values_list("response_id", "comment")
    )
    for pk, text in answers:
        texts[pk].append(text)
    return [(pk, "\n".join(parts)) for pk, parts in sorted(texts.items())]


def run_suggestions(run_id: int) -> SuggestionRun:
    """Find the suggestions of a waiting run and keep them, its progress on record as it goes.
    A run that is not waiting (found already, or picked up twice) is left as it is."""
    with transaction.atomic():
        waiting = SuggestionRun.objects.select_for_update(of=("self",))
        run = (
            waiting.filter(pk=run_id, state=Run.QUEUED)
            .select_related("window", "requested_by")
            .first()
        )
        if run is None:
            return SuggestionRun.objects.get(pk=run_id)
        run.started_at = timezone.now()
        _progress(run, 5, "Reading the comments", state=Run.RUNNING)
    try:
        texts = comments_of(run.window)
        run.responses_read = len(texts)
        found = method.suggest_themes(texts, progress=lambda p, m: _progress(run, p, m))
        with transaction.atomic():
            for position, suggestion in enumerate(found):
                row = ThemeSuggestion(
                    run=run,
                    position=position,
                    label=suggestion.label,
                    key_terms=suggestion.key_terms,
                    response_ids=suggestion.response_ids,
                    representative_ids=suggestion.representative_ids,
                )
                row._change_reason = "Found in the comments"
                row._history_user = run.requested_by
                row.save()
            run.method = method.METHOD
            run.finished_at = timezone.now()
            _progress(run, 100, _found(len(found), len(texts)), state=Run.DONE)
    except Exception:  # the run says it failed, and the log says why; the page offers a retry
        logger.exception("Theme suggestion run %s failed", run_id)
        run.finished_at = timezone.now()
        _progress(run, run.progress, "Something went wrong finding themes.", state=Run.FAILED)
    return run


def _found(themes: int, responses: int) -> str:
    if not responses:
        return "No comments to read yet."
    read = f"{responses:,} response{'s' if responses != 1 else ''} with comments"
    if not themes:
        return f"No themes found in {read}: too few of them have words in common."
    return f"Found {themes} theme{'s' if themes != 1 else ''} in {read}."


def _progress(run: SuggestionRun, percent: int, message: str, state: str | None = None) -> None:
    run.progress = max(0, min(100, percent))
    run.message = message[:300]
    run.state = state or run.state
    run._change_reason = message[:100]
    run._history_user = run.requested_by
    run.save(
        update_fields=[
            "state",
            "progress",
            "message",
            "started_at",
            "finished_at",
            "method",
            "responses_read",
        ]
    )


# Deciding on a suggestion ------------------------------------------------------------------------


def _lock(suggestion: ThemeSuggestion) -> ThemeSuggestion:
    return (
        ThemeSuggestion.objects.select_for_update(of=("self",))
        .select_related("run__window__strategy", "decided_by")
        .get(pk=suggestion.pk)
    )


def accept_suggestion(suggestion: ThemeSuggestion, by: User, name: str = "") -> Theme:
    """Accept `suggestion` as a new theme of its consultation, under its own label or the `name`
    given (renamed), and tag its responses with it, as suggested."""
    with transaction.atomic():
        suggestion = _lock(suggestion)
        refuse_if(decision_refusal(suggestion, by))
        window = suggestion.run.window
        theme = Theme(window=window, name=theme_name(name or suggestion.label))
        if not theme.name:
            raise WorkflowError("Give the theme a name.", field="name")
        if len(theme.name) > MAX_NAME:
            raise WorkflowError(f"Keep the name to {MAX_NAME} characters.", field="name")
        if problems := theme_problems(theme):
            raise WorkflowError(
                f"{problems[0].message} Merge the suggestion into it, or choose another name.",
                field="name",
            )
        theme.description = f"Suggested from the comments: {', '.join(suggestion.key_terms)}."
        renamed = theme.name != suggestion.label
        theme._change_reason = f"Theme suggestion “{suggestion.label}” accepted" + (
            f" as “{theme.name}”" if renamed else ""
        )
        theme._history_user = by
        theme.save()
        _decide(suggestion, Decision.ACCEPTED, theme, by, theme._change_reason)
        return theme


def merge_suggestion(suggestion: ThemeSuggestion, theme: Theme, by: User) -> Theme:
    """Merge `suggestion` into `theme`, one its consultation has: the theme's responses gain
    the suggestion's, as suggested (those tagged with it already are left as they are)."""
    with transaction.atomic():
        suggestion = _lock(suggestion)
        refuse_if(decision_refusal(suggestion, by))
        if theme.window_id != suggestion.run.window_id:
            raise WorkflowError("Choose a theme of this consultation.", field="theme")
        reason = f"Theme suggestion “{suggestion.label}” merged into “{theme.name}”"
        _decide(suggestion, Decision.MERGED, theme, by, reason)
        return theme


def reject_suggestion(suggestion: ThemeSuggestion, by: User) -> ThemeSuggestion:
    with transaction.atomic():
        suggestion = _lock(suggestion)
        refuse_if(decision_refusal(suggestion, by))
        reason = f"Theme suggestion “{suggestion.label}” rejected"
        _decide(suggestion, Decision.REJECTED, None, by, reason)
        return suggestion


def _decide(suggestion, decision, theme, by, reason) -> None:
    suggestion.decision = decision
    suggestion.theme = theme
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion._change_reason = reason
    suggestion._history_user = by
    suggestion.save(update_fields=["decision", "theme", "decided_by", "decided_at"])
    if theme is not None:
        _tag_as_suggested(theme, suggestion.response_ids, by, reason)


def _tag_as_suggested(theme: Theme, response_ids: list[int], by: User, reason: str) -> None:
    """Tag with `theme`, as suggested, those of the responses still in its consultation and not
    tagged with it yet: in bulk, each tag with its row of history."""
    Theme.objects.select_for_update().filter(pk=theme.pk).exists()  # one tagger at a time
    ours = set(Response.objects.filter(window=theme.window_id).values_list("pk", flat=True))
    tagged = set(ResponseTheme.objects.filter(theme=theme).values_list("response_id", flat=True))
    links = [
        ResponseTheme(response_id=pk, theme=theme, suggested=True)
        for pk in response_ids
        if pk in ours and pk not in tagged
    ]
    before = last_history_pk(ResponseTheme.history.model)
    bulk_create_with_history(
        links, ResponseTheme, batch_size=BATCH, default_user=by, default_change_reason=reason
    )
    announce_history_written(
        ResponseTheme.history.model, before, reason, theme_id=theme.pk
    )  # the audit ledger


# Confirming suggested tags -----------------------------------------------------------------------


def confirm_tags(theme: Theme, by: User, response: Response | None = None) -> int:
    """Confirm the suggested tags of `theme` (of one `response`, or all of them): a person has
    read them and they stand as if tagged by hand. Returns how many were confirmed."""
    if response is not None and (refusal := tag_refusal(response, theme, by)):
        raise WorkflowError(refusal)
    refuse_if(confirm_refusal(theme, by))
    with transaction.atomic():
        links = ResponseTheme.objects.select_for_update().filter(theme=theme, suggested=True)
        if response is not None:
            links = links.filter(response=response)
        links = list(links.order_by("pk"))
        for link in links:
            link.suggested = False
        which = "" if response is None else f" of {response.reference}"
        reason = f"Suggested tag “{theme.name}”{which} confirmed"
        before = last_history_pk(ResponseTheme.history.model)
        bulk_update_with_history(
            links,
            ResponseTheme,
            ["suggested"],
            batch_size=BATCH,
            default_user=by,
            default_change_reason=reason,
        )
        announce_history_written(
            ResponseTheme.history.model, before, reason, theme_id=theme.pk
        )  # the ledger
        return len(links)
