"""Mapping a file's columns to a consultation's questions, and reading each row with it: what
will be stored, and what is wrong (see the package's docstring)."""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field

from django.utils import timezone

from ..models import ConsultationWindow, PriorityAnswer, Response, ResponseImport
from ..workflow import ImportedRow, received_problem
from ..workflow.importing import ROW_ID_LONGEST, source_row_id
from .reading import Upload

Tool = ResponseImport.Tool
Agreement = PriorityAnswer.Agreement
TEXT_LIMIT = 5000  # as the public form's free text (forms.TEXT_LIMIT)
NAME_LIMIT = Response._meta.get_field("organisation_name").max_length


ROW_ID_NAMES = ["respondent id", "response id", "id", "userid", "response number"]
DATE_NAMES = [
    "completion time",
    "end date",
    "ended",
    "date submitted",
    "submitted",
    "response submitted",
    "date",
    "start date",
    "start time",
    "started",
]


@dataclass
class Mapping:
    """Which column holds what (by its index; None: not in the file), and how values are read."""

    tool: str = Tool.OTHER
    row_id: int | None = None
    respondent_type: int | None = None
    fixed_type: str = ""  # everyone's type, when no column gives it
    type_values: dict[str, str] = field(default_factory=dict)  # the file's value: ours
    organisation: int | None = None
    received: int | None = None
    day_first: bool = True
    five_is_agree: bool = True  # of numbers 1 to 5, 5 is "Strongly agree"
    agreement: dict[str, int | None] = field(default_factory=dict)  # by priority id
    comment: dict[str, int | None] = field(default_factory=dict)
    general: int | None = None

    def as_json(self) -> dict:
        return asdict(self)

    def described(self, columns: list[str]) -> dict:
        """The mapping with the columns' names, as the import's record keeps it."""
        named = self.as_json()
        for key in ("row_id", "respondent_type", "organisation", "received", "general"):
            named[key] = _name(columns, named[key])
        for key in ("agreement", "comment"):
            named[key] = {pid: _name(columns, i) for pid, i in named[key].items()}
        return named


def _name(columns: list[str], index: int | None) -> str | None:
    return columns[index] if index is not None and index < len(columns) else None


ORGANISATION_NAMES = [
    *(f"{kind} name" for kind in ("organisation", "organization", "group")),
    *(
        f"name of {whose}{kind}"
        for whose in ("", "the ", "your ")
        for kind in ("organisation", "organization", "group")
    ),
    "organisation",
    "organization",
]


def guess_mapping(upload: Upload, priorities: list[dict]) -> Mapping:
    folded = [c.casefold() for c in upload.columns]

    def first(names: list[str], contains: bool = False, skip: int | None = None) -> int | None:
        for name in names:
            for i, column in enumerate(folded):
                if i != skip and (column == name or (contains and name in column)):
                    return i
        return None

    respondent_type = first(["responding as", "respondent type", "capacity"], contains=True)
    mapping = Mapping(
        tool=upload.tool,
        row_id=first(ROW_ID_NAMES),
        respondent_type=respondent_type,
        # A column that names the organisation before one that merely mentions it ("Are you
        # responding as an individual or on behalf of an organisation?" is the type's).
        organisation=first(ORGANISATION_NAMES, contains=True, skip=respondent_type),
        received=first(DATE_NAMES),
        general=first(["any other comments", "other comments", "general comments"], True),
    )
    for p in priorities:
        title = p["title"].casefold()
        about = [i for i, column in enumerate(folded) if title in column]
        agree = [i for i in about if "agree" in folded[i]]
        said = [i for i in about if i not in agree]
        mapping.agreement[str(p["id"])] = agree[0] if agree else (about[0] if about else None)
        mapping.comment[str(p["id"])] = said[0] if agree and said else None
    if mapping.respondent_type is not None:
        mapping.type_values = {
            value: guess_type(value) for value in distinct(upload, mapping.respondent_type)
        }
    else:
        mapping.fixed_type = Response.RespondentType.INDIVIDUAL
    return mapping


def distinct(upload: Upload, column: int, most: int = 30) -> list[str]:
    """The values a column holds (up to `most`), as written, blanks left out."""
    values: dict[str, None] = {}
    for _, cells in upload.rows:
        value = cells[column].strip() if column < len(cells) else ""
        if value:
            values.setdefault(value)
            if len(values) >= most:
                break
    return list(values)


def guess_type(value: str) -> str:
    folded = value.casefold()
    if "behalf" in folded or "group" in folded:
        return Response.RespondentType.GROUP
    if any(w in folded for w in ("organisation", "organization", "business", "company")):
        return Response.RespondentType.ORGANISATION
    if any(w in folded for w in ("individual", "myself", "resident", "member of the public")):
        return Response.RespondentType.INDIVIDUAL
    return ""


# Reading each row -----------------------------------------------------------------------------

AGREEMENT_WORDS = {label.casefold(): value for value, label in Agreement.choices} | {
    "neutral": Agreement.NEUTRAL,
    "neither agree or disagree": Agreement.NEUTRAL,
    "tend to agree": Agreement.AGREE,
    "tend to disagree": Agreement.DISAGREE,
}
NO_ANSWER = {"", "don't know", "dont know", "don’t know", "not sure", "no answer", "n/a"}

DAY_FIRST = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"]
MONTH_FIRST = ["%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y"]
TIME = re.compile(r"^([^\sT]+)(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*([AaPp][Mm])?.*)?$")


# A moment with its offset from UTC, as survey tools export ISO 8601 ("2024-03-31T23:30:00Z",
# "2024-03-31 23:30:00+00:00"): its day is the day in the site's time zone (00:30 BST on 1 April).
WITH_OFFSET = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$", re.I
)


def parse_date(value: str, day_first: bool = True) -> datetime.date | None:
    """The day a cell gives, any time after it ignored (but a moment given with its offset from
    UTC, whose day is taken in the site's time zone); None if it gives none."""
    value = value.strip()
    if WITH_OFFSET.match(value):
        try:
            moment = datetime.datetime.fromisoformat(
                re.sub(r"\s+(?=(?:Z|[+-]\S+)$)", "", value.upper())
            )
        except ValueError:
            return None
        return timezone.localtime(moment).date()
    match = TIME.match(value)
    if not value or not match:
        return None
    day = match.group(1)
    formats = ["%Y-%m-%d", "%Y/%m/%d", *(DAY_FIRST if day_first else MONTH_FIRST)]
    for form in formats:
        try:
            return datetime.datetime.strptime(day, form).date()
        except ValueError:
            continue
    return None


def parse_agreement(value: str, five_is_agree: bool = True) -> tuple[int | None, bool]:
    """The agreement a cell gives, and whether it could be read at all."""
    folded = " ".join(value.casefold().split())
    if folded in NO_ANSWER:
        return None, True
    if folded in AGREEMENT_WORDS:
        return AGREEMENT_WORDS[folded], True
    if folded.isdecimal() and 1 <= int(folded) <= 5:  # "３" is 3; "¹" is not a number
        return (int(folded) if five_is_agree else 6 - int(folded)), True
    return None, False


@dataclass
class Checked:
    """The file's rows read with a mapping: those to add, those refused (with why), and how many
    of the good ones are already in the consultation."""

    good: list[ImportedRow]
    refused: list[ImportedRow]
    already: int

    @property
    def new(self) -> int:
        return len(self.good) - self.already


def mapping_problems(mapping: Mapping, upload: Upload) -> dict[str, str]:
    """What the mapping lacks, by the form field it belongs beside."""
    problems = {}
    if mapping.row_id is None:
        problems["row_id"] = (
            "Choose the column that identifies each row: without it, importing the file again "
            "would add its responses twice."
        )
    if mapping.received is None:
        problems["received"] = "Choose the column with the day each response was received."
    if mapping.respondent_type is None and not mapping.fixed_type:
        problems["fixed_type"] = "Choose who the responses are from, or the column that says."
    return problems


def check_rows(
    upload: Upload,
    mapping: Mapping,
    window: ConsultationWindow,
    priorities: list[dict],
    already: set[str],
    today: datetime.date | None = None,
) -> Checked:
    good, refused, first_line, repeated = [], [], {}, 0
    for line, cells in upload.rows:
        row = read_row(line, cells, mapping, window, priorities, today)
        if row.row_id and row.row_id in first_line:
            row.problems.insert(0, f"The same row id as line {first_line[row.row_id]}.")
        first_line.setdefault(row.row_id, line)
        if row.problems:
            refused.append(row)
        else:
            good.append(row)
            repeated += source_row_id(mapping.tool, row.row_id) in already
    return Checked(good, refused, repeated)


def read_row(
    line: int,
    cells: list[str],
    mapping: Mapping,
    window: ConsultationWindow,
    priorities: list[dict],
    today: datetime.date | None = None,
) -> ImportedRow:
    def cell(index: int | None) -> str:
        return cells[index].strip() if index is not None and index < len(cells) else ""

    problems = []
    row = ImportedRow(line=line, row_id=cell(mapping.row_id), problems=problems)
    if not row.row_id:
        problems.append("No row id.")
    elif len(row.row_id) > ROW_ID_LONGEST:
        problems.append(
            f"The row id is longer than {ROW_ID_LONGEST} characters: is the right column chosen?"
        )
    if mapping.respondent_type is not None:
        given = cell(mapping.respondent_type)
        row.respondent_type = mapping.type_values.get(given, "")
        if not row.respondent_type:
            problems.append(
                f"Who it is from is not known: “{given}”."
                if given
                else "Who it is from is not given."
            )
    else:
        row.respondent_type = mapping.fixed_type
    row.organisation_name = cell(mapping.organisation)
    if row.respondent_type in ("organisation", "group") and not row.organisation_name:
        problems.append("No name of the organisation or group it is from.")
    if len(row.organisation_name) > NAME_LIMIT:
        problems.append(f"The organisation's name is longer than {NAME_LIMIT} characters.")
    given = cell(mapping.received)
    row.received_on = parse_date(given, mapping.day_first)
    if row.received_on is None:
        problems.append(f"The date “{given}” cannot be read." if given else "No date.")
    elif problem := received_problem(window, row.received_on, today):
        problems.append(problem)
    answered = False
    for p in priorities:
        pid = str(p["id"])
        given = cell(mapping.agreement.get(pid))
        agreement, readable = parse_agreement(given, mapping.five_is_agree)
        if not readable:
            problems.append(f"“{given}” is not an agreement (about “{p['title']}”).")
        comment = cell(mapping.comment.get(pid))
        row.answers.append((p["id"], p["title"], agreement, comment))
        answered |= agreement is not None or bool(comment)
    row.general_comments = cell(mapping.general)
    texts = [row.general_comments, *(a[3] for a in row.answers)]
    if any(len(text) > TEXT_LIMIT for text in texts):
        problems.append(f"A comment is longer than {TEXT_LIMIT} characters.")
    if not answered and not row.general_comments:
        problems.append("An empty response: no answer and no comment.")
    return row
