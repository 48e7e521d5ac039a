"""The forms of the theme suggestions page: accept a suggestion under its own label or another
name, or merge it into a theme the consultation has. They check what was typed; the workflow
(workflow/suggestions.py) checks the rest and says which field a problem belongs beside."""

from __future__ import annotations

from django import forms

from .models import Theme

NAME_LENGTH = Theme._meta.get_field("name").max_length


class AcceptSuggestionForm(forms.Form):
    name = forms.CharField(
        label="Theme name",
        max_length=NAME_LENGTH,
        help_text="Keep the suggested name, or type a better one.",
    )


class MergeSuggestionForm(forms.Form):
    theme = forms.TypedChoiceField(label="Merge into the theme", coerce=int, empty_value=None)

    def __init__(self, *args, themes: list[Theme], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.themes = themes
        # The page's one list of themes, not a query per suggestion.
        self.fields["theme"].choices = [("", "Choose a theme"), *((t.pk, t.name) for t in themes)]
