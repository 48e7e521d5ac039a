"""What the governance pages share: showing a refusal beside its field or above the page, and
reading the reason posted with a move."""

from __future__ import annotations

from django.contrib import messages

from ..forms import ReasonForm
from ..workflow import WorkflowError


def add_refusal(form, refusal: WorkflowError) -> None:
    """Show a refusal beside its field when the form has that field, above the form otherwise."""
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


def refused(request, refusal: WorkflowError) -> None:
    messages.error(request, refusal.message)


def posted_reason(request) -> str | None:
    """The reason posted with a move, or None after telling the person what is wrong with it."""
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Reason: {' '.join(form.errors['reason'])}")
        return None
    return form.cleaned_data["reason"]
