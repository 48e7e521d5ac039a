"""Forms for responses sent another way: keying one in (the public form's questions, with how and
when it came) and importing a CSV from another survey tool (the file, then its columns mapped).
What a response must be is the workflow's (workflow/responses.py): these forms show its problems
beside their fields."""

from __future__ import annotations

from django import forms

from strategies.forms import DateInput

from . import imports
from .forms import PublicResponseForm
from .models import ConsultationWindow, ResponseImport
from .models import Response as ResponseModel
from .workflow import KEYED_CHANNELS, received_problem

RespondentType = ResponseModel.RespondentType
LARGEST_FILE = 50 * 1024 * 1024  # as config.middleware.RequestSizeMiddleware.LARGER allows


class KeyInResponseForm(PublicResponseForm):
    """The public form's questions, as the respondent answered them on paper, in an email or a
    letter or at an event, with how it was sent and the day it was received."""

    channel = forms.ChoiceField(
        label="Sent as",
        choices=KEYED_CHANNELS,
        widget=forms.RadioSelect,
        help_text="The respondent sent it for this consultation: it is the council's record of "
        "their response, used as the consultation's privacy notice describes, like one sent "
        "online.",
    )
    received_on = forms.DateField(
        label="Received on",
        widget=DateInput(),
        help_text="The day it reached the council. After the closing date it is accepted and "
        "marked late.",
        error_messages={"required": "Give the day it was received."},
    )

    def __init__(self, *args, window: ConsultationWindow, **kwargs) -> None:
        priorities = window.consulted_priorities
        super().__init__(*args, priorities=priorities, **kwargs)
        self.window = window
        del self.fields["consent"], self.fields["website"]  # staff, not the public
        self.fields["respondent_type"].label = "Responding as"
        self.fields[
            "organisation_name"
        ].help_text = "Only if they responded for an organisation or a group."
        for p in priorities:
            self.fields[f"agree_{p['id']}"].label = f"How far they agree with “{p['title']}”"
        self.fields["general_comments"].label = "Other comments"
        self.order_fields(["channel", "received_on", *self.fields])

    def clean(self):
        cleaned = super().clean()
        received = cleaned.get("received_on")
        if received is not None and (problem := received_problem(self.window, received)):
            self.add_error("received_on", problem)
        return cleaned

    @property
    def is_spam(self) -> bool:
        return False


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Exported from Citizen Space, SurveyMonkey, Microsoft Forms, Smart Survey or "
        "another tool, as CSV (from Excel: “Save as”, “CSV UTF-8”). Up to 50 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > LARGEST_FILE:
            raise forms.ValidationError("The file is larger than 50 MB.")
        data = upload.read()
        try:
            self.read = imports.read_csv(data, upload.name)
        except imports.UnreadableFile as problem:
            raise forms.ValidationError(str(problem)) from None
        if not self.read.rows:
            raise forms.ValidationError("The file has a header but no rows.")
        self.data_bytes = data
        return upload


def _column(label: str, choices, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=help_text,
    )


class MappingForm(forms.Form):
    """Which column of the file holds what, and how its values are read."""

    tool = forms.ChoiceField(
        label="Exported from",
        choices=ResponseImport.Tool.choices,
        help_text="Guessed from the columns. With the row id, it identifies each response, so "
        "that importing the same file again adds nothing: choose the same tool each time.",
    )
    day_first = forms.ChoiceField(
        label="Dates are written",
        choices=[
            ("day", "Day first: 12/01/2026 is 12 January 2026 (UK)"),
            ("month", "Month first: 12/01/2026 is 1 December 2026 (US)"),
        ],
        widget=forms.RadioSelect,
        help_text="Dates such as 2026-01-12 are read either way.",
    )
    five_is_agree = forms.ChoiceField(
        label="Where agreement is a number from 1 to 5",
        choices=[("5", "5 is “Strongly agree”"), ("1", "1 is “Strongly agree”")],
        widget=forms.RadioSelect,
    )
    fixed_type = forms.ChoiceField(
        label="Everyone is responding as",
        choices=[("", "Given by the column above"), *RespondentType.choices],
        required=False,
        help_text="When no column says who each response is from.",
    )

    def __init__(self, *args, upload: imports.Upload, priorities: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.upload, self.priorities = upload, priorities
        columns = [("", "Not in the file"), *enumerate(upload.columns)]
        fields = {
            "row_id": _column("Row id", columns, "The column that identifies each response."),
            "received": _column("Date received", columns, "The day each response was sent."),
            "respondent_type": _column("Who it is from", columns),
            "organisation": _column("Name of the organisation or group", columns),
        }
        for p in priorities:
            fields[f"agree_{p['id']}"] = _column(f"Agreement with “{p['title']}”", columns)
            fields[f"comment_{p['id']}"] = _column(f"Comments on “{p['title']}”", columns)
        fields["general"] = _column("Other comments", columns)
        self.fields.update(fields)
        self.order_fields(["tool", "row_id", "received", "day_first", "respondent_type"])
        self.type_values = self._type_value_fields()

    def _type_value_fields(self) -> list[str]:
        """A choice for each value of the "who it is from" column chosen (as posted, or as
        first guessed), to say which of ours it means."""
        chosen = self["respondent_type"].value()
        try:
            column = int(chosen) if chosen not in (None, "") else None
        except (TypeError, ValueError):
            column = None
        names = []
        if column is None or column >= len(self.upload.columns):
            return names
        given = (self.initial.get("type_values") or {}) if not self.is_bound else {}
        for n, value in enumerate(imports.distinct(self.upload, column)):
            name = f"type_{n}"
            self.fields[name] = forms.ChoiceField(
                label=f"“{value}” means",
                choices=[("", "Not known: refuse these rows"), *RespondentType.choices],
                required=False,
                initial=given.get(value, imports.guess_type(value)),
            )
            self.fields[name].value_given = value
            names.append(name)
            if self.is_bound and name not in self.data:  # a column chosen since: a first guess
                self.data = self.data.copy()
                self.data[name] = imports.guess_type(value)
        return names

    @classmethod
    def initial_for(cls, mapping: imports.Mapping) -> dict:
        initial = {
            "tool": mapping.tool,
            "row_id": mapping.row_id,
            "received": mapping.received,
            "respondent_type": mapping.respondent_type,
            "organisation": mapping.organisation,
            "general": mapping.general,
            "fixed_type": mapping.fixed_type,
            "day_first": "day" if mapping.day_first else "month",
            "five_is_agree": "5" if mapping.five_is_agree else "1",
            "type_values": mapping.type_values,
        }
        for pid, column in mapping.agreement.items():
            initial[f"agree_{pid}"] = column
        for pid, column in mapping.comment.items():
            initial[f"comment_{pid}"] = column
        return initial

    def mapping(self) -> imports.Mapping:
        data = self.cleaned_data
        chosen = data.get("respondent_type")
        return imports.Mapping(
            tool=data.get("tool") or ResponseImport.Tool.OTHER,
            row_id=data.get("row_id"),
            respondent_type=chosen,
            fixed_type="" if chosen is not None else data.get("fixed_type") or "",
            type_values={
                self.fields[name].value_given: data[name]
                for name in self.type_values
                if data.get(name)
            },
            organisation=data.get("organisation"),
            received=data.get("received"),
            day_first=data.get("day_first") != "month",
            five_is_agree=data.get("five_is_agree") != "1",
            agreement={str(p["id"]): data.get(f"agree_{p['id']}") for p in self.priorities},
            comment={str(p["id"]): data.get(f"comment_{p['id']}") for p in self.priorities},
            general=data.get("general"),
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for name, problem in imports.mapping_problems(self.mapping(), self.upload).items():
                self.add_error(name, problem)
        return cleaned
