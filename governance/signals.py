"""What the workflow announces once a move has been committed, for whoever must hear of it (the
reminder emails, portal/reminders/). Governance tells; it never knows who listens. Sent from
`transaction.on_commit`, so a listener never hears of a move that was rolled back."""

from django.dispatch import Signal

# gate_id, meeting_id, by_id: a gate was put on the agenda of a meeting.
gate_scheduled = Signal()
# decision_id, by_id: a body's decision (or a correction) was recorded.
decision_recorded = Signal()
