"""Importing an indicator's values from a Fingertips download, in two steps: upload the file,
then choose the area and the rows that are the indicator's, see every row as it will be stored
with its problems and what it will do (add, change, leave as it is), and import. Either every
row is imported or none is; importing the same file again changes no value. Reading the file is
delivery/fingertips.py; writing the values is delivery.indicators.import_values."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from governance.workflow import WorkflowError
from strategies.indicator_codes import fingertips_id

from .. import fingertips, indicators
from ..indicator_forms import ChoiceForm, UploadForm
from .indicators import get_indicator


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    indicator = get_indicator(request.user, slug, pk, keep=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sha = fingertips.keep(request.user, form.data_bytes, form.read.name)
        return redirect("delivery:indicator-import-check", slug=slug, pk=indicator.pk, sha=sha)
    return render(
        request,
        "delivery/import_upload.html",
        {"strategy": indicator.strategy, "indicator": indicator, "form": form, "tab": "delivery"},
    )


def _initial(indicator, download: fingertips.Download) -> dict:
    """The first guess: the indicator's Fingertips ID, the lead organisation's area, persons,
    all ages where the file has them, and the whole area (no category)."""
    ids = [code for code, _ in download.indicators()]
    wanted = fingertips_id(indicator.code)
    lead = indicator.strategy.lead_organisation
    initial = {
        "indicator_id": wanted if wanted in ids else ids[0],
        "area_code": fingertips.guess_area(download, [lead.name, lead.short_name]),
    }
    for name, column, preferred in (
        ("sex", "Sex", "Persons"),
        ("age", "Age", "All ages"),
        ("category", "Category", ""),
    ):
        if column in download.columns:
            found = download.distinct(
                column, Indicator_ID=initial["indicator_id"], Area_Code=initial["area_code"]
            )
            initial[name] = preferred if preferred in found else found[0]
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check(request: HttpRequest, slug: str, pk: int, sha: str) -> HttpResponse:
    indicator = get_indicator(request.user, slug, pk, keep=True)
    download = fingertips.kept(request.user, sha)
    if download is None:
        messages.error(request, "That file is no longer here (or was imported): upload it again.")
        return redirect("delivery:indicator-import", slug=slug, pk=indicator.pk)
    if request.method == "POST":
        form = ChoiceForm(request.POST, download=download)
    else:
        # With the area known, the rows are shown at once; otherwise the page asks for it.
        initial = _initial(indicator, download)
        data = initial if initial["area_code"] else None
        form = ChoiceForm(data, initial=initial, download=download)
    rows, empty = [], 0
    if form.is_valid():
        rows, empty = fingertips.check(download, form.choice())
        indicators.outcomes(indicator, rows)
        if not rows:
            form.add_error(
                None,
                "None of the file's rows match these choices (or they have no values): choose "
                "another area, indicator or breakdown.",
            )
        elif request.method == "POST" and request.POST.get("step") == "import":
            source = _source(download, form)
            try:
                record = indicators.import_values(
                    indicator, request.user, download.name, download.sha256, rows, source
                )
            except WorkflowError as problem:
                form.add_error(None, problem.message)
            else:
                fingertips.forget(request.user, sha)
                messages.success(
                    request,
                    f"Imported {download.name}: {record.added} added, {record.changed} changed, "
                    f"{record.unchanged} unchanged.",
                )
                return redirect("delivery:indicator", slug=slug, pk=indicator.pk)
    refused = [row for row in rows if row.problems]
    return render(
        request,
        "delivery/import_check.html",
        {
            "strategy": indicator.strategy,
            "indicator": indicator,
            "form": form,
            "download": download,
            "rows": rows,
            "refused": refused,
            "empty": empty,
            "counts": {kind: sum(r.outcome == kind for r in rows) for kind in indicators.OUTCOMES},
            "before": indicator.value_imports.filter(sha256=download.sha256),
            "tab": "delivery",
        },
    )


def _source(download: fingertips.Download, form: ChoiceForm) -> str:
    area = dict(download.areas()).get(form.cleaned_data["area_code"], "")
    return f"Fingertips (OHID), indicator {form.cleaned_data['indicator_id']}, {area}"
