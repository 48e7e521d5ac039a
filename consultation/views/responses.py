"""The responses to a consultation, for the staff: the analysis page (counts by respondent type
and by day, agreement per priority as a chart, filters), officers tagging responses with themes,
and the download of every response as CSV."""

from __future__ import annotations

import csv
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncDate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from strategies import access as strategy_access
from strategies.page_cache import cached_page
from strategies.spreadsheets import neutralise
from strategies.views import small_int

from .. import access, workflow
from ..models import ConsultationWindow, PriorityAnswer, Response, Theme


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
            # Recorded after the fact with only the number its report gives: no one by one.
            "reported_only": window.reported_only and not by_type,
            "over_time": list(over_time),
            "charts": agreement_chart(window),
            "themes": list(window.themes.all()),
            "agreements": PriorityAnswer.Agreement.choices,
            # Tagging is a move of those who run the consultation (workflow.tag_refusal).
            "can_manage": access.can_manage(request.user, window.strategy),
            "personal_details": access.shows_personal_details(request.user),
            "filter_query": filters.urlencode(),
        },
    )


@login_required
@require_POST
def tag_response(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    window = access.get_window(request.user, pk, manage=True)
    response = get_object_or_404(Response, pk=response_pk, window=window)
    response.window = window
    wanted = {small_int(v) for v in request.POST.getlist("themes")}
    for theme in window.themes.all():
        workflow.set_tag(response, theme, theme.pk in wanted, by=request.user)
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
