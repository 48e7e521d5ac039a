"""What the consultation workflow announces once a move has been committed, for whoever must
hear of it (the reminder emails, portal/reminders/). Sent from `transaction.on_commit`."""

from django.dispatch import Signal

# window_id, by_id: a consultation window closed, by hand or at its closing date.
window_closed = Signal()
