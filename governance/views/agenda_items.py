"""A meeting's agenda item brought in from Modern.gov: its secretaries match the gate of the
meeting that it considers (governance.moderngov.matching)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from .. import access
from ..models import AgendaItem
from ..moderngov.matching import gates_to_match, match_gate, match_refusal
from ..workflow import WorkflowError
from .common import add_refusal


class MatchGateForm(forms.Form):
    gate = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No gate: this item considers none of them",
        label="The gate this item considers",
    )

    def __init__(self, *args, item: AgendaItem, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["gate"]
        field.queryset = gates_to_match(item)
        field.label_from_instance = lambda g: (
            f"{g.strategy.title}: {g.get_purpose_display().lower()}"
        )


@login_required
@require_http_methods(["GET", "POST"])
def match_agenda_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__body__organisation", "gate__strategy"),
        pk=pk,
        meeting__in=access.visible_meetings(request.user),
    )
    if refusal := match_refusal(request.user, item):
        raise PermissionDenied(refusal)
    form = MatchGateForm(request.POST or None, item=item, initial={"gate": item.gate_id})
    if request.method == "POST" and form.is_valid():
        gate = form.cleaned_data["gate"]
        try:
            saved = match_gate(item, gate, request.user)
        except WorkflowError as refusal:
            add_refusal(form, refusal)
        else:
            if not saved:
                messages.info(request, "Nothing was changed, so nothing was saved.")
            elif gate is not None:
                messages.success(request, f"Item “{item}” is matched to {gate.strategy.title}.")
            else:
                messages.success(request, f"Item “{item}” is matched to no gate.")
            return redirect(item.meeting)
    return render(request, "governance/agenda_item_match.html", {"item": item, "form": form})
