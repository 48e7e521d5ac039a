"""A day and an optional time, as councils' records give meetings and events: the date box
and the time box of one field (DayAndTimeField), and what a form saving one keeps of it
(StartFields: the start, and whether its time is known). Used by governance's meeting forms and
consultation's event forms, in the browser and the admin."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.forms.utils import from_current_timezone
from django.utils import timezone

from strategies.forms import DateInput

from .dates import Precision, plausible


@dataclass(frozen=True)
class Start:
    """When a meeting or an event starts, as typed: the moment (the start of its day in the
    site's time zone when no time is recorded) and whether the time of day is known. (Not a
    tuple: a MultiWidget would take a tuple for its boxes' values.)"""

    at: datetime.datetime
    time_known: bool


class DayAndTimeWidget(forms.MultiWidget):
    """A date box and a time box, each with a visible label of its own; the form puts the
    field's label over both (a MultiWidget is drawn in a fieldset with the label as its legend).
    The template is in governance/templates/: widgets are drawn by the form renderer, which
    reads the apps' template folders and Django's, not the project's templates/."""

    template_name = "governance/widgets/day_and_time.html"
    labels = ("Date", "Time (leave empty if not recorded)")

    def __init__(self, attrs=None) -> None:
        time = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
        super().__init__([DateInput(), time], attrs)

    def decompress(self, value) -> list:
        """A Start, or a stored moment (its time known), as [day, time or None] in the site's
        time zone."""
        if value is None:
            return [None, None]
        at, time_known = (value.at, value.time_known) if isinstance(value, Start) else (value, True)
        if timezone.is_aware(at):
            at = timezone.localtime(at)
        return [at.date(), at.time() if time_known else None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            subwidget["label"] = label
        return context


class DayAndTimeField(forms.MultiValueField):
    """A meeting's or an event's day and, if the records give it, the time it began: a Start,
    at the start of the day (site time) when the time is left empty. Model forms take it
    through StartFields, which stores both `starts_at` and `time_known`."""

    widget = DayAndTimeWidget

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Date and time")
        # A time typed without its day: said in words (the field left empty says "required").
        day = forms.DateField(
            validators=[plausible], error_messages={"incomplete": "Give the date."}
        )
        super().__init__(
            fields=[day, forms.TimeField(required=False)], require_all_fields=False, **kwargs
        )

    def compress(self, data_list) -> Start | None:
        if not data_list:  # nothing typed, in a form where the date may be left out
            return None
        day, time = data_list
        try:
            at = from_current_timezone(datetime.datetime.combine(day, time or datetime.time()))
        except forms.ValidationError as error:
            if error.code != "ambiguous_timezone":
                raise
            raise forms.ValidationError(
                "That time does not exist or happens twice on that day, because the clocks "
                "change then. Choose another time, for example an hour later.",
                code="ambiguous_timezone",
            ) from error
        return Start(at, time_known=time is not None)


class StartFields:
    """For the model forms of meetings and events (the browser's and the admin's), before
    forms.ModelForm: `starts_at` is a DayAndTimeField, and what it gives is stored in both
    `starts_at` and `time_known` (which is not a field of its own: an empty time box says it).
    A stored time is shown only with an exact day: with only the month known it means
    nothing, and the box is left empty."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk is not None and "starts_at" in self.fields:
            shown = instance.time_known and instance.date_precision == Precision.DAY
            self.initial["starts_at"] = Start(instance.starts_at, shown)

    def clean_starts_at(self) -> datetime.datetime | None:
        start = self.cleaned_data.get("starts_at")
        if start is None:
            return None
        self.instance.time_known = start.time_known
        return start.at
