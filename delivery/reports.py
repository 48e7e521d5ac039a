"""The rules of progress reports to the body overseeing a strategy's delivery (ProgressReport):
who may start, write, take to a meeting and send one, and when; the period it covers; and the
moves that do each, in one transaction with the strategy's row locked, the history naming who
and why. What a report says about delivery is report_snapshot.py's.

Who: the strategy's planners (officers of its lead organisation, and administrators:
governance's `planner_refusal`). When: once it is adopted (adopted, published, in delivery or
under review), never once it is withdrawn or superseded.

The period: it ends no later than today and not before it starts, and does not overlap the
period of a report already sent, so that each day of delivery is reported once and "what
changed since the last report" has one last report. Drafts may overlap one another; the
check is made again when a draft is sent.

Sending freezes it: `snapshot` keeps what it reported (and what had changed since the report
before), `sent_at` when; from then on nothing of it changes, as a committee report stays as it
was sent once its papers are published. Its gate (purpose "monitor delivery" or "note", added
through governance's `add_gate`) is decided like any other; a MONITOR gate never moves the
strategy's stage."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from governance.dates import Precision, long_date
from governance.models import Body, Gate, Purpose
from governance.workflow import WorkflowError, add_gate, planner_refusal, refuse_if
from governance.workflow.common import lock_strategy
from strategies.models import Strategy, User

from .models import ProgressReport

Stage = Strategy.Stage

# The stages in which delivery is reported to the Board: from adoption until it is closed.
REPORT_STAGES = {Stage.ADOPTED, Stage.PUBLISHED, Stage.IN_DELIVERY, Stage.UNDER_REVIEW}
# What a meeting does with a progress report.
GATE_PURPOSES = [Purpose.MONITOR, Purpose.NOTE]


# Checks ----------------------------------------------------------------------------------------


def writer_refusal(user: User | None, strategy: Strategy) -> str | None:
    """Why `user` never writes this strategy's progress reports now, or None."""
    if user is None or not user.is_authenticated:
        return "Sign in to prepare progress reports."
    if refusal := planner_refusal(user, strategy):
        if strategy.route_is_closed:
            return refusal
        return (
            "Only officers of the lead organisation (or an administrator) prepare this "
            "strategy's progress reports."
        )
    return None


def start_refusal(user: User | None, strategy: Strategy) -> str | None:
    """Why `user` may not start a progress report of `strategy` now, or None."""
    if refusal := writer_refusal(user, strategy):
        return refusal
    if strategy.stage not in REPORT_STAGES:
        return (
            f"Progress is reported to the Board once the strategy is adopted; it is "
            f"{strategy.get_stage_display().lower()}."
        )
    return None


def sent_refusal(report: ProgressReport) -> str | None:
    """A sent report stays as it was sent."""
    if report.sent_at is not None:
        return (
            f"This report was sent on {long_date(timezone.localdate(report.sent_at))}: it stays "
            f"as it was sent."
        )
    return None


def edit_refusal(user: User | None, report: ProgressReport) -> str | None:
    """Why `user` may not change `report` (its sections, its period) now, or None."""
    return writer_refusal(user, report.strategy) or sent_refusal(report)


def send_refusal(user: User | None, report: ProgressReport) -> str | None:
    return edit_refusal(user, report)


def meeting_refusal(user: User | None, report: ProgressReport) -> str | None:
    """Why `user` may not take `report` to a meeting (add its gate) now, or None."""
    if refusal := edit_refusal(user, report):
        return refusal
    if report.gate_id:
        return "This report is already on the strategy's route."
    return None


def period_problems(
    strategy: Strategy,
    covers_from: datetime.date | None,
    covers_to: datetime.date | None,
    report_pk: int | None = None,
    today: datetime.date | None = None,
) -> list[WorkflowError]:
    """What is wrong with a report's period, beside its fields."""
    today = today or timezone.localdate()
    problems = []
    if covers_from is None:
        problems.append(WorkflowError("Give the first day the report covers.", "covers_from"))
    if covers_to is None:
        problems.append(WorkflowError("Give the last day the report covers.", "covers_to"))
    if problems:
        return problems
    if covers_to < covers_from:
        problems.append(WorkflowError("The period cannot end before it starts.", "covers_to"))
    elif covers_to > today:
        problems.append(
            WorkflowError(
                "A report covers delivery so far: its period cannot end after today.", "covers_to"
            )
        )
    else:
        clash = (
            ProgressReport.objects.filter(
                strategy=strategy,
                sent_at__isnull=False,
                covers_from__lte=covers_to,
                covers_to__gte=covers_from,
            )
            .exclude(pk=report_pk)
            .first()
        )
        if clash:
            problems.append(
                WorkflowError(
                    f"“{clash.title}”, already sent, covers {long_date(clash.covers_from)} to "
                    f"{long_date(clash.covers_to)}: a period is reported once. Start after "
                    f"{long_date(clash.covers_to)}.",
                    "covers_from",
                )
            )
    return problems


def _raise_first(problems: list[WorkflowError]) -> None:
    if problems:
        raise problems[0]


def _because(what: str, reason: str) -> str:
    return f"{what}: {reason}" if reason else what


# The moves -------------------------------------------------------------------------------------


def start_report(
    strategy: Strategy,
    by: User,
    title: str,
    covers_from: datetime.date,
    covers_to: datetime.date,
    reason: str = "",
) -> ProgressReport:
    with transaction.atomic():
        strategy = lock_strategy(strategy)
        refuse_if(start_refusal(by, strategy))
        if not (title or "").strip():
            raise WorkflowError("Give the report a title.", "title")
        _raise_first(period_problems(strategy, covers_from, covers_to))
        report = ProgressReport(
            strategy=strategy,
            title=title.strip(),
            covers_from=covers_from,
            covers_to=covers_to,
            prepared_by=by,
            created_at=timezone.now(),
        )
        report._history_user = by
        report._change_reason = _because("Progress report started", reason)
        report.save()
        return report


def save_report(report: ProgressReport, by: User, reason: str = "") -> ProgressReport:
    """Save what was typed into `report` (its title, period and sections). The caller's form
    has checked its version in the same transaction (strategies/concurrency.py)."""
    with transaction.atomic():
        strategy = lock_strategy(report.strategy)
        stored = ProgressReport.objects.get(pk=report.pk)
        stored.strategy = strategy
        refuse_if(edit_refusal(by, stored))
        if not (report.title or "").strip():
            raise WorkflowError("Give the report a title.", "title")
        _raise_first(period_problems(strategy, report.covers_from, report.covers_to, report.pk))
        report.strategy = strategy
        report._history_user = by
        report._change_reason = _because("Progress report changed", reason)
        report.save()
        return report


def take_to_meeting(
    report: ProgressReport,
    body: Body,
    by: User,
    purpose: str = Purpose.MONITOR,
    planned_date: datetime.date | None = None,
    precision: str = Precision.NOT_SET,
) -> Gate:
    """Put the report on the strategy's route: a gate of `purpose` (monitor delivery, or note)
    at `body`, which a secretary schedules on a meeting and decides like any other."""
    if purpose not in GATE_PURPOSES:
        raise WorkflowError("A progress report goes to a meeting to monitor or to note.", "purpose")
    with transaction.atomic():
        lock_strategy(report.strategy)
        stored = ProgressReport.objects.select_for_update().get(pk=report.pk)
        stored.strategy = report.strategy
        refuse_if(meeting_refusal(by, stored))
        gate = add_gate(
            report.strategy, body, purpose, by, planned_date=planned_date, precision=precision,
            note=f"Progress report: {stored.title}"[:300],
        )  # fmt: skip
        stored.gate = gate
        stored.version += 1
        stored._history_user = by
        stored._change_reason = f"Taken to the {body} ({gate.get_purpose_display().lower()})"
        stored.save()
        return gate


def send_report(report: ProgressReport, by: User, today: datetime.date | None = None):
    """Freeze the report as it is sent: its snapshot of delivery (and of what changed since
    the report before) and the moment, after which it does not change."""
    from .report_snapshot import take_snapshot

    with transaction.atomic():
        strategy = lock_strategy(report.strategy)
        stored = ProgressReport.objects.select_for_update().get(pk=report.pk)
        stored.strategy = strategy
        refuse_if(send_refusal(by, stored))
        _raise_first(
            period_problems(strategy, stored.covers_from, stored.covers_to, stored.pk, today)
        )
        stored.snapshot = take_snapshot(stored)
        stored.sent_at = timezone.now()
        stored.version += 1
        stored._history_user = by
        stored._change_reason = "Progress report sent"
        stored.save()
        return stored


def reports_of(strategy: Strategy):
    """The strategy's progress reports, newest period first, with their gates and who
    prepared them."""
    return ProgressReport.objects.filter(strategy=strategy).select_related(
        "gate__body", "gate__meeting", "prepared_by"
    )
