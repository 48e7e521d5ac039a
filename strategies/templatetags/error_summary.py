"""The list of problems in a form sent back with errors, for templates/_error_summary.html (the
GOV.UK error summary): `{% load error_summary %}`, then `form|error_summary`.

Each problem with a field links to that field's input, so a keyboard or screen-reader user
goes straight from the summary to what needs correcting; problems of the whole form are text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class Problem:
    text: str
    target: str = ""  # the id of the input to link to; "" when there is none to link to


@register.filter
def error_summary(form: forms.BaseForm, anchors: str = "") -> list[Problem]:
    """Every problem of `form`: those of the whole form first, then each field's in the order
    the fields are shown, as "Label: message".

    `anchors` names the input of a field its template draws by hand rather than from the form,
    as "scope=scope-ticked action=" (an empty id: the field has no input of its own to link to,
    so its problem is listed as text)."""
    targets = dict(pair.partition("=")[::2] for pair in (anchors or "").split())
    problems = [Problem(str(message)) for message in form.non_field_errors()]
    for name in form.fields:
        if name not in form.errors:
            continue
        field = form[name]
        target = targets[name] if name in targets else _input_id(field)
        label = str(field.label or "").strip().rstrip(":")
        for message in field.errors:
            if not label or field.is_hidden:
                text = str(message)
            else:
                text = f"{label}{'' if label.endswith('?') else ':'} {message}"
            problems.append(Problem(text, target))
    return problems


def _input_id(field: forms.BoundField) -> str:
    """The id of the input a person types or chooses in first: the field's own for most
    widgets; the first option's for radio buttons and checkbox lists (which have no single
    input); the first part's for a widget of several inputs (a date and a time)."""
    widget = field.field.widget
    if field.is_hidden:
        return ""
    if field.id_for_label:
        return field.id_for_label
    if isinstance(widget, forms.MultiWidget):
        return f"{field.auto_id}_0" if field.auto_id else ""
    first = next(iter(field.subwidgets), None)
    return first.id_for_label if first is not None else ""
