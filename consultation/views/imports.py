"""Importing a CSV exported from another survey tool, in three steps: upload the file, map its
columns to the consultation's questions (with a preview of the rows as they will be stored and
every row's problems), then import. Either every row is imported, or none: a file with a refused
row imports nothing until the file or the mapping is put right, unless the officer chooses to
leave the refused rows out. Reading and checking is consultation/imports/; adding the rows is
the workflow's `import_responses`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from governance.views.common import add_refusal
from governance.workflow import WorkflowError

from .. import access, imports, workflow
from ..channel_forms import MappingForm, UploadForm
from ..models import ConsultationWindow, PriorityAnswer, Response

PREVIEW_ROWS = 10
REFUSALS_SHOWN = 200


def _importing_window(request: HttpRequest, pk: int) -> ConsultationWindow:
    window = access.get_window(request.user, pk, manage=True)
    if refusal := workflow.keying_refusal(window, request.user):
        raise PermissionDenied(refusal)
    return window


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    window = _importing_window(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sha = imports.keep(request.user, form.data_bytes, form.read.name)
        return redirect("consultation:import-map", pk=window.pk, sha=sha)
    return render(
        request,
        "consultation/import_upload.html",
        {"window": window, "strategy": window.strategy, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def map_columns(request: HttpRequest, pk: int, sha: str) -> HttpResponse:
    window = _importing_window(request, pk)
    file = imports.kept(request.user, sha)
    if file is None:
        messages.error(request, "That file is no longer here (or was imported): upload it again.")
        return redirect("consultation:import", pk=window.pk)
    priorities = window.consulted_priorities
    if request.method == "POST":
        form = MappingForm(request.POST, upload=file, priorities=priorities)
    else:
        guessed = imports.guess_mapping(file, priorities)
        form = MappingForm(
            initial=MappingForm.initial_for(guessed), upload=file, priorities=priorities
        )
    checked = None
    if form.is_valid() or not form.is_bound:
        mapping = form.mapping() if form.is_bound else imports.guess_mapping(file, priorities)
        if not imports.mapping_problems(mapping, file):
            already = workflow.already_imported(window)
            checked = imports.check_rows(file, mapping, window, priorities, already)
            step = request.POST.get("step")
            if step in ("import", "import_valid") and (
                done := _import(request, window, form, file, mapping, checked, step)
            ):
                return done
    return render(
        request,
        "consultation/import_map.html",
        {
            "window": window,
            "strategy": window.strategy,
            "form": form,
            "file": file,
            "checked": checked,
            "preview": _as_stored(window, checked.good[:PREVIEW_ROWS]) if checked else [],
            "refusals": checked.refused[:REFUSALS_SHOWN] if checked else [],
            "priorities": priorities,
            "before": window.imports.filter(sha256=file.sha256).select_related("imported_by"),
        },
    )


def _as_stored(window: ConsultationWindow, rows: list[workflow.ImportedRow]) -> list[dict]:
    """Rows as the preview shows them: in words, and marked late as they will be."""
    types = dict(Response.RespondentType.choices)
    agreements = dict(PriorityAnswer.Agreement.choices)
    return [
        {
            "line": row.line,
            "row_id": row.row_id,
            "respondent_type": types.get(row.respondent_type, ""),
            "organisation_name": row.organisation_name,
            "received_on": row.received_on,
            "late": workflow.is_late(window, row.received_on),
            "labelled": [(agreements.get(a), comment) for _, _, a, comment in row.answers],
            "general_comments": row.general_comments,
        }
        for row in rows
    ]


def _import(request, window, form, file, mapping, checked, step) -> HttpResponse | None:
    """Import the rows, or say why not on the form: a refused row stops the import unless the
    officer chose to leave the refused rows out."""
    if checked.refused and step != "import_valid":
        form.add_error(
            None,
            f"{len(checked.refused)} row{'s' if len(checked.refused) != 1 else ''} cannot be "
            f"imported (listed below), so nothing was imported. Put the file or the mapping "
            f"right and try again, or import the others without them.",
        )
        return None
    source = workflow.ImportedFile(
        file_name=file.name,
        sha256=file.sha256,
        tool=mapping.tool,
        mapping=mapping.described(file.columns),
        rows=len(file.rows),
    )
    try:
        record = workflow.import_responses(
            window, request.user, source, checked.good, refused=len(checked.refused)
        )
    except WorkflowError as refusal:
        add_refusal(form, refusal)
        return None
    imports.forget(request.user, file.sha256)
    said = f"Imported {record.added} response{'s' if record.added != 1 else ''} from {file.name}"
    if record.already_imported:
        said += f"; {record.already_imported} already imported, not added again"
    if record.refused:
        said += f"; {record.refused} refused and left out"
    messages.success(request, f"{said}.")
    return redirect("consultation:analysis", pk=window.pk)
