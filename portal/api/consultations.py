"""`/api/v1/consultations`: the consultation windows of the strategies a person may read, with
their results as counts only, for those who read the responses (consultation.access): how many
responded as what, and how many answered each level of agreement on each priority. Never a
respondent's words, name, organisation, reference or the moment they sent it: the counts are
read from the responses' type and the answers' agreement and nothing else."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from consultation import access as consultation_access
from consultation.models import ConsultationWindow, PriorityAnswer, Response
from strategies import access

from .common import SLUG
from .paging import Page, Paging, page_of
from .schemas import ConsultationOut, answers

router = Router(tags=["Consultations"])

TYPES = dict(Response.RespondentType.choices)
LEVELS = [(level, str(label)) for level, label in PriorityAnswer.Agreement.choices]
LEVELS.append((None, "No answer"))


class ConsultationFilters(Schema):
    organisation: str | None = Field(
        None, pattern=SLUG, description="Of the strategies this organisation leads or partners."
    )
    strategy: str | None = Field(None, pattern=SLUG, description="A strategy's slug.")
    state: ConsultationWindow.State | None = None


@router.get("/consultations", response=answers(Page[ConsultationOut]), url_name="consultations")
def list_consultations(
    request: HttpRequest, filters: Query[ConsultationFilters], paging: Query[Paging]
) -> dict:
    """Consultation windows of the strategies you may read, newest first, with their results
    (counts only) where you read their responses in Waymark."""
    user = request.auth.user
    strategies = access.visible_strategies(user)
    if filters.organisation:
        strategies = strategies.involving(organisation__slug=filters.organisation)
    windows = (
        ConsultationWindow.objects.filter(strategy__in=strategies)
        .select_related("strategy")
        .annotate(
            readable=Exists(
                consultation_access.readable_strategies(user).filter(pk=OuterRef("strategy_id"))
            )
        )
    )
    if filters.strategy:
        windows = windows.filter(strategy__slug=filters.strategy)
    if filters.state:
        windows = windows.filter(state=filters.state)
    rows, page = page_of(request, windows.order_by("-opens_on", "title", "pk"), paging)
    results = results_of([w.pk for w in rows if w.readable])
    return {**page, "results": [_window(w, results.get(w.pk)) for w in rows]}


def _window(window: ConsultationWindow, results: dict | None) -> dict:
    return {
        "id": window.pk,
        "slug": window.slug,
        "title": window.title,
        "strategy": window.strategy.slug,
        "state": window.state,
        "state_label": window.get_state_display(),
        "opens_on": window.opens_on,
        "closes_on": window.closes_on,
        "date_precision": window.date_precision,
        "recorded_later": window.recorded_later,
        "reported_responses": window.reported_responses,
        "response_published_on": window.response_published_on,
        "results": results,
    }


def results_of(window_ids: list[int]) -> dict[int, dict]:
    """Each window's counts, for all of them in two queries (none without windows)."""
    if not window_ids:
        return {}
    by_type: dict[int, dict[str, int]] = defaultdict(dict)
    for window_id, kind, n in (
        Response.objects.filter(window_id__in=window_ids)
        .order_by()
        .values_list("window_id", "respondent_type")
        .annotate(n=Count("*"))
    ):
        by_type[window_id][kind] = n
    # Counted from the answers' own index; each answer keeps the title the text it answered gave.
    agreement: dict[int, dict[int, dict]] = defaultdict(dict)
    for window_id, priority_id, title, level, n in (
        PriorityAnswer.objects.filter(window_id__in=window_ids)
        .order_by()
        .values_list("window_id", "priority_id", "priority_title", "agreement")
        .annotate(n=Count("*"))
    ):
        counts = agreement[window_id].setdefault(priority_id, {"title": title, "levels": {}})
        counts["levels"][level] = counts["levels"].get(level, 0) + n
    return {
        pk: {
            "responses": sum(by_type[pk].values()),
            "by_respondent_type": [
                {
                    "respondent_type": kind,
                    "label": str(label),
                    "responses": by_type[pk].get(kind, 0),
                }
                for kind, label in TYPES.items()
            ],
            "agreement_by_priority": [
                {
                    "priority_id": priority_id,
                    "title": counts["title"],
                    "counts": [
                        {
                            "agreement": level,
                            "label": label,
                            "answers": counts["levels"].get(level, 0),
                        }
                        for level, label in LEVELS
                    ],
                }
                for priority_id, counts in sorted(agreement[pk].items())
            ],
        }
        for pk in window_ids
    }
