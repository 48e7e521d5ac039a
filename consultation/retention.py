"""Respondents' personal data is kept only as long as the retention setting says.

A response older than `settings.RESPONSE_RETENTION_DAYS` (counted from when it was sent, and
only once its consultation has closed) loses the free text and the organisation's name, the
parts that can identify someone; its reference, date, respondent type, agreements and theme tags
stay, so every count and chart of the consultation is unchanged. `manage.py anonymise_responses`
runs it (daily from cron, beside close_consultations).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ConsultationWindow, PriorityAnswer, Response

REMOVED = ""


def due_for_anonymising(now: datetime.datetime | None = None):
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.RESPONSE_RETENTION_DAYS)
    return Response.objects.filter(anonymised_at__isnull=True, submitted_at__lt=cutoff).exclude(
        window__state=ConsultationWindow.State.OPEN
    )


def anonymise_due_responses(now: datetime.datetime | None = None) -> int:
    """Anonymise every response past the retention period; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(due_for_anonymising(now).select_for_update().values_list("pk", flat=True))
        PriorityAnswer.objects.filter(response_id__in=ids).update(comment=REMOVED)
        # The row's id in the survey tool it was imported from leads back to the respondent
        # there: it goes too (the file can no longer be imported again without adding them).
        return Response.objects.filter(pk__in=ids).update(
            organisation_name=REMOVED, general_comments=REMOVED, source_row_id="", anonymised_at=now
        )
