"""Reminder emails: who gets one, once, in plain text and HTML, sent by the task worker.

The events belong to the apps that own them: governance's and consultation's workflows announce
them (their signals.py) once their transaction commits, and listeners.py queues `send_reminder`
(tasks.py); `manage.py send_reminders` queues what time has brought. governance.py and
consultation.py here build each kind of reminder.
The worker (`manage.py db_worker`) builds the reminder from the database as it then stands and
sends it to each recipient who has not turned that kind off and has not had it already.

Once means once per key and recipient: the `SentReminder` row and the email go in one transaction
per recipient, and a unique constraint on (key, recipient) makes a second worker, or a second run
of the command, find the row and skip. If the mail server refuses, the row is rolled back and the
task fails (the worker's log says why), having queued itself again for those it missed, after
each of RETRY_AFTER in turn; a time-driven reminder is also queued again by the next run of
`send_reminders`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from strategies.models import ReminderKind, ReminderPreference, SentReminder, User

logger = logging.getLogger(__name__)

# How long a reminder the mail server refused waits before each new try, for the recipients it
# missed; after the last, the failed task in the worker's log is the last word.
RETRY_AFTER = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))


class NotSent(RuntimeError):
    """The mail server refused a reminder to some of its recipients."""


@dataclass
class Reminder:
    """One reminder, built by its source from the database as it stands when the worker runs.

    `key` names what it is about (`agenda-deadline:meeting-12:2026-11-25`): a recipient gets each
    key once. `context` is for the templates `emails/<kind>.txt` and `.html`; links in it should
    be absolute (`absolute_url`)."""

    kind: str
    key: str
    subject: str
    recipients: QuerySet[User]
    context: dict = field(default_factory=dict)
    exclude_user_id: int | None = None  # the person whose action this is: they know already


def absolute_url(path: str) -> str:
    """A path inside Waymark as a link that works from an email."""
    return f"{settings.WAYMARK_BASE_URL}{path}"


# Who receives each kind, for the preferences page (the sources decide; this tells people).
WHO_GETS = {
    ReminderKind.GATE_SCHEDULED: "Sent to the secretaries of the meeting's body when someone "
    "else puts a strategy on its agenda.",
    ReminderKind.AGENDA_DEADLINE: "Sent to the secretaries of the body while the agenda is "
    "unpublished, 3 working days before the last day to publish it.",
    ReminderKind.DECISION_RECORDED: "Sent to the officers of the strategy's lead organisation.",
    ReminderKind.CONSULTATION_CLOSED: "Sent to the officers of the strategy's lead "
    "organisation, with the number of responses.",
    ReminderKind.GATE_OVERDUE: "Sent once a gate's meeting or planned period has passed "
    "without a decision, to the officers of the strategy's lead organisation and the "
    "secretaries of the gate's body.",
    ReminderKind.REVIEW_DUE: "Sent to the officers of the strategy's lead organisation when a "
    "strategy in delivery reaches its review date.",
}


def strategy_officers(strategy) -> QuerySet[User]:
    """Who hears of a strategy's decisions, closed consultations and overdue gates: the officers
    of its lead organisation, who plan its route and edit its text. Partner organisations' officers
    do not: they follow the strategy through their own bodies' gates (docs/decisions/0007)."""
    return strategy.lead_officers()


# Preferences -----------------------------------------------------------------------------------


def wanted_kinds(user: User) -> dict[str, bool]:
    """Each kind of reminder and whether the user receives it (on unless turned off)."""
    chosen = dict(user.reminder_preferences.values_list("kind", "enabled"))
    return {kind: chosen.get(kind, True) for kind in ReminderKind.values}


def set_preferences(user: User, wanted: dict[str, bool], reason: str, by: User) -> list[str]:
    """Turn kinds of reminder on or off for `user`; returns the kinds changed. Each change is a
    row of the preference's history with `by` and the reason."""
    reason = reason.strip()
    if not reason:
        raise ValueError("Say why you are changing your reminders.")
    changed = []
    with transaction.atomic():
        current = {p.kind: p for p in user.reminder_preferences.select_for_update()}
        for kind in ReminderKind.values:
            enabled = bool(wanted.get(kind, True))
            preference = current.get(kind)
            if (preference.enabled if preference else True) == enabled:
                continue
            preference = preference or ReminderPreference(user=user, kind=kind)
            preference.enabled = enabled
            preference._change_reason = reason
            preference._history_user = by
            preference.save()
            changed.append(kind)
    return changed


def recipients_wanting(users: QuerySet[User], kind: str) -> QuerySet[User]:
    """The active users among `users` with an address who have not turned `kind` off."""
    turned_off = ReminderPreference.objects.filter(user=OuterRef("pk"), kind=kind, enabled=False)
    return (
        users.filter(is_active=True)
        .exclude(email="")
        .filter(~Exists(turned_off))
        .distinct()
        .order_by("pk")
    )


# Sending ---------------------------------------------------------------------------------------


def message_for(reminder: Reminder, user: User) -> EmailMultiAlternatives:
    context = {
        **reminder.context,
        "recipient": user,
        "subject": reminder.subject,
        "site_url": absolute_url("/"),
        "preferences_url": absolute_url(reverse("account-reminders")),
        "kind_label": ReminderKind(reminder.kind).label,
    }
    text = render_to_string(f"emails/{reminder.kind}.txt", context)
    html = render_to_string(f"emails/{reminder.kind}.html", context)
    message = EmailMultiAlternatives(
        subject=f"[Waymark] {reminder.subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        # RFC 3834: automatic mail, so out-of-office replies are not sent back to it.
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def deliver(reminder: Reminder) -> int:
    """Send the reminder to each recipient who wants it and has not had it; returns how many
    were sent. A recipient the mail server refuses does not stop the others."""
    recipients = recipients_wanting(reminder.recipients, reminder.kind)
    if reminder.exclude_user_id:
        recipients = recipients.exclude(pk=reminder.exclude_user_id)
    already = SentReminder.objects.filter(key=reminder.key).values("recipient_id")
    sent, failed = 0, []
    for user in recipients.exclude(pk__in=already):
        try:
            with transaction.atomic():
                SentReminder.objects.create(
                    kind=reminder.kind, key=reminder.key, recipient=user, sent_at=timezone.now()
                )
                message_for(reminder, user).send()
        except IntegrityError:
            continue  # another worker sent it meanwhile
        except Exception as problem:  # the mail server: log, carry on, fail the task at the end
            logger.exception("Reminder %s to user %s not sent", reminder.key, user.pk)
            failed.append(f"user {user.pk}: {problem}")
        else:
            sent += 1
    if failed:
        raise NotSent(f"Reminder {reminder.key} not sent to " + "; ".join(failed))
    return sent
