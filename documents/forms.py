"""The documents' browser forms: adding a document (to a strategy, one of its gates, decisions or
consultations, or to a meeting), uploading a new version, changing the details, withdrawing.

They check only what a form can (a title given, a choice among those offered, a file chosen);
whether the person may, whether the kind fits what it belongs to and whether the file is one
Waymark keeps are the workflow's to say (documents/workflow.py), and the pages show its answer
beside the field it names."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat

from . import files
from .languages import LANGUAGES
from .models import Document
from .workflow import KINDS_FOR

Kind = Document.Kind

# The kinds, grouped as a council officer thinks of them. The workflow says which fit what
# (KINDS_FOR); these groups only order the list and are named so that the right one is easy to
# find.
KIND_GROUPS = [
    (
        "The strategy and its accessible versions",
        [
            Kind.STRATEGY,
            Kind.SUMMARY,
            Kind.EASY_READ,
            Kind.LARGE_PRINT,
            Kind.TRANSLATION,
            Kind.AUDIO_OR_BRAILLE,
            Kind.EQUALITY_IMPACT,
        ],
    ),
    ("A consultation", [Kind.CONSULTATION]),
    (
        "Committee papers (of a gate or decision)",
        [Kind.REPORT, Kind.APPENDIX, Kind.DECISION_NOTICE],
    ),
    ("Meeting papers", [Kind.AGENDA_PACK, Kind.MINUTES]),
    ("Anything else", [Kind.OTHER]),
]
KIND_HELP = (
    "A strategy or consultation takes the strategy document and its accessible versions; a "
    "gate or decision takes its committee papers (report, appendices, decision notice)."
)
PUBLIC_HELP = (
    "Tick to show it on the strategy's public page (or the consultation's) once there is one, "
    "for anyone to read. Papers of gates, decisions and meetings always stay internal. Left "
    "unticked, only staff who read the strategy see it."
)


def accepted_types() -> str:
    """The `accept` attribute of a file box: every ending and type Waymark keeps, so that the
    browser's file chooser offers those first (the check on the server is what decides)."""
    endings = [f".{ext}" for f in files.FORMATS.values() for ext in f.extensions]
    return ",".join([*endings, *files.FORMATS])


def file_field(label: str = "File") -> forms.FileField:
    return forms.FileField(
        label=label,
        # An empty file reaches the workflow, whose check says so in its own words.
        allow_empty_file=True,
        error_messages={"required": "Choose the file to upload."},
        widget=forms.FileInput(attrs={"accept": accepted_types()}),
    )


def file_help() -> str:
    return (
        f"{files.KEPT}, up to {filesizeformat(files.limit())}. Waymark checks what the file "
        f"is from its content: its name must end as its type does (“.pdf” for a PDF)."
    )


class KindChoices:
    """Sets a form's `kind` choices: grouped, and only the kinds of `wheres` (the things the
    document may belong to on this form). Any kind is accepted, so that a kind that does not
    fit gets the workflow's answer, which says which do."""

    def set_kinds(self, wheres: set[str]) -> None:
        field = self.fields["kind"]
        field.choices = Kind.choices
        if len(wheres) == 1:  # one thing: its kinds, in the workflow's order
            (where,) = wheres
            field.widget.choices = [(k.value, k.label) for k in map(Kind, KINDS_FOR[where])]
            return
        offered = {kind for where in wheres for kind in KINDS_FOR[where]}
        groups = [
            (label, [(k.value, k.label) for k in kinds if k in offered])
            for label, kinds in KIND_GROUPS
        ]
        field.widget.choices = [("", "Choose a kind"), *((g, k) for g, k in groups if k)]


class DetailsFields(forms.Form):
    title = forms.CharField(
        max_length=300,
        help_text="As the document itself is titled, for example “Joint Health and Wellbeing "
        "Strategy 2024 to 2029: easy read”.",
    )
    kind = forms.ChoiceField(
        choices=Kind.choices,
        help_text=KIND_HELP,
        error_messages={"required": "Choose what kind of document it is."},
    )
    language = forms.ChoiceField(
        choices=LANGUAGES,
        initial="en",
        help_text="The language it is written in. For a version in another language, choose "
        "that language.",
    )
    public = forms.BooleanField(label="Public", required=False, help_text=PUBLIC_HELP)
    description = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. What it is, for whom, and anything a reader should know first.",
    )


class AddDocumentForm(KindChoices, DetailsFields):
    """A new document and its first file. `targets` is [(group, [(value, label, target)])]: what
    it may belong to, only those the person may keep, grouped ("" for the strategy itself)."""

    to = forms.ChoiceField(label="Belongs to")
    file = file_field()
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=500,
        help_text="Optional. Kept with this first version, for example where it came from.",
    )
    field_order = ["to", "title", "kind", "language", "public", "description", "file", "note"]

    def __init__(self, *args, targets: list, meeting=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {value: target for _, rows in targets for value, _, target in rows}
        if meeting is not None:
            # A meeting's papers belong to it: nothing to choose, and never public.
            del self.fields["to"], self.fields["public"]
            self.set_kinds({"meeting"})
            self.fields["kind"].help_text = "The agenda pack, the minutes, or another paper."
        else:
            self.fields["to"].choices = [
                (group, [(value, label) for value, label, _ in rows]) if group else rows[0][:2]
                for group, rows in targets
            ]
            self.fields["to"].help_text = (
                "The strategy itself, or one of its gates (a committee's consideration), "
                "decisions or consultations."
            )
            self.set_kinds({value.split("-")[0] for value in self.targets})
        self.fields["file"].help_text = file_help()
        self.meeting = meeting

    def target(self):
        return self.meeting or self.targets[self.cleaned_data["to"]]


class VersionForm(forms.Form):
    """A new file for a document: the next version; the earlier ones stay."""

    file = file_field("New file")
    note = forms.CharField(
        label="What changed",
        max_length=500,
        help_text="Kept with the version, for example “Figures for 2024 added”.",
        error_messages={"required": "Say what changed in this version."},
    )

    publish = forms.BooleanField(
        label="The public reads this version from now on",
        required=False,
        help_text="The public page links the version before until you tick this (or publish "
        "this version later, from the list of versions). Leave it unticked for a draft.",
    )

    def __init__(self, *args, offer_publish: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = file_help()
        if not offer_publish:  # nothing is public yet: a new version is what the public will read
            del self.fields["publish"]


class ChangeDetailsForm(KindChoices, DetailsFields):
    """The details of a document, with the version it was opened on: the workflow refuses the
    change if someone else changed it since."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, document: Document, where: str, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {name: getattr(document, name) for name in [*DETAILS, "version"]},
        )
        super().__init__(*args, **kwargs)
        self.set_kinds({where})
        if where == "meeting":
            del self.fields["public"]

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in DETAILS if name in self.cleaned_data}


DETAILS = ["title", "kind", "language", "public", "description"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is it withdrawn?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed: kept in the history and shown on the document's page, for example "
        "“Replaced by the 2025 edition”.",
        error_messages={"required": "Say why it is withdrawn."},
    )
