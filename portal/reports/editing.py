"""Every change to a committee report: starting it from what Waymark knows, saving the
officer's edits, changing it from scripts, and refreshing the known sections. Each takes the
strategy's row lock (the one workflow moves take) and asks governance's check
(governance.workflow.reports) first, so the rules hold however the change arrives.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from governance.forms import CommitteeReportForm
from governance.models import CommitteeReport, Gate
from governance.workflow import WorkflowError, lock_strategy, refuse_if
from governance.workflow.reports import report_refusal

from .drafting import known, prefill
from .sections import KNOWN_FIELDS, section_label


def _locked_gate(gate: Gate, by) -> Gate:
    """The gate read afresh under the strategy's row lock (workflow.lock_strategy), if `by` may
    change its report now; WorkflowError with the check's sentence otherwise."""
    strategy = lock_strategy(gate.strategy)
    gate = Gate.objects.select_related("body", "meeting").get(pk=gate.pk)
    gate.strategy = strategy
    refuse_if(report_refusal(by, gate))
    return gate


def start_report(gate: Gate, by) -> CommitteeReport:
    """Create the gate's report from what Waymark knows."""
    with transaction.atomic():
        gate = _locked_gate(gate, by)
        if CommitteeReport.objects.filter(gate=gate).exists():
            raise WorkflowError(f"The {gate.body} gate already has its committee report.")
        report = CommitteeReport(gate=gate, version=1, **prefill(gate))
        report._change_reason = "Report started from what Waymark knows"
        report._history_user = by
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # someone else started it a moment ago
            raise WorkflowError(f"The {gate.body} gate already has its committee report.") from None
        return report


def save_report(form, gate: Gate, by) -> CommitteeReport:
    """Save a validated CommitteeReportForm; the caller runs validation and this in one
    transaction after `lock_for_edit`, so the version check and the rules hold. A form sent
    back unchanged saves nothing: no new version, no row in the history."""
    if not form.has_changed():
        return form.instance
    report = form.save(commit=False)
    report._change_reason = form.cleaned_data.get("reason") or "Report edited"
    if by is not None and by.is_authenticated:
        report._history_user = by
    report.save()
    return report


def update_report(report: CommitteeReport, by, reason: str = "", **changes) -> CommitteeReport:
    """Change a report outside the browser (load_demo, scripts) through the same form, rules
    and version check as the edit page. Raises WorkflowError, or ValidationError with the
    form's errors."""
    with transaction.atomic():
        gate = lock_for_edit(report.gate, by)
        report = CommitteeReport.objects.get(pk=report.pk)
        data = {**model_to_dict(report), **changes, "version": report.version, "reason": reason}
        form = CommitteeReportForm(data, instance=report, strategy=gate.strategy)
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        return save_report(form, gate, by)


def lock_for_edit(gate: Gate, by) -> Gate:
    """Lock and re-read the gate inside the caller's transaction; refuse if the report may not
    change now (the papers may have been published since the form was opened)."""
    return _locked_gate(gate, by)


def refresh_report(report: CommitteeReport, by, fields: list[str]) -> list[str]:
    """Write the chosen known sections again from what Waymark knows now. The officer's own
    sections stay as they are. Returns the labels of the sections that changed."""
    fields = [f for f in fields if f in KNOWN_FIELDS]
    with transaction.atomic():
        gate = lock_for_edit(report.gate, by)
        report = CommitteeReport.objects.select_for_update().get(pk=report.pk)
        fresh = known(gate)
        changed = [f for f in fields if getattr(report, f) != fresh[f]]
        if changed:
            for f in changed:
                setattr(report, f, fresh[f])
            report.version += 1
            labels = ", ".join(section_label(f) for f in changed)
            report._change_reason = f"Refreshed from Waymark: {labels}"
            report._history_user = by
            report.save()
        return [section_label(f) for f in changed]


def stale_fields(report: CommitteeReport) -> list[str]:
    """The known sections whose text differs from what Waymark knows now."""
    fresh = known(report.gate)
    return [f for f in KNOWN_FIELDS if getattr(report, f) != fresh[f]]
