"""A strategy's outcome indicators over time: the indicators page (each with its latest value,
judged, and a small chart), one indicator's page (its chart, the table of its values and, for
those who keep them, the form to add one), and correcting or removing a value. Importing a
Fingertips file is views/indicator_imports.py. The rules are delivery/indicators.py's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST

from governance.workflow import WorkflowError
from strategies.access import get_visible_strategy
from strategies.models import OutcomeIndicator, Strategy

from .. import charts, indicators
from ..indicator_forms import RemoveForm, ValueForm
from ..models import IndicatorValue


def delivery_plan_url(strategy: Strategy) -> str:
    """The strategy's Delivery page, once that page is there (another part of issue 19)."""
    try:
        return reverse("delivery:plan", kwargs={"slug": strategy.slug})
    except NoReverseMatch:
        return ""


def get_indicator(user, slug: str, pk: int, keep: bool = False) -> OutcomeIndicator:
    """The indicator `pk` of the strategy at `slug` if `user` may read it (404 otherwise); with
    `keep`, 403 with the reason unless they may keep its values."""
    strategy = get_visible_strategy(user, slug)
    indicator = (
        OutcomeIndicator.objects.filter(strategy=strategy, pk=pk)
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.select_related("imported_from"))
        )
        .first()
    )
    if indicator is None:
        raise Http404("No indicator here.")
    indicator.strategy = strategy
    if keep and (refusal := indicators.value_refusal(user, indicator)):
        raise PermissionDenied(refusal)
    return indicator


def _summary(indicator: OutcomeIndicator, size: str) -> dict:
    values = list(indicator.values.all())
    return {
        "indicator": indicator,
        "values": values,
        "judged": indicators.judge_latest(indicator, values),
        "chart": charts.trend_chart(indicator, values, size),
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def indicator_list(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_visible_strategy(request.user, slug)
    rows = strategy.indicators.prefetch_related("values").order_by("position")
    summaries = []
    for indicator in rows:
        indicator.strategy = strategy
        summaries.append(_summary(indicator, "small"))
    return render(
        request,
        "delivery/indicators.html",
        {
            "strategy": strategy,
            "summaries": summaries,
            "tab": "delivery",
            "plan_url": delivery_plan_url(strategy),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def indicator_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The indicator's page; a POST adds a value (those who keep them only)."""
    indicator = get_indicator(request.user, slug, pk, keep=request.method == "POST")
    refusal = indicators.value_refusal(request.user, indicator)
    form = ValueForm(request.POST or None) if not refusal else None
    if request.method == "POST" and form.is_valid():
        try:
            added = indicators.add_value(
                indicator, request.user, form.cleaned_data["reason"], **form.figures()
            )
        except WorkflowError as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, f"Value for {added.period} added.")
            return redirect("delivery:indicator", slug=slug, pk=indicator.pk)
    return render(
        request,
        "delivery/indicator.html",
        {
            "strategy": indicator.strategy,
            **_summary(indicator, "large"),
            "form": form,
            "refusal": refusal,
            "tab": "delivery",
            "imports": indicator.value_imports.select_related("imported_by")[:10],
            "plan_url": delivery_plan_url(indicator.strategy),
        },
    )


def _value(indicator: OutcomeIndicator, value_pk: int) -> IndicatorValue:
    for value in indicator.values.all():
        if value.pk == value_pk:
            return value
    raise Http404("No value here.")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def value_edit(request: HttpRequest, slug: str, pk: int, value_pk: int) -> HttpResponse:
    indicator = get_indicator(request.user, slug, pk, keep=True)
    value = _value(indicator, value_pk)
    if request.method == "POST":
        form = ValueForm(request.POST, instance=value)
        if form.is_valid():
            try:
                indicators.correct_value(
                    value,
                    request.user,
                    form.cleaned_data["fingerprint"],
                    form.cleaned_data["reason"],
                    **form.figures(),
                )
            except WorkflowError as problem:
                form.add_error(
                    problem.field if problem.field in form.fields else None, problem.message
                )
            else:
                messages.success(request, f"Value for {form.cleaned_data['period']} corrected.")
                return redirect("delivery:indicator", slug=slug, pk=indicator.pk)
    else:
        form = ValueForm(instance=value, initial={"fingerprint": indicators.fingerprint(value)})
    return render(
        request,
        "delivery/value_form.html",
        {
            "strategy": indicator.strategy,
            "indicator": indicator,
            "value": value,
            "form": form,
            "remove_form": RemoveForm(initial={"fingerprint": indicators.fingerprint(value)}),
            "tab": "delivery",
        },
    )


@login_required
@require_POST
def value_remove(request: HttpRequest, slug: str, pk: int, value_pk: int) -> HttpResponse:
    indicator = get_indicator(request.user, slug, pk, keep=True)
    value = _value(indicator, value_pk)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The reason is too long: keep it under 300 characters.")
        return redirect("delivery:value-edit", slug=slug, pk=indicator.pk, value_pk=value.pk)
    try:
        indicators.remove_value(
            value, request.user, form.cleaned_data["fingerprint"], form.cleaned_data["reason"]
        )
    except WorkflowError as problem:
        messages.error(request, problem.message)
        return redirect("delivery:indicator", slug=slug, pk=indicator.pk)
    messages.success(request, f"Value for {value.period} removed.")
    return redirect("delivery:indicator", slug=slug, pk=indicator.pk)
