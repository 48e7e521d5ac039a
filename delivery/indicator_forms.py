"""The forms of an indicator's values: typing one in or correcting it, uploading a Fingertips
file, and choosing its rows. They validate what was typed; delivery/indicators.py changes
things."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from strategies.forms import DateInput

from .fingertips import BREAKDOWNS, LARGEST_FILE, Choice, Download, UnreadableFile, read
from .indicators import figure_problem
from .models import IndicatorValue
from .periods import parse_period

REASON_HELP = "Optional. Shown in the history beside this change."


class FigureField(forms.DecimalField):
    """A figure: a number the columns hold, said plainly when it is not."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_digits=None, decimal_places=None, **kwargs)

    def clean(self, value):
        figure = super().clean(value)
        if problem := figure_problem(figure):
            raise forms.ValidationError(problem)
        return figure.quantize(Decimal("0.001")) if figure is not None else None


class ValueForm(forms.ModelForm):
    value = FigureField(label="Value")
    lower_ci = FigureField(label="Lower confidence limit (95%)", required=False)
    upper_ci = FigureField(label="Upper confidence limit (95%)", required=False)
    reason = forms.CharField(
        label="Reason for the change", max_length=300, required=False, help_text=REASON_HELP
    )
    # The value as it was read when the form was opened (delivery.indicators.fingerprint).
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = IndicatorValue
        fields = [
            "period",
            "period_start",
            "period_end",
            "value",
            "lower_ci",
            "upper_ci",
            "source",
            "published_on",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "published_on": DateInput(),
        }
        help_texts = {
            "period": "As the source writes it: 2019, 2019/20 (April to March), 2017 - 19, "
            "2019 Q3 or 2019/20 Q3. Waymark fills in the days it covers.",
            "period_start": "Only for a period written another way.",
            "source": "e.g. Fingertips, Public Health Outcomes Framework, February 2025.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_start"].required = False
        self.fields["period_end"].required = False

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period", "")
        given = cleaned.get("period_start"), cleaned.get("period_end")
        renamed = (
            self.instance.pk
            and period != self.instance.period
            and given == (self.instance.period_start, self.instance.period_end)
        )
        # The period's name corrected and its days left as they were: they follow the name,
        # when Waymark can read it (else the days typed stand).
        if renamed and (days := parse_period(period)) is not None:
            cleaned["period_start"], cleaned["period_end"] = days
            return cleaned
        if period and not (cleaned.get("period_start") and cleaned.get("period_end")):
            days = parse_period(period)
            if days is None:
                self.add_error(
                    "period_start",
                    "Waymark cannot tell which days this period covers: give its first and "
                    "last day.",
                )
            else:
                cleaned["period_start"], cleaned["period_end"] = days
        return cleaned

    def validate_unique(self):
        return  # delivery.indicators checks the period, under the strategy's lock

    def _post_clean(self):
        # The model's checks are delivery.indicators' (value_problems), run by the move.
        return

    def figures(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label="Reason for removing it", max_length=300, required=False, help_text=REASON_HELP
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file from Fingertips",
        help_text="On Fingertips, open the indicator's data and choose “Export table as CSV "
        "file” (or download the profile's data), then upload that file unchanged. Up to 50 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > LARGEST_FILE:
            raise forms.ValidationError("The file is larger than 50 MB.")
        data = upload.read()
        try:
            self.read = read(data, upload.name)
        except UnreadableFile as problem:
            raise forms.ValidationError(str(problem)) from None
        self.data_bytes = data
        return upload


class ChoiceForm(forms.Form):
    """Which of the file's rows are the indicator's."""

    indicator_id = forms.ChoiceField(label="Indicator in the file")
    area_code = forms.ChoiceField(label="Area")
    sex = forms.ChoiceField(label="Sex", required=False)
    age = forms.ChoiceField(label="Age", required=False)
    category = forms.ChoiceField(label="Category", required=False)

    def __init__(self, *args, download: Download, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator_id"].choices = [
            (code, f"{code}: {name}" if name else code) for code, name in download.indicators()
        ]
        self.fields["area_code"].choices = [
            ("", "Choose the area"),
            *((code, f"{name} ({code})") for code, name in download.areas()),
        ]
        self.fields[
            "area_code"
        ].help_text = "The file holds values for many areas: choose the one this strategy covers."
        for name, column in BREAKDOWNS:
            if column in download.columns:
                self.fields[name].choices = [(v, v or "(none)") for v in download.distinct(column)]
            else:
                del self.fields[name]
        if "category" in self.fields:
            self.fields["category"].help_text = (
                "Fingertips gives some indicators by category (such as deprivation decile) as "
                "well as for the whole area, whose category is empty."
            )

    def choice(self) -> Choice:
        data = self.cleaned_data
        return Choice(
            data["indicator_id"],
            data["area_code"],
            **{name: data.get(name, "") for name, _ in BREAKDOWNS},
        )
