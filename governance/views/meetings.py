"""Secretaries' meetings: the list of their bodies' meetings, a new meeting, and a meeting's
page, where strategies are put on the agenda, the agenda's publication is recorded and the
meeting is marked held or cancelled."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strategies import access as strategy_access

from .. import access, workflow
from ..deadlines import agenda_deadline, agenda_overdue
from ..forms import MeetingForm, PublishAgendaForm, ScheduleForm
from ..models import Decision, Gate, Meeting
from ..record_forms import AgendaReferencesForm, show_problem
from ..workflow import WorkflowError
from ..workflow.reports import meeting_mismatch
from .common import add_refusal, refused

AGENDA_PREVIEW = 8
HELD, CANCELLED = Meeting.Status.HELD, Meeting.Status.CANCELLED


@login_required
@require_GET
def my_meetings(request: HttpRequest) -> HttpResponse:
    # Each row lists the first few strategies on the agenda and counts the rest (the meeting's
    # page has them all), so a crowded agenda does not slow the list. The three lists are
    # loaded first and their agendas then in one query for them all.
    # Each meeting's gates counted in a subquery of its own rather than by joining every gate
    # of every meeting and grouping: only the rows shown are counted, each from the index.
    meetings = access.visible_meetings(request.user).with_gate_count()
    now = timezone.now()
    earlier = meetings.filter(starts_at__lt=now).order_by("-starts_at")
    upcoming = list(meetings.filter(starts_at__gte=now).order_by("starts_at")[:50])
    to_record = list(earlier.filter(status=Meeting.Status.SCHEDULED)[:50])
    past = list(earlier.exclude(status=Meeting.Status.SCHEDULED)[:50])
    prefetch_related_objects(
        upcoming + to_record + past,
        Prefetch(
            "gates",
            # Only what a row shows: every gate of a crowded meeting is read and numbered
            # before the first few are kept, so the narrower its row the sooner that is done.
            queryset=Gate.objects.select_related("strategy")
            .only("meeting_id", "position", "purpose", "state", "strategy__title")
            .order_by("position", "pk")[:AGENDA_PREVIEW],
            to_attr="agenda_preview",
        ),
    )
    today = timezone.localdate()
    for meeting in upcoming:
        meeting.agenda = agenda_deadline(meeting)
        meeting.agenda_overdue = agenda_overdue(meeting, meeting.agenda, today)
    placing = _gate_to_place(request)
    if placing is not None:  # sent from the dashboard's "Put on a meeting"
        choices = Meeting.objects.filter(body=placing.body_id).exclude(
            status=Meeting.Status.CANCELLED
        )
        choices = choices.exclude(pk=placing.meeting_id)
        placing.choices = list(
            choices.filter(starts_at__gte=now).order_by("starts_at")[:PLACING_CHOICES]
        )
        # Meetings already held, most recent first: for a route whose past is being entered.
        placing.held = list(
            choices.filter(starts_at__lt=now).order_by("-starts_at")[:PLACING_CHOICES]
        )
    return render(
        request,
        "governance/meetings.html",
        {
            "placing": placing,
            "upcoming": upcoming,
            "to_record": to_record,
            "past": past,
            "can_create": access.keeps_meetings(request.user),
            "minus_preview": -AGENDA_PREVIEW,
        },
    )


# Upcoming meetings offered for a gate being put on a meeting.
PLACING_CHOICES = 10


def _gate_to_place(request: HttpRequest) -> Gate | None:
    """The gate named by `?gate=` if the user may put it on a meeting (access.gates_to_place);
    anything else (not a number, another body's gate, a closed gate) is ignored."""
    try:
        pk = int(request.GET.get("gate", ""))
    except ValueError:
        return None
    gates = access.gates_to_place(request.user).select_related("strategy", "body", "meeting")
    return gates.filter(pk=pk).first()


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    access.require_secretary_role(request.user)
    bodies = access.bodies_served(request.user)
    placing = _gate_to_place(request)
    initial = {"body": placing.body_id} if placing else {}
    form = MeetingForm(request.POST or None, bodies=bodies, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting._change_reason = "Meeting created"
        if _saved_once_per_moment(form, meeting):
            messages.success(request, f"Meeting of the {meeting.body} {meeting.on_or_in} created.")
            if placing is not None and placing.body_id == meeting.body_id:
                return redirect(f"{meeting.get_absolute_url()}?{urlencode({'gate': placing.pk})}")
            return redirect(meeting)
    return render(request, "governance/meeting_form.html", {"form": form})


def _saved_edit(request: HttpRequest, form: MeetingForm) -> bool:
    """Save the meeting's changed fields with the reason (or say that nothing changed)."""
    changed = [n for n in form.changed_data if n != "reason"]
    if not changed:
        messages.info(request, "Nothing was changed, so nothing was saved.")
        return True
    meeting = form.save(commit=False)
    default = "Minutes recorded" if changed == ["minutes"] else "Meeting changed"
    meeting._change_reason = form.cleaned_data["reason"] or default
    if "starts_at" in changed:  # the time box says whether the time is recorded
        changed.append("time_known")
    if _saved_once_per_moment(form, meeting, update_fields=changed):
        messages.success(request, f"Meeting of the {meeting.body} {meeting.on_or_in} saved.")
        return True
    return False


def _saved_once_per_moment(form: MeetingForm, meeting: Meeting, **save) -> bool:
    """Save the meeting, unless another of its body has just been given the same moment (the
    form checked, but a second request may have got there first): then say so beside the date,
    as the form would have, and save nothing."""
    try:
        with transaction.atomic():
            meeting.save(**save)
    except IntegrityError:
        problems = workflow.meeting_problems(meeting)
        if not problems:
            raise
        for problem in problems:
            show_problem(form, problem)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting(request.user, pk)
    # The body's secretaries once, for every check the page asks (is_secretary_of reads them).
    prefetch_related_objects([meeting.body], "secretary_links")
    can_manage = workflow.is_secretary_of(request.user, meeting.body)
    placing = _gate_to_place(request)  # chosen on My meetings: preselected, to confirm
    schedule_form = ScheduleForm(meeting=meeting, initial={"gate": placing} if placing else None)
    # Today for a meeting still to come; for one already held no day is guessed (its agenda was
    # published before it, on a day its records give).
    today = timezone.localdate()
    publish_form = PublishAgendaForm(
        initial={"published_on": today} if meeting.local_day >= today else None
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Only the body's secretaries manage its meetings.")
        if "gate" in request.POST:
            schedule_form = ScheduleForm(request.POST, meeting=meeting)
            if schedule_form.is_valid():
                data = schedule_form.cleaned_data
                try:
                    gate = workflow.schedule_gate(
                        data["gate"],
                        meeting,
                        request.user,
                        report_number=data["report_number"],
                        agenda_item=data["agenda_item"],
                    )
                except WorkflowError as refusal:
                    refused(request, refusal)
                else:
                    messages.success(request, f"{gate.strategy.title} is on the agenda.")
                    if waiting := gate.waiting_for:
                        messages.warning(request, waiting_message(gate, waiting))
                    return redirect(meeting)
        elif refusal := workflow.publish_agenda_refusal(request.user, meeting):
            # Asked before the form: once the agenda is published, the form is gone.
            messages.error(request, refusal)
            if meeting.agenda_published_on:
                return redirect(meeting)  # there is no form to show again
        else:
            publish_form = PublishAgendaForm(request.POST)
            if publish_form.is_valid():
                try:
                    revisions = workflow.publish_agenda(
                        meeting, publish_form.cleaned_data["published_on"], request.user
                    )
                except WorkflowError as refusal:
                    refused(request, refusal)
                else:
                    messages.success(
                        request,
                        f"Agenda published. Strategies frozen as sent in the papers: "
                        f"{len(revisions)}.",
                    )
                    return redirect(meeting)
    gates = list(
        meeting.gates.select_related("strategy", "papers_revision", "body", "report")
        .prefetch_related("body__secretary_links")  # for each gate's check, in one query
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.filter(meeting=meeting)))
        .with_waits_for()
        .order_by("strategy__title")
    )
    gates.sort(key=agenda_order)
    for gate in gates:
        gate.can_record = workflow.record_decision_refusal(request.user, gate) is None
        gate.not_yet = workflow.decision_day_refusal(gate, today)
        report = getattr(gate, "report", None)  # before publishing: does it name this meeting?
        gate.report_mismatch = meeting_mismatch(report) if report else None
    agenda = agenda_deadline(meeting)
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "agenda_overdue": agenda_overdue(meeting, agenda, today),
            "gates": gates,
            # Brought in from Modern.gov (governance/moderngov/), with the gate each considers.
            "agenda_items": meeting.agenda_items.select_related("gate__strategy"),
            "can_add_to_agenda": workflow.add_to_agenda_refusal(request.user, meeting) is None,
            "publish_refusal": workflow.publish_agenda_refusal(request.user, meeting),
            "can_edit": can_manage,
            "can_mark_held": workflow.mark_meeting_refusal(request.user, meeting, HELD) is None,
            "can_cancel": workflow.mark_meeting_refusal(request.user, meeting, CANCELLED) is None,
            "schedule_form": schedule_form,
            "publish_form": publish_form,
        },
    )


@login_required
@require_POST
def mark_meeting(request: HttpRequest, pk: int, status: str) -> HttpResponse:
    """The meeting's page's buttons: *Mark as held* (once it has begun) and *Mark as
    cancelled*, for its body's secretaries (and administrators); a refusal comes back above the
    page."""
    meeting = access.get_meeting(request.user, pk)
    if refusal := workflow.edit_meeting_refusal(request.user, meeting):
        raise PermissionDenied(refusal)
    try:
        withdrawn = workflow.mark_meeting(meeting, status, request.user)
    except WorkflowError as refusal:
        refused(request, refusal)
        return redirect(meeting)
    meeting.status = status
    messages.success(request, f"The meeting is marked {meeting.get_status_display().lower()}.")
    undecided = meeting.gates.filter(state=Gate.State.SCHEDULED).count()
    if status == HELD and undecided:
        messages.info(request, f"Decisions still to record here: {undecided}.")
    if withdrawn:
        titles = ", ".join(gate.strategy.title for gate in withdrawn)
        messages.warning(
            request,
            f"Papers withdrawn, as the meeting will not decide on them: {titles}. Each stays on "
            f"this agenda until it is put on another meeting of the {meeting.body}.",
        )
    return redirect(meeting)


def agenda_order(gate: Gate) -> tuple:
    """A gate's place on the agenda, for sorting: items in their numbers' order ("2", "7",
    "7b", "10"), those without a number after them."""
    parts = re.findall(r"\d+|\D+", gate.agenda_item.lower())
    return (not parts, [(0, int(p), "") if p.isdecimal() else (1, 0, p) for p in parts])


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's details and, once it is held, its minutes; what has become part of the record
    (its body and time once anything is on its agenda) is not offered."""
    meeting = access.get_meeting(request.user, pk)
    if refusal := workflow.edit_meeting_refusal(request.user, meeting):
        raise PermissionDenied(refusal)
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        bodies=access.bodies_served(request.user),
        fixed=workflow.meeting_fields_fixed(meeting),
    )
    if request.method == "POST":
        with transaction.atomic():  # the row stays locked from the check of what was read
            if form.is_valid() and _saved_edit(request, form):
                return redirect(form.instance)
    return render(request, "governance/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
@require_http_methods(["GET", "POST"])
def agenda_references(request: HttpRequest, pk: int) -> HttpResponse:
    """A gate's place on its meeting's agenda: the report number and agenda item, kept by the
    body's secretaries (and administrators), each change in the gate's history."""
    access.require_secretary_role(request.user)
    gate = get_object_or_404(
        Gate.objects.select_related("strategy", "body", "meeting__body"), pk=pk
    )
    # A gate of a strategy this person cannot read does not exist for them.
    strategy_access.get_visible_strategy(request.user, gate.strategy.slug)
    if refusal := workflow.secretary_refusal(request.user, gate.body):
        raise PermissionDenied(refusal)
    if refusal := workflow.agenda_references_refusal(request.user, gate):
        messages.error(request, refusal)
        return redirect("governance:route", slug=gate.strategy.slug)
    initial = {"report_number": gate.report_number, "agenda_item": gate.agenda_item}
    form = AgendaReferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = workflow.set_agenda_references(
                gate, request.user, data["report_number"], data["agenda_item"], data["comment"]
            )
        except WorkflowError as refusal:
            add_refusal(form, refusal)
        else:
            if saved:
                messages.success(request, f"Agenda references of {gate.strategy.title} saved.")
            else:
                messages.info(request, "Nothing was changed, so nothing was saved.")
            return redirect(gate.meeting)
    return render(request, "governance/agenda_form.html", {"gate": gate, "form": form})


def waiting_message(gate: Gate, waiting: list[Gate]) -> str:
    """Said when a gate is put on a meeting before the gates it waits for have passed."""
    gates = "that gate has" if len(waiting) == 1 else "those gates have"
    return (
        f"{gate.strategy.title} waits for {workflow.name_gates(waiting)}, not yet passed. Until "
        f"{gates}, the only decision that can be recorded here is a deferral."
    )
