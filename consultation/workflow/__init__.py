"""The consultation workflow: the only code that moves a consultation window, and the rules every
door (the browser, the admin, commands, the demo) goes through.

- rules.py: what a window, event, theme, partner and "you said, we did" entry must be; each
  problem names the field it belongs beside.
- refusals.py: whether a person may make each move now, and why not, without making it.
- moves.py: the moves of a window (plan or change, open, close, record one that ran before its
  strategy came into Waymark, write and publish the response).
- responses.py: the public's responses and the officers' tags on them.

Callers import from here: `from consultation import workflow; workflow.open_window(...)`.
"""

from governance.workflow import WorkflowError

from .moves import (
    close_due_windows,
    close_window,
    consultation_at,
    open_window,
    publish_response,
    record_window,
    result_of,
    save_entry,
    save_window,
)
from .refusals import (
    CLOSING_PASSED,
    NEXT_MOVE,
    RECORD_MOVE,
    close_refusal,
    closing_reason_refusal,
    entry_refusal,
    open_refusal,
    plan_refusal,
    publish_refusal,
    record_refusal,
    removal_refusal,
    submission_refusal,
    tag_refusal,
    window_refusal,
)
from .responses import new_reference, set_tag, submit_response
from .rules import (
    EVENT_REACH,
    FIXED_ONCE_OPEN,
    FIXED_ONCE_OPEN_MESSAGE,
    RunRecord,
    entry_problems,
    event_date_problem,
    event_host_bodies,
    event_problems,
    fixed_fields,
    gate_choices,
    length_if_closed_today,
    missed_rules,
    partner_problems,
    record_problems,
    same_theme,
    short_if_closed_today,
    theme_name,
    theme_problems,
    window_change_problems,
    window_problems,
)

__all__ = [
    "CLOSING_PASSED",
    "EVENT_REACH",
    "FIXED_ONCE_OPEN",
    "FIXED_ONCE_OPEN_MESSAGE",
    "NEXT_MOVE",
    "RECORD_MOVE",
    "RunRecord",
    "WorkflowError",
    "close_due_windows",
    "close_refusal",
    "close_window",
    "closing_reason_refusal",
    "consultation_at",
    "entry_problems",
    "entry_refusal",
    "event_date_problem",
    "event_host_bodies",
    "event_problems",
    "fixed_fields",
    "gate_choices",
    "length_if_closed_today",
    "missed_rules",
    "new_reference",
    "open_refusal",
    "open_window",
    "partner_problems",
    "plan_refusal",
    "publish_refusal",
    "publish_response",
    "record_problems",
    "record_refusal",
    "record_window",
    "removal_refusal",
    "result_of",
    "same_theme",
    "save_entry",
    "save_window",
    "set_tag",
    "short_if_closed_today",
    "submission_refusal",
    "submit_response",
    "tag_refusal",
    "theme_name",
    "theme_problems",
    "window_change_problems",
    "window_problems",
    "window_refusal",
]
