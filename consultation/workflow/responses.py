"""The public's responses and the officers' tags on them: a response is stored whole with its
answers and a reference to quote, and never edited; officers only tag it with their themes."""

from __future__ import annotations

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.workflow import WorkflowError

from ..models import ConsultationWindow, PriorityAnswer, Response, ResponseTheme, Theme
from .refusals import submission_refusal, tag_refusal


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
    if respondent_type == Response.RespondentType.INDIVIDUAL:
        # Only what the response needs: someone answering for themselves names no organisation
        # (a name typed before they changed their answer is not kept).
        organisation_name = ""
    for _ in range(5):
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    window=window,
                    reference=new_reference(),
                    submitted_at=submitted_at or timezone.now(),
                    respondent_type=respondent_type,
                    organisation_name=organisation_name,
                    general_comments=general_comments,
                    consent=True,
                    is_demo=is_demo,
                )
                PriorityAnswer.objects.bulk_create(
                    PriorityAnswer(
                        response=response,
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


def set_tag(response: Response, theme: Theme, tagged: bool, by=None) -> None:
    """Tag or untag a response with a theme of its own window (history records who). `by` is
    the officer tagging, checked like every move; None for the demo loader and imports."""
    if refusal := tag_refusal(response, theme, by):
        raise WorkflowError(refusal)
    with transaction.atomic():
        link = ResponseTheme.objects.filter(response=response, theme=theme).first()
        if tagged and link is None:
            ResponseTheme.objects.create(response=response, theme=theme)
        elif not tagged and link is not None:
            link.delete()
