"""The responses to a consultation, for the staff: the analysis page (counts by respondent type
and by day, agreement per priority as a chart, filters), officers tagging responses with themes,
and the download of every response as CSV."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from strategies import access as strategy_access
from strategies.views import small_int

from .. import access, responses_csv, workflow
from ..analysis import (
    BulkTagForm,
    ResponseFilterForm,
    counts_by_type,
    page_range_text,
    responses_by_day,
)
from ..models import ConsultationWindow, PriorityAnswer, Response, Theme
from .suggestions import mark_suggested


def agreement_chart(window: ConsultationWindow) -> list[dict]:
    """Per priority, the count at each of the five agreement levels (and no answer)."""
    # Counted by priority and level from the answers' own index (each keeps its window), without
    # reading the responses or the answers' rows: the titles are the text consulted on's.
    rows = (
        PriorityAnswer.objects.filter(window=window)
        .order_by()
        .values_list("priority_id", "agreement")
        .annotate(n=Count("*"))
    )
    rows = sorted(rows, key=lambda row: row[0])
    titles = {p["id"]: p["title"] for p in window.consulted_priorities}
    if missing := {row[0] for row in rows} - titles.keys():
        # Answers to a priority the text does not name (a consultation recorded without its
        # text): each answer kept the title it was given.
        titles.update(
            PriorityAnswer.objects.filter(window=window, priority_id__in=missing)
            .order_by()
            .values_list("priority_id", "priority_title")
            .distinct()
        )
    charts: dict[int, dict] = {}
    for priority_id, agreement, n in rows:
        chart = charts.setdefault(
            priority_id,
            {
                "title": titles[priority_id],
                "levels": {level: 0 for level, _ in PriorityAnswer.Agreement.choices},
                "unanswered": 0,
            },
        )
        if agreement is None:
            chart["unanswered"] += n
        else:
            chart["levels"][agreement] = n
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


def _filters(window: ConsultationWindow, data) -> ResponseFilterForm:
    priorities = window.consulted_priorities
    return ResponseFilterForm(data, window, priorities, list(window.themes.all()))


@login_required
@require_GET
def analysis(request: HttpRequest, pk: int) -> HttpResponse:
    window = access.get_window(request.user, pk)
    return _analysis_page(request, window)


def _choices(themes) -> list[tuple[int, str]]:
    return [(t.pk, t.name) for t in themes]


def _analysis_page(request, window, bulk: BulkTagForm | None = None, status: int = 200):
    """The page, also shown again by the bulk tagging with its problem or its confirmation."""
    form = _filters(window, request.GET)
    themes = form.themes
    by_type = counts_by_type(window)
    total = sum(by_type.values())
    paginator = Paginator(
        form.responses()
        .select_related("keyed_by", "imported_from")  # how each came in, in the same query
        .prefetch_related("answers", Prefetch("themes", queryset=Theme.objects.order_by("name"))),
        form.page_size(),
    )
    if not form.narrows():
        paginator.count = total  # every response: counted already, by type
    page = paginator.get_page(request.GET.get("page"))
    mark_suggested(page.object_list)  # tags a theme suggestion made, not confirmed yet
    filters = request.GET.copy()
    filters.pop("page", None)
    can_manage = access.can_manage(request.user, window.strategy)
    return render(
        request,
        "consultation/analysis.html",
        {
            "window": window,
            "strategy": window.strategy,
            "page": page,
            "form": form,
            "shown": page_range_text(page, total, form.narrows()),
            "narrowed": form.narrows(),
            "by_type": [
                (label, by_type.get(value, 0)) for value, label in Response.RespondentType.choices
            ],
            "total": total,
            # Recorded after the fact with only the number its report gives: no one by one.
            "reported_only": window.reported_only and not by_type,
            "over_time": responses_by_day(window),
            "charts": agreement_chart(window),
            "themes": themes,
            # Tagging is a move of those who run the consultation (workflow.tag_refusal).
            "can_manage": can_manage,
            "bulk": bulk or (BulkTagForm(_choices(themes)) if can_manage and themes else None),
            "personal_details": access.shows_personal_details(request.user),
            # Keying in and importing responses sent another way (workflow.keying_refusal).
            "can_key_in": can_manage and workflow.keying_state_refusal(window) is None,
            "filter_query": filters.urlencode(),
            "ticked": bulk.ticked() if bulk is not None else set(),
        },
        status=status,
    )


@login_required
@require_POST
def bulk_tag(request: HttpRequest, pk: int) -> HttpResponse:
    """Tag the responses ticked on the page, or every response the filters match (the filters
    come in the query string, as on the page), with a theme, or take it off them: first the
    page says how many would change, then the person confirms."""
    window = access.get_window(request.user, pk, manage=True)
    filters = _filters(window, request.GET)
    bulk = BulkTagForm(_choices(filters.themes), request.POST)
    if not bulk.is_valid():  # shown again with the problem beside its field
        return _analysis_page(request, window, bulk)
    theme = next(t for t in filters.themes if t.pk == bulk.cleaned_data["theme"])
    on = bulk.cleaned_data["action"] == "add"
    if bulk.cleaned_data["scope"] == "matching":
        if not filters.is_valid():  # "all that match" must mean what the page showed
            bulk.add_error("scope", "Correct the filters first: one of them has a problem.")
            return _analysis_page(request, window, bulk)
        chosen = filters.responses()
    else:
        chosen = window.responses.filter(pk__in=bulk.cleaned_data["responses"])
    if not bulk.cleaned_data["confirmed"]:
        bulk.to_change = workflow.responses_to_change(window, chosen, theme, on).count()
        bulk.chosen_count = chosen.count()
        bulk.theme_name = theme.name
        return _analysis_page(request, window, bulk)
    try:
        changed = workflow.bulk_set_tags(window, request.user, chosen, theme, on)
    except workflow.WorkflowError as refused:
        bulk.add_error(None, refused.message)
        return _analysis_page(request, window, bulk)
    done = "tagged with" if on else "no longer tagged"
    noun = "response" if changed == 1 else "responses"
    messages.success(request, f"{changed:,} {noun} {done} “{theme.name}”.")
    back = reverse("consultation:analysis", kwargs={"pk": window.pk})
    return redirect(f"{back}?{request.GET.urlencode()}#list-heading")


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
def export_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Every response, streamed row by row: memory holds one chunk of responses at a time,
    however many there are."""
    window = access.get_window(request.user, pk)
    # Who responded (an organisation's name) is personal data: only administrators export it.
    personal = strategy_access.can_export_personal_data(request.user)
    http = StreamingHttpResponse(
        responses_csv.lines(window, personal), content_type="text/csv; charset=utf-8"
    )
    http["Content-Disposition"] = f'attachment; filename="{window.slug}-responses.csv"'
    return http
