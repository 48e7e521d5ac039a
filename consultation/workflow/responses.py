"""The public's responses and the officers' tags on them: a response is stored whole with its
answers and a reference to quote, and never edited; officers only tag it with their themes."""

from __future__ import annotations

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.dates import latest_day, long_date
from governance.workflow import WorkflowError, refuse_if

from ..models import ConsultationWindow, PriorityAnswer, Response, ResponseTheme, Theme
from .refusals import keying_refusal, submission_refusal, tag_refusal

# How a response keyed in by an officer may have reached the council (the online form's come
# through the public page, an import's from its file).
KEYED_CHANNELS = [
    (value, label)
    for value, label in Response.Channel.choices
    if value not in (Response.Channel.ONLINE, Response.Channel.IMPORTED)
]


def new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    code = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"WM-{code[:4]}-{code[4:]}"


def submit_response(
    window: ConsultationWindow,
    respondent_type: str,
    answers: list[tuple[int, str, int | None, str]],
    general_comments: str = "",
    organisation_name: str = "",
    is_demo: bool = False,
    submitted_at: datetime.datetime | None = None,
) -> Response:
    """Store one response with its answers (priority id, title, agreement, comment)."""
    if refusal := submission_refusal(window, is_demo):
        raise WorkflowError(refusal)
    return _store(
        window,
        answers,
        submitted_at=submitted_at or timezone.now(),
        respondent_type=respondent_type,
        organisation_name=organisation_name,
        general_comments=general_comments,
        is_demo=is_demo,
    )


def _store(window: ConsultationWindow, answers, by=None, reason: str = "", **fields) -> Response:
    """One response with its answers, under a reference never given before; its history row
    says who added it (`by`: nobody for the public) and how (`reason`)."""
    if fields["respondent_type"] == Response.RespondentType.INDIVIDUAL:
        # Only what the response needs: someone answering for themselves names no organisation
        # (a name typed before they changed their answer is not kept).
        fields["organisation_name"] = ""
    for _ in range(5):
        try:
            with transaction.atomic():
                response = Response(
                    window=window, reference=new_reference(), consent=True, **fields
                )
                response._history_user = by  # whichever door it came through
                response._change_reason = reason or "Sent through the online form"
                response.save()
                PriorityAnswer.objects.bulk_create(
                    PriorityAnswer(
                        response=response,
                        window=window,
                        priority_id=pid,
                        priority_title=title,
                        agreement=agreement,
                        comment=comment,
                    )
                    for pid, title, agreement, comment in answers
                )
                return response
        except IntegrityError:  # the one-in-a-trillion clash of references: draw again
            continue
    raise WorkflowError("Your response could not be stored just now; please send it again.")


def received_problem(
    window: ConsultationWindow,
    received_on: datetime.date | None,
    today: datetime.date | None = None,
) -> str | None:
    """What is wrong with `received_on` as the day a response sent another way reached the
    council, or None: it is known, not in the future, and not before the consultation opened.
    After it closed is accepted (and marked late: `is_late`)."""
    if received_on is None:
        return "Give the day it was received."
    if received_on > (today or timezone.localdate()):
        return "The day it was received cannot be in the future."
    if window.opens_on is not None and received_on < window.opens_on:
        return (
            f"The consultation opened on {long_date(window.opens_on)}: a response to it cannot "
            f"have been received before."
        )
    return None


def is_late(window: ConsultationWindow, received_on: datetime.date) -> bool:
    """Received after the last day the closing date can mean (at the window's precision)."""
    return window.closes_on is not None and received_on > latest_day(
        window.closes_on, window.date_precision
    )


def key_in_response(
    window: ConsultationWindow,
    by,
    channel: str,
    received_on: datetime.date | None,
    respondent_type: str,
    answers: list[tuple[int, str, int | None, str]],
    general_comments: str = "",
    organisation_name: str = "",
) -> Response:
    """Store a response sent another way (a paper form, an email, a letter, at an event), keyed
    in by `by`, who runs the consultation: the day it was received, marked late when that was
    after the closing date (and accepted). The respondent sent it for the consultation, so it is
    the council's record of a response with the same consent as one sent online."""
    with transaction.atomic():
        window = (
            ConsultationWindow.objects.select_for_update(of=("self",))
            .select_related("strategy")
            .get(pk=window.pk)
        )
        refuse_if(keying_refusal(window, by))
        if channel not in dict(KEYED_CHANNELS):
            raise WorkflowError("Choose how the response was sent.", field="channel")
        refuse_if(received_problem(window, received_on), field="received_on")
        return _store(
            window,
            answers,
            submitted_at=timezone.now(),
            respondent_type=respondent_type,
            organisation_name=organisation_name,
            general_comments=general_comments,
            channel=channel,
            received_on=received_on,
            late=is_late(window, received_on),
            keyed_by=by,
            by=by,
            reason=f"Keyed in: {dict(KEYED_CHANNELS)[channel].lower()} received on "
            f"{long_date(received_on)}",
        )


def set_tag(response: Response, theme: Theme, tagged: bool, by=None) -> None:
    """Tag or untag a response with a theme of its own window (history records who). `by` is
    the officer tagging, checked like every move; None for the demo loader and imports. A tag
    that a theme suggestion made and that is kept is confirmed: the person saved it
    (suggestions.py)."""
    if refusal := tag_refusal(response, theme, by):
        raise WorkflowError(refusal)
    with transaction.atomic():
        link = ResponseTheme.objects.filter(response=response, theme=theme).first()
        if tagged and link is None:
            ResponseTheme.objects.create(response=response, theme=theme)
        elif tagged and link.suggested:
            link.suggested = False
            link._change_reason = f"Suggested tag “{theme.name}” confirmed"
            link.save(update_fields=["suggested"])
        elif not tagged and link is not None:
            link.delete()
