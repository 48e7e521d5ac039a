"""Consultation pages: public (no account) and staff. Moves go through consultation.workflow."""

from __future__ import annotations

import csv
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.workflow import WorkflowError
from strategies import access as strategy_access
from strategies.page_cache import cached_page
from strategies.spreadsheets import neutralise
from strategies.views import small_int

from . import access, rate_limit, workflow
from .forms import (
    CloseWindowForm,
    EventForm,
    PartnerForm,
    PublicResponseForm,
    ThemeForm,
    WindowForm,
    YouSaidWeDidForm,
)
from .models import ConsultationWindow, Event, PriorityAnswer, Response, Theme, YouSaidWeDid

# Public pages -------------------------------------------------------------------------------


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    windows = ConsultationWindow.objects.public().select_related(
        "strategy", "strategy__lead_organisation"
    )
    return render(request, "consultation/public_list.html", {"windows": windows})


def _public_window(slug: str) -> ConsultationWindow:
    window = get_object_or_404(
        ConsultationWindow.objects.select_related("strategy__lead_organisation", "revision"),
        slug=slug,
    )
    if window.state == ConsultationWindow.State.PLANNED:
        raise Http404("This consultation has not opened.")
    return window


@require_http_methods(["GET", "POST"])
def public_window(request: HttpRequest, slug: str) -> HttpResponse:
    window = _public_window(slug)
    priorities = window.revision.content["priorities"] if window.revision else []
    open_now = window.accepts_responses()
    form = PublicResponseForm(priorities=priorities)
    if request.method == "POST":
        if not open_now:
            return render(
                request,
                "consultation/public_refused.html",
                {"window": window, "reason": "closed"},
                status=410,
            )
        form = PublicResponseForm(request.POST, priorities=priorities)
        if form.is_spam or rate_limit.over_limit(request, window):
            return render(
                request,
                "consultation/public_refused.html",
                {"window": window, "reason": "limit"},
                status=429,
            )
        if form.is_valid():
            try:
                response = workflow.submit_response(
                    window,
                    form.cleaned_data["respondent_type"],
                    form.answers(),
                    form.cleaned_data["general_comments"],
                    form.cleaned_data["organisation_name"],
                )
            except WorkflowError as refusal:
                form.add_error(None, refusal.message)
            else:
                rate_limit.count_response(request, window)
                request.session[f"consult-ref-{window.pk}"] = response.reference
                return redirect("consultation:thanks", slug=window.slug)
    return render(
        request,
        "consultation/public_window.html",
        {
            "window": window,
            "form": form,
            "open_now": open_now,
            "events": window.events.select_related("host_body", "host_organisation"),
            "priorities": priorities,
        },
    )


@require_GET
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    window = _public_window(slug)
    reference = request.session.get(f"consult-ref-{window.pk}")
    if not reference:
        return redirect("consultation:public", slug=window.slug)
    return render(
        request, "consultation/public_thanks.html", {"window": window, "reference": reference}
    )


@require_GET
def public_response(request: HttpRequest, slug: str) -> HttpResponse:
    window = _public_window(slug)
    if window.state != ConsultationWindow.State.RESPONSE_PUBLISHED:
        raise Http404("The response to this consultation has not been published yet.")
    entries = window.you_said_we_did.select_related("theme", "revision")
    return render(
        request, "consultation/public_response.html", {"window": window, "entries": entries}
    )


# Staff pages ----------------------------------------------------------------------------------


@login_required
@require_GET
def strategy_consultations(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = strategy_access.get_visible_strategy(request.user, slug)
    if not access.can_read(request.user, strategy):
        raise PermissionDenied("Consultations are run by officers and read by managers.")
    return render(
        request,
        "consultation/strategy_tab.html",
        {
            "strategy": strategy,
            "tab": "consultation",
            "windows": strategy.consultations.annotate(response_count=Count("responses")),
            "can_manage": access.can_manage(request.user, strategy),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def window_edit(
    request: HttpRequest, slug: str | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is None:
        strategy = strategy_access.get_visible_strategy(request.user, slug)
        if not access.can_manage(request.user, strategy):
            raise PermissionDenied("Only officers of the lead organisation run its consultations.")
        window = ConsultationWindow(strategy=strategy)
    else:
        window = access.get_window(request.user, pk, manage=True)
        strategy = window.strategy
    if request.method == "POST":
        with transaction.atomic():
            form = WindowForm(request.POST, instance=window, strategy=strategy)
            if form.is_valid():
                window = form.save(commit=False)
                window._change_reason = form.cleaned_data.get("reason", "") or (
                    "Consultation planned" if window.pk is None else "Consultation changed"
                )
                window.save()
                messages.success(request, f"“{window.title}” saved.")
                return redirect(window)
    else:
        form = WindowForm(instance=window, strategy=strategy)
    return render(
        request,
        "consultation/window_form.html",
        {"form": form, "strategy": strategy, "window": window},
    )


@login_required
@require_GET
def window_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        window = access.get_window(request.user, pk)
    except PermissionDenied:
        # Staff who may see the strategy but not its responses (secretaries, from the route or
        # the timeline) are taken to what the public sees, once the consultation has opened.
        public = ConsultationWindow.objects.exclude(state=ConsultationWindow.State.PLANNED)
        window = public.filter(pk=pk).first()
        if window is None:
            raise
        messages.info(
            request,
            "Consultations are run by officers and their responses read by officers and "
            "managers: this is the consultation's public page.",
        )
        return redirect("consultation:public", slug=window.slug)
    return _window_page(request, window)


def _window_page(request: HttpRequest, window: ConsultationWindow, **sent) -> HttpResponse:
    """The consultation's staff page; `sent` holds a form sent back with its errors (by the
    name it has on the page), shown open with what was typed."""
    manage = access.can_manage(request.user, window.strategy)
    forms = {
        "event_form": EventForm(strategy=window.strategy, window=window) if manage else None,
        "partner_form": PartnerForm() if manage else None,
        "theme_form": ThemeForm() if manage else None,
        **sent,
    }
    return render(
        request,
        "consultation/window_detail.html",
        {
            "window": window,
            "strategy": window.strategy,
            "can_manage": manage,
            "events": window.events.select_related("host_body", "host_organisation"),
            "partners": window.partner_links.select_related("organisation"),
            "themes": window.themes.annotate(response_count=Count("response_links")),
            "entries": window.you_said_we_did.select_related("theme", "revision"),
            "response_count": window.responses.count(),
            **forms,
        },
    )


@login_required
@require_POST
def window_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    window = access.get_window(request.user, pk, manage=True)
    try:
        if move == "open":
            workflow.open_window(window, request.user)
            messages.success(request, "The consultation is open; the text consulted on is fixed.")
        else:
            workflow.publish_response(window, request.user)
            messages.success(request, "“You said, we did” is published.")
    except WorkflowError as refusal:
        messages.error(request, refusal.message)
    return redirect(window)


@login_required
@require_http_methods(["GET", "POST"])
def close_window(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an open consultation by hand: a page that says what closing now means (how long it
    will have run against the policy's minimum), with the reason to record."""
    window = access.get_window(request.user, pk, manage=True)
    try:
        workflow.require_closable(window)
    except WorkflowError as refusal:
        messages.error(request, refusal.message)
        return redirect(window)
    form = CloseWindowForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            window = workflow.close_window(window, request.user, form.cleaned_data["reason"])
            messages.success(request, window.result)
            return redirect(window)
        except WorkflowError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
    return render(
        request,
        "consultation/close_form.html",
        {
            "window": window,
            "form": form,
            "length": workflow.length_if_closed_today(window),
            "short": workflow.short_if_closed_today(window) is not None,
            "response_count": window.responses.count(),
        },
    )


def _add_child(request, pk, form_class, label, **form_kwargs):
    """Add an event, partner or theme from its form on the consultation's page; a form with
    problems comes back on that page, open, with what was typed and each error by its field."""
    window = access.get_window(request.user, pk, manage=True)
    form = form_class(
        request.POST, **{k: (v(window) if callable(v) else v) for k, v in form_kwargs.items()}
    )
    if form.is_valid():
        child = form.save(commit=False)
        child.window = window
        try:
            with transaction.atomic():
                child.save()
            messages.success(request, f"{label} added.")
            return redirect(window)
        except IntegrityError:  # a duplicate that validation could not see: say so
            form.add_error(None, f"That {label.lower()} is already there.")
    return _window_page(request, window, **{f"{label.lower()}_form": form})


@login_required
@require_POST
def add_event(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_child(
        request, pk, EventForm, "Event", strategy=lambda w: w.strategy, window=lambda w: w
    )


@login_required
@require_POST
def add_partner(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_child(request, pk, PartnerForm, "Partner")


@login_required
@require_POST
def add_theme(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_child(request, pk, ThemeForm, "Theme", window=lambda w: w)


@login_required
@require_http_methods(["GET", "POST"])
def edit_event(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    window = access.get_window(request.user, pk, manage=True)
    event = get_object_or_404(Event, pk=event_pk, window=window)
    form = EventForm(request.POST or None, instance=event, strategy=window.strategy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Event saved.")
        return redirect(window)
    return render(request, "consultation/event_form.html", {"form": form, "window": window})


@login_required
@require_http_methods(["GET", "POST"])
def edit_entry(request: HttpRequest, pk: int, entry_pk: int | None = None) -> HttpResponse:
    window = access.get_window(request.user, pk, manage=True)
    try:
        workflow.require_entries_open(window)
    except WorkflowError as refusal:
        raise PermissionDenied(refusal.message) from None
    entry = (
        get_object_or_404(YouSaidWeDid, pk=entry_pk, window=window)
        if entry_pk
        else YouSaidWeDid(window=window)
    )
    if request.method == "POST":
        with transaction.atomic():
            form = YouSaidWeDidForm(request.POST, instance=entry, window=window)
            if form.is_valid():
                form.save()
                messages.success(request, "“You said, we did” entry saved.")
                return redirect(window)
    else:
        form = YouSaidWeDidForm(instance=entry, window=window)
    return render(request, "consultation/entry_form.html", {"form": form, "window": window})


# Analysis -------------------------------------------------------------------------------------


def agreement_chart(window: ConsultationWindow) -> list[dict]:
    """Per priority, the count at each of the five agreement levels (and no answer)."""
    rows = (
        PriorityAnswer.objects.filter(response__window=window)
        .values("priority_id", "priority_title", "agreement")
        .annotate(n=Count("pk"))
        .order_by("priority_id")
    )
    charts: dict[int, dict] = {}
    for row in rows:
        chart = charts.setdefault(
            row["priority_id"],
            {
                "title": row["priority_title"],
                "levels": {level: 0 for level, _ in PriorityAnswer.Agreement.choices},
                "unanswered": 0,
            },
        )
        if row["agreement"] is None:
            chart["unanswered"] += row["n"]
        else:
            chart["levels"][row["agreement"]] = row["n"]
    labels = dict(PriorityAnswer.Agreement.choices)
    result = []
    for pid, chart in charts.items():
        biggest = max([*chart["levels"].values(), 1])
        bars = [
            {
                "level": level,
                "label": labels[level],
                "count": count,
                "width": round(300 * count / biggest),
                "y": 6 + 28 * (level - 1),
            }
            for level, count in chart["levels"].items()
        ]
        result.append(
            {
                "id": pid,
                "title": chart["title"],
                "bars": bars,
                "unanswered": chart["unanswered"],
                "answered": sum(chart["levels"].values()),
            }
        )
    return result


def _filtered_responses(window, request):
    responses = window.responses.all()
    priority = small_int(request.GET.get("priority", ""))
    agreement = small_int(request.GET.get("agreement", ""))
    theme = small_int(request.GET.get("theme", ""))
    if priority is not None and agreement is not None:
        responses = responses.filter(answers__priority_id=priority, answers__agreement=agreement)
    elif priority is not None:
        answered = PriorityAnswer.objects.filter(priority_id=priority).filter(
            Q(agreement__isnull=False) | ~Q(comment="")
        )
        responses = responses.filter(pk__in=answered.values("response_id"))
    elif agreement is not None:
        responses = responses.filter(answers__agreement=agreement)
    if theme is not None:
        responses = responses.filter(theme_links__theme_id=theme)
    return responses.distinct(), {"priority": priority, "agreement": agreement, "theme": theme}


@login_required
@require_GET
@cached_page
def analysis(request: HttpRequest, pk: int) -> HttpResponse:
    window = access.get_window(request.user, pk)
    responses, chosen = _filtered_responses(window, request)
    page = Paginator(
        responses.prefetch_related(
            "answers", Prefetch("themes", queryset=Theme.objects.order_by("name"))
        ),
        25,
    ).get_page(request.GET.get("page"))
    by_type = dict(window.responses.values_list("respondent_type").annotate(n=Count("pk")))
    over_time = (
        window.responses.annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "consultation/analysis.html",
        {
            "window": window,
            "strategy": window.strategy,
            "page": page,
            "chosen": chosen,
            "by_type": [
                (label, by_type.get(value, 0)) for value, label in Response.RespondentType.choices
            ],
            "total": sum(by_type.values()),
            "over_time": list(over_time),
            "charts": agreement_chart(window),
            "themes": list(window.themes.all()),
            "agreements": PriorityAnswer.Agreement.choices,
            "can_manage": access.can_manage(request.user, window.strategy),
            "filter_query": filters.urlencode(),
        },
    )


@login_required
@require_POST
def tag_response(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    window = access.get_window(request.user, pk, manage=True)
    response = get_object_or_404(Response, pk=response_pk, window=window)
    wanted = {small_int(v) for v in request.POST.getlist("themes")}
    for theme in window.themes.all():
        workflow.set_tag(response, theme, theme.pk in wanted)
    if request.headers.get("HX-Request"):
        response = Response.objects.prefetch_related("themes").get(pk=response.pk)
        return render(
            request,
            "consultation/_tags.html",
            {
                "response": response,
                "window": window,
                "themes": window.themes.all(),
                "can_manage": True,
                "saved": True,
            },
        )
    messages.success(request, f"Themes of {response.reference} saved.")
    return redirect(
        f"{reverse('consultation:analysis', kwargs={'pk': window.pk})}#response-{response.pk}"
    )


@login_required
@require_GET
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    window = access.get_window(request.user, pk)
    priorities = window.revision.content["priorities"] if window.revision else []
    http = HttpResponse(content_type="text/csv; charset=utf-8")
    http["Content-Disposition"] = f'attachment; filename="{window.slug}-responses.csv"'
    writer = csv.writer(http)
    # Who responded (an organisation's name) is personal data: only administrators export it.
    personal = strategy_access.can_export_personal_data(request.user)
    header = ["reference", "submitted_at", "respondent_type", "organisation_name", "themes"]
    if not personal:
        header.remove("organisation_name")
    for p in priorities:
        header += [f"agreement: {p['title']}", f"comment: {p['title']}"]
    writer.writerow([neutralise(h) for h in header + ["general_comments", "demo"]])
    responses = window.responses.prefetch_related("answers", "themes").order_by("submitted_at")
    for r in responses.iterator(chunk_size=500):
        answers = defaultdict(lambda: None, {a.priority_id: a for a in r.answers.all()})
        row = [
            r.reference,
            r.submitted_at.isoformat(),
            r.get_respondent_type_display(),
            *([r.organisation_name] if personal else []),
            "; ".join(t.name for t in r.themes.all()),
        ]
        for p in priorities:
            a = answers[p["id"]]
            row += [a.get_agreement_display() if a and a.agreement else "", a.comment if a else ""]
        row += [r.general_comments, "yes" if r.is_demo else ""]
        writer.writerow([neutralise(v) for v in row])
    return http
