"""A strategy's progress reports to the Board: the list (reached from the Delivery tab), the
start form, each report's page (read by all who read the strategy; written by its planners
until it is sent), taking it to a meeting, sending it (which freezes it) and its print view.
The Word file and the PDF are the portal's (portal/reports/progress_views.py), where the
committee reports' Word and PDF building lives. The rules are delivery/reports.py's."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.models import Decision
from governance.views.common import add_refusal
from governance.workflow import WorkflowError
from strategies import access
from strategies.models import Priority, Strategy

from .. import reports
from ..models import ProgressReport
from ..report_document import build_document
from ..report_forms import MeetingForm, ReportForm, StartForm


def get_report(user, slug: str, pk: int) -> ProgressReport:
    """Report `pk` of the strategy at `slug`, if `user` may read the strategy (404 otherwise)."""
    strategy = access.get_visible_strategy(user, slug)
    report = get_object_or_404(
        ProgressReport.objects.select_related("gate__body", "gate__meeting", "prepared_by"),
        strategy=strategy,
        pk=pk,
    )
    report.strategy = strategy
    return report


def _may(refusal: str | None) -> None:
    if refusal:
        raise PermissionDenied(refusal)


def decision_of(report: ProgressReport) -> Decision | None:
    """The newest decision recorded on the report's gate (a correction is newer than what it
    corrects), or None."""
    if report.gate_id is None:
        return None
    return (
        Decision.objects.filter(gate_id=report.gate_id)
        .select_related("meeting")
        .order_by("-pk")
        .first()
    )


@login_required
@require_GET
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = access.get_visible_strategy(request.user, slug)
    return render(
        request,
        "delivery/progress_reports.html",
        {
            "strategy": strategy,
            "tab": "delivery",
            "reports": list(reports.reports_of(strategy)),
            "start_refusal": reports.start_refusal(request.user, strategy),
            "is_writer": reports.writer_refusal(request.user, strategy) is None,
        },
    )


def _default_title(strategy: Strategy) -> str:
    return f"{strategy.title}: progress report"[:300]


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = access.get_visible_strategy(request.user, slug)
    _may(reports.start_refusal(request.user, strategy))
    last = reports.reports_of(strategy).filter(sent_at__isnull=False).first()
    initial = {"title": _default_title(strategy), "covers_to": timezone.localdate()}
    if last is not None:
        initial["covers_from"] = last.covers_to + datetime.timedelta(days=1)
    form = StartForm(request.POST or None, strategy=strategy, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a report and its gate, or neither
                report = reports.start_report(
                    strategy, request.user, data["title"], data["covers_from"], data["covers_to"]
                )
                if data.get("body"):
                    reports.take_to_meeting(report, data["body"], request.user, data["purpose"])
        except WorkflowError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Progress report started: write its sections below.")
            return redirect("delivery:progress-report", slug=strategy.slug, pk=report.pk)
    return render(
        request,
        "delivery/progress_report_start.html",
        {"strategy": strategy, "tab": "delivery", "form": form},
        status=400 if form.errors else 200,
    )


def _priorities(strategy: Strategy) -> list[Priority]:
    return list(Priority.objects.filter(strategy=strategy).order_by("position", "pk"))


def _page(request, report: ProgressReport, form=None, meeting_form=None, status=200):
    user = request.user
    edit_refusal = reports.edit_refusal(user, report)
    if edit_refusal is None and form is None:
        form = ReportForm(
            instance=report,
            priorities=_priorities(report.strategy),
            label=report.strategy.top_level_label,
        )
    if meeting_form is None and reports.meeting_refusal(user, report) is None:
        meeting_form = MeetingForm(strategy=report.strategy)
    is_writer = reports.writer_refusal(user, report.strategy) is None
    return render(
        request,
        "delivery/progress_report.html",
        {
            "strategy": report.strategy,
            "tab": "delivery",
            "report": report,
            "doc": build_document(report),
            "decision": decision_of(report),
            "form": form if edit_refusal is None else None,
            "meeting_form": meeting_form,
            "can_send": reports.send_refusal(user, report) is None,
            # Said to those who write the reports, not to readers, who are simply shown it.
            "edit_refusal": edit_refusal if is_writer else None,
            "pdf_url": _pdf_url(report),
        },
        status=status,
    )


def _pdf_url(report: ProgressReport) -> str:
    from django.urls import NoReverseMatch, reverse

    try:  # the portal's; a delivery without the portal has no files
        return reverse(
            "progress-report-pdf", kwargs={"slug": report.strategy.slug, "pk": report.pk}
        )
    except NoReverseMatch:
        return ""


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The report; a POST saves its sections (its planners, until it is sent)."""
    report = get_report(request.user, slug, pk)
    if request.method != "POST":
        return _page(request, report)
    _may(reports.edit_refusal(request.user, report))
    with transaction.atomic():  # the version check and the save together
        form = ReportForm(
            request.POST,
            instance=report,
            priorities=_priorities(report.strategy),
            label=report.strategy.top_level_label,
        )
        if form.is_valid():
            try:
                reports.save_report(form.save(commit=False), request.user,
                                    form.cleaned_data.get("reason", ""))  # fmt: skip
            except WorkflowError as refusal:
                add_refusal(form, refusal)
            else:
                messages.success(request, "Progress report saved.")
                return redirect("delivery:progress-report", slug=slug, pk=pk)
    report.refresh_from_db()  # the page shows what is saved, the form what was typed
    return _page(request, report, form=form, status=400)


@login_required
@require_POST
def take_to_meeting(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    report = get_report(request.user, slug, pk)
    _may(reports.meeting_refusal(request.user, report))
    form = MeetingForm(request.POST, strategy=report.strategy)
    if form.is_valid():
        try:
            gate = reports.take_to_meeting(
                report, form.cleaned_data["body"], request.user, form.cleaned_data["purpose"]
            )
        except WorkflowError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                f"On the route: the {gate.body} ({gate.get_purpose_display().lower()}). A "
                f"secretary of the {gate.body} puts it on a meeting.",
            )
            return redirect("delivery:progress-report", slug=slug, pk=pk)
    return _page(request, report, meeting_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def send(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    report = get_report(request.user, slug, pk)
    _may(reports.send_refusal(request.user, report))
    if request.method == "POST":
        try:
            reports.send_report(report, request.user)
        except WorkflowError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, "Progress report sent: it now stays as it was sent.")
        return redirect("delivery:progress-report", slug=slug, pk=pk)
    return render(
        request,
        "delivery/progress_report_send.html",
        {"strategy": report.strategy, "tab": "delivery", "report": report,
         "problems": reports.period_problems(report.strategy, report.covers_from,
                                             report.covers_to, report.pk)},
    )  # fmt: skip


def print_context(report: ProgressReport, for_pdf: bool = False) -> dict:
    """What the print view shows; the portal's PDF renders the same without its links."""
    return {
        "strategy": report.strategy,
        "report": report,
        "doc": build_document(report),
        "for_pdf": for_pdf,
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def print_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    report = get_report(request.user, slug, pk)
    return render(request, "delivery/progress_report_print.html", print_context(report))
