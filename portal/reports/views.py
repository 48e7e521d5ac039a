"""Committee report pages: the strategy's Report tab, each gate's report, its edit form, the
refresh from Waymark, and the print view, Word file and PDF.

Reading follows the strategy (strategies.access: 404 for a strategy the person cannot see);
changing follows reports.report_refusal (officers of the lead organisation, while the gate is
open and its papers unpublished).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.forms import CommitteeReportForm, RefreshReportForm
from governance.models import CommitteeReport, Decision, Gate, Purpose
from governance.route import build_steps
from governance.workflow import WorkflowError
from portal import reports
from portal.reports import files as report_files
from strategies import access as strategy_access
from strategies.models import Strategy

logger = logging.getLogger(__name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HISTORY_ROWS = 20


def _gate(request, slug: str, pk: int) -> Gate:
    """The gate of a strategy the person can read (404 otherwise), with its report if any."""
    strategy = strategy_access.get_visible_strategy(
        request.user, slug, Strategy.objects.select_related("lead_organisation")
    )
    gate = get_object_or_404(
        Gate.objects.select_related("body", "meeting", "report"), strategy=strategy, pk=pk
    )
    gate.strategy = strategy
    if hasattr(gate, "report"):
        gate.report.gate = gate
    return gate


def _report_of(gate: Gate) -> CommitteeReport:
    report = getattr(gate, "report", None)
    if report is None:
        raise Http404("No committee report for this gate yet.")
    return report


def _links_context(request, gate: Gate, report: CommitteeReport | None) -> dict:
    refusal = reports.report_refusal(request.user, gate)
    return {
        "gate": gate,
        "strategy": gate.strategy,
        "report": report,
        "refusal": refusal,
        "frozen": reports.gate_refusal(gate) if report else None,
        "mismatch": reports.meeting_mismatch(report) if report else None,
        "can_edit": report is not None and refusal is None,
        "can_start": report is None and refusal is None,
        "pdf_reason": report_files.pdf_unavailable_reason() if report else None,
    }


def _history(report: CommitteeReport) -> list[dict]:
    """The report's versions, newest first, each with the sections it changed."""
    records = list(report.history.select_related("history_user")[: HISTORY_ROWS + 1])
    rows = []
    for record, previous in zip(records, records[1:] + [None], strict=True):
        if len(rows) == HISTORY_ROWS:
            break
        if previous is None:
            changed = "Started" if record.history_type == "+" else ""
        else:
            names = record.diff_against(previous).changed_fields
            changed = ", ".join(
                str(CommitteeReport._meta.get_field(n).verbose_name).capitalize() for n in names
            )
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user.display_name if record.history_user else "System",
                "reason": record.history_change_reason or "",
                "changed": changed or "Nothing",
            }
        )
    return rows


def _refresh_form(data=None, stale=()) -> RefreshReportForm:
    choices = [
        (
            f,
            reports.section_label(f)
            + (" (Waymark now knows something different)" if f in stale else ""),
        )
        for f in reports.KNOWN_FIELDS
    ]
    return RefreshReportForm(data, choices=choices, initial={"sections": list(stale)})


@login_required
@require_GET
def gate_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    gate = _gate(request, slug, pk)
    report = getattr(gate, "report", None)
    context = _links_context(request, gate, report)
    context["tab"] = "report"
    if report is not None:
        context["doc"] = reports.build_document(report)
        context["history"] = _history(report)
        if context["can_edit"]:
            stale = reports.stale_fields(report)
            context["stale"] = [reports.section_label(f) for f in stale]
            context["refresh_form"] = _refresh_form(stale=stale)
    return render(request, "portal/report.html", context)


@login_required
@require_POST
def start_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    gate = _gate(request, slug, pk)
    refusal = reports.writer_refusal(request.user, gate.strategy)
    if refusal:
        raise PermissionDenied(refusal)
    if getattr(gate, "report", None) is None:
        try:
            reports.start_report(gate, request.user)
            messages.success(
                request,
                "Report started. Waymark has filled in what it knows; edit the report to write "
                "the rest.",
            )
        except WorkflowError as refusal:
            messages.error(request, refusal.message)
    return redirect("gate-report", slug=slug, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    gate = _gate(request, slug, pk)
    report = _report_of(gate)
    strategy = gate.strategy
    writer = reports.writer_refusal(request.user, strategy)
    if writer:
        raise PermissionDenied(writer)
    status = 200
    if request.method == "POST":
        form = CommitteeReportForm(request.POST, instance=report, strategy=strategy)
        stopped = None
        with transaction.atomic():  # the rules and the version check hold until the save
            try:
                reports.lock_for_edit(gate, request.user)
            except WorkflowError as refusal:  # e.g. the papers went out while the form was open
                stopped = refusal.message
            if form.is_valid() and stopped is None:
                reports.save_report(form, gate, request.user)
                if form.has_changed():
                    messages.success(request, "The committee report has been saved.")
                else:
                    messages.info(request, "Nothing was changed, so nothing was saved.")
                return redirect("gate-report", slug=slug, pk=pk)
        if stopped:
            form.add_error(None, f"Not saved: {stopped} Copy anything you want to keep.")
            status = 409
    else:
        refusal = reports.gate_refusal(gate)
        if refusal:
            raise PermissionDenied(refusal)
        form = CommitteeReportForm(instance=report, strategy=strategy)
    return render(
        request,
        "portal/report_form.html",
        {"form": form, "gate": gate, "strategy": strategy, "report": report},
        status=status,
    )


@login_required
@require_POST
def refresh_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    gate = _gate(request, slug, pk)
    report = _report_of(gate)
    refusal = reports.report_refusal(request.user, gate)
    if refusal:
        raise PermissionDenied(refusal)
    form = _refresh_form(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["sections"]))
        return redirect("gate-report", slug=slug, pk=pk)
    try:
        changed = reports.refresh_report(report, request.user, form.cleaned_data["sections"])
    except WorkflowError as stopped:
        messages.error(request, stopped.message)
        return redirect("gate-report", slug=slug, pk=pk)
    if changed:
        messages.success(request, f"Refreshed from Waymark: {', '.join(changed)}.")
    else:
        messages.info(request, "Those sections already say what Waymark knows; nothing changed.")
    return redirect("gate-report", slug=slug, pk=pk)


def _print_context(gate: Gate, report: CommitteeReport, for_pdf: bool = False) -> dict:
    return {
        "doc": reports.build_document(report),
        "gate": gate,
        "strategy": gate.strategy,
        "report": report,
        "for_pdf": for_pdf,
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def print_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    gate = _gate(request, slug, pk)
    return render(request, "portal/report_print.html", _print_context(gate, _report_of(gate)))


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def report_docx(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    gate = _gate(request, slug, pk)
    doc = reports.build_document(_report_of(gate))
    return _attachment(report_files.docx_bytes(doc), DOCX_TYPE, report_files.filename(doc, "docx"))


@login_required
@require_GET
def report_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    gate = _gate(request, slug, pk)
    report = _report_of(gate)
    reason = report_files.pdf_unavailable_reason()
    if reason is None:
        context = _print_context(gate, report, for_pdf=True)
        html = render_to_string("portal/report_print.html", context, request=request)
        try:
            pdf = report_files.pdf_bytes(html)
        except Exception:  # a broken library must not become a server error
            logger.exception("PDF of committee report %s failed", report.pk)
            reason = (
                "The PDF could not be made on this server just now. Use the print view and "
                "your browser's “Save as PDF”, or the Word file."
            )
        else:
            return _attachment(pdf, "application/pdf", report_files.filename(context["doc"], "pdf"))
    return render(
        request,
        "portal/report_pdf_unavailable.html",
        {"gate": gate, "strategy": gate.strategy, "report": report, "reason": reason},
        status=503,
    )


# The strategy's Report tab ---------------------------------------------------------------------


@login_required
@require_GET
def strategy_report(request: HttpRequest, slug: str) -> HttpResponse:
    """The report of the strategy's next gate, and every gate's report."""
    strategy = strategy_access.get_visible_strategy(
        request.user, slug, Strategy.objects.select_related("lead_organisation")
    )
    gates = list(strategy.gates.for_route().select_related("report"))
    decisions = list(Decision.objects.filter(gate__strategy=strategy).select_related("meeting"))
    steps, _ = build_steps(gates, decisions)
    views = [v for step in steps for v in step if v.gate.purpose != Purpose.CONSULT]
    for view in views:
        view.gate.strategy = strategy
        view.report = getattr(view.gate, "report", None)
        if view.report is not None:
            view.report.gate = view.gate
            view.report_mismatch = reports.meeting_mismatch(view.report)
    next_views = [v for v in views if v.is_next]
    # The next gate's report; of gates next in parallel, the one report written, if only one is.
    written = [v for v in next_views if v.report is not None]
    featured = next_views[0] if len(next_views) == 1 else None
    if featured is None and len(written) == 1:
        featured = written[0]
    context = {
        "strategy": strategy,
        "tab": "report",
        "views": views,
        "next_views": next_views,
        "featured": featured,
    }
    if featured is not None:
        context.update(_links_context(request, featured.gate, featured.report))
        if featured.report is not None:
            context["doc"] = reports.build_document(featured.report)
    return render(request, "portal/report_tab.html", context)
