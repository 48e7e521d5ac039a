"""The consultation workflow: the only code that moves a consultation window, and the rules every
door (the browser, the admin, commands, the demo) goes through.

- rules.py: what a window, event, theme and partner must be; each problem names the field it
  belongs beside. entries.py: the same for a "you said, we did" entry.
- refusals.py: whether a person may make each move now, and why not, without making it.
- moves.py: the moves of a window (plan or change, open, close, record one that ran before its
  strategy came into Waymark, write and publish the response).
- responses.py: the public's responses and the officers' tags on them, and the responses sent
  another way that officers key in.
- importing.py: the responses of a CSV from another survey tool, added in one transaction.
- tagging.py: tagging many responses with a theme at once, or taking it off them.
- suggestions.py: theme suggestions found in the comments (a background task), the officers'
  decisions on them, and confirming the tags they suggested.

Callers import from here: `from consultation import workflow; workflow.open_window(...)`.
"""

from governance.workflow import WorkflowError

from .entries import CHANGED_OR_WHY_NOT, entry_problems, themes_without_entry
from .importing import ImportedFile, ImportedRow, already_imported, import_responses
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
    correction_refusal,
    entry_refusal,
    keying_refusal,
    keying_state_refusal,
    open_refusal,
    plan_refusal,
    publish_refusal,
    record_refusal,
    removal_refusal,
    submission_refusal,
    tag_refusal,
    tags_refusal,
    window_refusal,
)
from .responses import (
    KEYED_CHANNELS,
    is_late,
    key_in_response,
    new_reference,
    received_problem,
    set_tag,
    submit_response,
)
from .rules import (
    EVENT_REACH,
    FIXED_ONCE_OPEN,
    FIXED_ONCE_OPEN_MESSAGE,
    RunRecord,
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
from .suggestions import (
    accept_suggestion,
    confirm_refusal,
    confirm_tags,
    decision_refusal,
    find_theme_suggestions,
    merge_suggestion,
    reject_suggestion,
    request_refusal,
    request_suggestions,
    run_suggestions,
    running_run,
    suggestions_refusal,
)
from .tagging import bulk_set_tags, responses_to_change

__all__ = [
    "CHANGED_OR_WHY_NOT",
    "CLOSING_PASSED",
    "EVENT_REACH",
    "FIXED_ONCE_OPEN",
    "FIXED_ONCE_OPEN_MESSAGE",
    "ImportedFile",
    "ImportedRow",
    "KEYED_CHANNELS",
    "NEXT_MOVE",
    "RECORD_MOVE",
    "RunRecord",
    "WorkflowError",
    "accept_suggestion",
    "already_imported",
    "bulk_set_tags",
    "close_due_windows",
    "close_refusal",
    "close_window",
    "closing_reason_refusal",
    "confirm_refusal",
    "confirm_tags",
    "consultation_at",
    "correction_refusal",
    "decision_refusal",
    "entry_problems",
    "entry_refusal",
    "event_date_problem",
    "event_host_bodies",
    "event_problems",
    "find_theme_suggestions",
    "fixed_fields",
    "gate_choices",
    "import_responses",
    "is_late",
    "key_in_response",
    "keying_refusal",
    "keying_state_refusal",
    "length_if_closed_today",
    "merge_suggestion",
    "missed_rules",
    "new_reference",
    "open_refusal",
    "open_window",
    "partner_problems",
    "plan_refusal",
    "publish_refusal",
    "publish_response",
    "received_problem",
    "record_problems",
    "record_refusal",
    "record_window",
    "reject_suggestion",
    "removal_refusal",
    "request_refusal",
    "request_suggestions",
    "responses_to_change",
    "result_of",
    "run_suggestions",
    "running_run",
    "same_theme",
    "save_entry",
    "save_window",
    "set_tag",
    "short_if_closed_today",
    "submission_refusal",
    "submit_response",
    "suggestions_refusal",
    "tag_refusal",
    "tags_refusal",
    "theme_name",
    "theme_problems",
    "themes_without_entry",
    "window_change_problems",
    "window_problems",
    "window_refusal",
]
