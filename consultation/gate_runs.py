"""The consultation windows at gates, as governance's route page and CSV of gates read them
(governance/gate_runs.py, filled from ConsultationConfig.ready())."""

from __future__ import annotations

from governance.gate_runs import GateRun

from .models import ConsultationWindow

RUN = {ConsultationWindow.State.CLOSED, ConsultationWindow.State.RESPONSE_PUBLISHED}


def count_of(window: ConsultationWindow, responses: int) -> str:
    """How many responded, as the records have it: those received here ("23 responses"), or
    the number a report gives of a consultation recorded after the fact ("412 responses
    reported"), or that no number is on record. As the consultations tab counts them."""
    if window.reported_only:  # and any responses keyed in or imported since
        return window.reported_with(responses) if responses else window.reported_count
    if window.recorded_later and not responses:
        return "number of responses not on record"
    return f"{responses} response{'' if responses == 1 else 's'}"


def windows_at(gate_ids: list[int]) -> dict[int, GateRun]:
    """The window at each of `gate_ids` that has one, by gate id, in one query."""
    windows = (
        ConsultationWindow.objects.filter(gate_id__in=gate_ids).with_recording().with_responses_in()
    )
    runs = {}
    for w in windows:
        closed = w.state in RUN
        _, recorded_by = w.recording
        runs[w.gate_id] = GateRun(
            title=w.title,
            opens_on=w.opens_on,
            closes_on=w.closes_on,
            precision=w.date_precision,
            closed=closed,
            outcome=count_of(w, w.responses_in) if closed else "",
            result=w.result if closed else "",
            recorded_by=recorded_by,
            recorded_from=w.recorded_from if w.recorded_later else "",
        )
    return runs
