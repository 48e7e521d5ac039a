"""The forms of a strategy's moves after publication (governance/workflow/lifecycle.py): into
delivery, its review date, under review and back, and a refresh. The rules are the workflow's;
these only read what was typed."""

from __future__ import annotations

from django import forms

from strategies.models import Strategy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _review_date(label: str = "Review due") -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE,
        help_text="The day the strategy is due for review: its officers are reminded, and it "
        "shows on the dashboard, from then.",
    )


def _reason(label: str, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=300, required=required)


class StartDeliveryForm(forms.Form):
    review_due_on = _review_date()
    reason = _reason("Note (optional)", required=False)


class ReviewDateForm(forms.Form):
    review_due_on = _review_date("New review date")
    reason = _reason("Why the review date is set or moved")


class StartReviewForm(forms.Form):
    reason = _reason("Why the strategy is being reviewed")


class EndReviewForm(forms.Form):
    review_due_on = _review_date("Next review due")
    reason = _reason("What the review concluded")


class RefreshForm(forms.Form):
    title = forms.CharField(label="Title of the refreshed strategy", max_length=300)
    start_year = forms.IntegerField(label="First year", min_value=1990, max_value=2100)
    end_year = forms.IntegerField(label="Last year", min_value=1990, max_value=2100)
    reason = _reason("Why the strategy is being refreshed")

    def __init__(self, *args, strategy: Strategy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        length = strategy.end_year - strategy.start_year
        self.initial.setdefault("start_year", strategy.end_year + 1)
        self.initial.setdefault("end_year", strategy.end_year + 1 + length)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end <= start:
            self.add_error("end_year", "The last year must be after the first year.")
        return data
