"""Demo documents: the two seed reports themselves, kept with the gates they were written for,
and an easy-read version of a Dudley strategy, made up and marked so.

The seed reports (shared/seeds) are plain text; the demo makes each a PDF with WeasyPrint, as
its text stands, and attaches it as the committee report of its meeting's gate: Milton Keynes'
to the Shadow Board's approval of the consultation (June 2012), Dudley's to Cabinet's
endorsement (13 September 2017). They stay internal, as every gate's papers do, and the gate's
committee report lists them among its appendices.

The easy-read version is of Dudley's 2012–2016 strategy, the demo's one strategy with a public
page (portal/demo/delivery.py publishes it), so that the published page shows an accessible
version beside the strategy. No council wrote it: its description, its title and its first
line say so, and what it describes is the demo's made-up delivery plan.

Everything goes through documents.workflow.add_document, as the officers who keep these
strategies, so the history records who added each file and its SHA-256. Loaded again, it adds
nothing (a document is looked up by its title first), and the PDFs are made once per process.
Without WeasyPrint's system libraries (Pango) the documents are left out, with a note.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.html import escape

from documents import workflow
from documents.models import Document
from governance.models import Gate, Purpose
from governance.workflow import WorkflowError
from portal.reports import files as report_files
from strategies.models import Strategy, User

# The seeds as the repository keeps them beside it (shared/seeds), or the tests' copies of them.
SEED_FOLDERS = [
    Path(settings.BASE_DIR).parent / "shared" / "seeds",
    Path(settings.BASE_DIR) / "tests" / "seeds",
]
DEMO_MARK = "Demo data: written for the demonstration, not published by the council."


# (seed file, strategy, gate's purpose, body, who keeps it, title, file name)
SEEDS = [
    (
        "000_b4eba5cfe6dcd5d6.txt",
        "milton-keynes-jhws-2012-2015",
        Purpose.APPROVE_CONSULTATION,
        "Milton Keynes Shadow Health and Wellbeing Board",
        "mk-officer",
        "Report to the Shadow Health and Wellbeing Board, June 2012: Joint Health and "
        "Wellbeing Strategy 2012 - 2015",
        "mk-shadow-board-report-2012.pdf",
    ),
    (
        "003_7cf9527d4f5e01f1.txt",
        "dudley-hws-2017-2022",
        Purpose.ENDORSE,
        "Cabinet",
        "officer",
        "Report to Cabinet, 13 September 2017: Dudley's Health and Wellbeing Strategy 2017-2022",
        "dudley-cabinet-report-2017-09-13.pdf",
    ),
]

EASY_READ_SLUG = "dudley-hws-2012-2016"
EASY_READ_TITLE = "Dudley Health and Wellbeing Strategy 2012 to 2016: easy read (demo)"
# Short sentences, one idea each, as easy-read guidance asks; what they describe is the demo's
# made-up plan (portal/demo/delivery.py), not the council's.
EASY_READ = [
    DEMO_MARK,
    "This is our plan to help people in Dudley to be healthy and well.",
    "The plan is for the years 2012 to 2016.",
    "We want fewer people to smoke. Every doctor's surgery will help people to stop smoking.",
    "We want more adults to be active. People on low incomes can swim and use the gym for free.",
    "We want fewer people to die early from heart disease and stroke.",
    "The Health and Wellbeing Board checks how the plan is going.",
    "We are now writing a new plan for 2017 to 2022. We will ask you what you think.",
]


def _seed_text(name: str) -> str | None:
    for folder in SEED_FOLDERS:
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


@functools.cache
def _pdf(title: str, paragraphs: tuple[str, ...], large: bool = False) -> bytes:
    """A plain PDF of `paragraphs` under `title` (made once per process: loading the demo
    again, as the tests do, costs nothing more)."""
    size = "18pt" if large else "11pt"
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html = (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>"
        f"@page {{ size: A4; margin: 2.2cm 2.5cm; }} "
        f"body {{ font-family: Arial, Helvetica, sans-serif; font-size: {size}; "
        f"line-height: 1.5; }} p {{ white-space: pre-wrap; margin: 0 0 0.8em; }} "
        f"h1 {{ font-size: 1.4em; }}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )
    return report_files.pdf_bytes(html, css_files=())


def _add(user: User, target, stdout, **details) -> None:
    """Adds the document; a refusal (a strategy whose record is closed, in a database loaded
    long ago) is said, not raised."""
    try:
        workflow.add_document(user, target, **details)
    except WorkflowError as refusal:
        if stdout:
            stdout.write(f"Demo document “{details['title']}” left out: {refusal.message}")


def _seed_reports(stdout) -> None:
    for name, slug, purpose, body, username, title, file_name in SEEDS:
        gate = (
            Gate.objects.filter(strategy__slug=slug, purpose=purpose, body__name=body)
            .select_related("strategy", "body")
            .first()
        )
        if gate is None or gate.documents.filter(title=title).exists():
            continue
        text = _seed_text(name)
        if text is None:
            if stdout:
                stdout.write(f"Seed report {name} not found: its PDF is left out of the demo.")
            continue
        paragraphs = tuple(p.strip() for p in text.strip().split("\n\n") if p.strip())
        _add(
            User.objects.get(username=username),
            gate,
            stdout,
            title=title,
            kind=Document.Kind.REPORT,
            upload=ContentFile(_pdf(title, paragraphs), name=file_name),
            description=f"Demo data: the seed report's text (shared/seeds/{name}) made into a "
            "PDF for the demonstration; not the council's own file.",
            note="The seed report, as its text stands",
        )


def _easy_read(stdout) -> None:
    strategy = Strategy.objects.filter(slug=EASY_READ_SLUG).first()
    if strategy is None or strategy.documents.filter(title=EASY_READ_TITLE).exists():
        return
    _add(
        User.objects.get(username="officer"),
        strategy,
        stdout,
        title=EASY_READ_TITLE,
        kind=Document.Kind.EASY_READ,
        upload=ContentFile(
            _pdf(EASY_READ_TITLE, tuple(EASY_READ), large=True),
            name="dudley-hws-2012-2016-easy-read.pdf",
        ),
        public=True,
        description=DEMO_MARK,
        note="Demo data: written for the demonstration",
    )


@transaction.atomic
def load(stdout=None) -> None:
    reason = report_files.pdf_unavailable_reason()
    if reason is not None:
        if stdout:
            stdout.write(f"Demo documents left out: {reason}")
        return
    _seed_reports(stdout)
    _easy_read(stdout)
