"""Reading a CSV downloaded from OHID's Fingertips tool (the "Export table as CSV file" of a
profile such as the Public Health Outcomes Framework, or its API's all_data/csv), for an
indicator's import (views/indicator_imports.py; the rows are written by
delivery.indicators.import_values). Its columns, as Fingertips writes them, are in
docs/decisions/0023-fingertips-values.md: one row per indicator, area, sex, age, category and
period, so a file holds many areas and often several indicators and breakdowns; the person
importing picks the area and the breakdown, and the indicator's rows are found by its ID.

- The file is read as UTF-8 (with or without the byte-order mark) or else Windows-1252, the
  encoding Excel on Windows saves CSV in.
- Between the steps (upload, then choose and check) the file is kept under a folder per person,
  named by its SHA-256 (settings.INDICATOR_IMPORT_DIR, or "waymark-indicator-imports" in the
  system's temporary folder; with several app servers, a folder they share), and removed once
  imported or after a day.
- A value Fingertips leaves empty (suppressed, or not published for that period) is no row to
  import and is passed over; every other row must be right, or nothing is imported."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings

from .indicators import ImportRow, figure_problem
from .periods import parse_period

REQUIRED = ["Indicator ID", "Area Code", "Area Name", "Time period", "Value"]
LOWER, UPPER = "Lower CI 95.0 limit", "Upper CI 95.0 limit"
BREAKDOWNS = [("sex", "Sex"), ("age", "Age"), ("category", "Category")]
SHA256 = re.compile(r"^[0-9a-f]{64}$")
KEPT_FOR = 24 * 60 * 60
LARGEST_FILE = 50 * 1024 * 1024  # as config.middleware.RequestSizeMiddleware.LARGER allows


class UnreadableFile(Exception):
    """Not a Fingertips CSV Waymark can read; the message says why, for the page."""


@dataclass
class Download:
    name: str
    sha256: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line in a spreadsheet, cells by column)

    def distinct(self, column: str, **among: str) -> list[str]:
        """The values of `column`, among the rows whose cells are `among` (by column name,
        with underscores for spaces: Indicator_ID="92443")."""
        wanted = {name.replace("_", " "): value for name, value in among.items() if value}
        return sorted(
            {
                cells.get(column, "")
                for _, cells in self.rows
                if all(cells.get(name) == value for name, value in wanted.items())
            }
        )

    def indicators(self) -> list[tuple[str, str]]:
        """(Indicator ID, Indicator Name) pairs in the file."""
        return sorted({(c["Indicator ID"], c.get("Indicator Name", "")) for _, c in self.rows})

    def areas(self) -> list[tuple[str, str]]:
        return sorted({(c["Area Code"], c["Area Name"]) for _, c in self.rows}, key=lambda a: a[1])


def decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\x00", "")


def read(data: bytes, name: str) -> Download:
    text = decode(data)
    if not text.strip():
        raise UnreadableFile("The file is empty.")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise UnreadableFile(f"The file could not be read as CSV: {error}.") from None
    columns = [c.strip() for c in records[0]]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise UnreadableFile(
            f"This is not a Fingertips download: it has no column "
            f"{', '.join(f'“{c}”' for c in missing)}. Download the indicator's data from "
            f"Fingertips as CSV and upload that file unchanged."
        )
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if any(cell.strip() for cell in record):
            cells = dict(zip(columns, (c.strip() for c in record), strict=False))
            rows.append((number, {c: cells.get(c, "") for c in columns}))
    if not rows:
        raise UnreadableFile("The file has its header but no rows.")
    return Download(Path(name).name[:255], hashlib.sha256(data).hexdigest(), columns, rows)


# Keeping the file between the steps -------------------------------------------------------------


def _folder(user) -> Path:
    root = getattr(settings, "INDICATOR_IMPORT_DIR", None) or (
        Path(tempfile.gettempdir()) / "waymark-indicator-imports"
    )
    folder = Path(root) / str(user.pk)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def keep(user, data: bytes, name: str) -> str:
    folder = _folder(user)
    for old in folder.iterdir():
        try:
            if old.stat().st_mtime < time.time() - KEPT_FOR:
                old.unlink(missing_ok=True)
        except OSError:
            continue
    sha = hashlib.sha256(data).hexdigest()
    (folder / f"{sha}.csv").write_bytes(data)
    (folder / f"{sha}.json").write_text(json.dumps({"name": Path(name).name[:255]}))
    return sha


def kept(user, sha: str) -> Download | None:
    if not SHA256.match(sha):
        return None
    folder = _folder(user)
    try:
        data = (folder / f"{sha}.csv").read_bytes()
        name = json.loads((folder / f"{sha}.json").read_text())["name"]
        return read(data, name)
    except (OSError, ValueError, KeyError, UnreadableFile):
        return None


def forget(user, sha: str) -> None:
    if SHA256.match(sha):
        for suffix in (".csv", ".json"):
            (_folder(user) / f"{sha}{suffix}").unlink(missing_ok=True)


# Choosing and checking the rows -----------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """Which rows are the indicator's: its ID in the file, the area, and the breakdown (the
    sex, age and category, where the file has those columns)."""

    indicator_id: str
    area_code: str
    sex: str = ""
    age: str = ""
    category: str = ""

    def matches(self, cells: dict[str, str]) -> bool:
        if cells["Indicator ID"] != self.indicator_id or cells["Area Code"] != self.area_code:
            return False
        return all(
            cells.get(column, "") == getattr(self, name)
            for name, column in BREAKDOWNS
            if column in cells
        )


def guess_area(download: Download, names: list[str]) -> str:
    """The area code of the area named like the strategy's lead organisation ("Dudley" for
    "Dudley Metropolitan Borough Council"), if exactly one is; else ""."""
    wanted = [n.casefold() for n in names if n]
    found = {
        code
        for code, area in download.areas()
        if area and any(area.casefold() in name or name in area.casefold() for name in wanted)
    }
    return found.pop() if len(found) == 1 else ""


def _figure(text: str, label: str, problems: list[str]) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        problems.append(f"{label} “{text[:40]}” is not a number.")
        return None
    if problem := figure_problem(value):
        problems.append(f"{label} “{text[:40]}”: {problem}")
        return None
    return value.quantize(Decimal("0.001"))  # as stored, so that a file read again matches


def check(download: Download, choice: Choice) -> tuple[list[ImportRow], int]:
    """The chosen rows as values, each with its problems, and how many were passed over for
    having no value."""
    rows, empty = [], 0
    for line, cells in download.rows:
        if not choice.matches(cells):
            continue
        if not cells["Value"]:
            empty += 1
            continue
        problems: list[str] = []
        period = cells["Time period"]
        days = parse_period(period)
        if days is None:
            problems.append(f"The period “{period[:40]}” is not one Waymark can read.")
        row = ImportRow(
            line=line,
            period=period[:40],
            period_start=days[0] if days else None,
            period_end=days[1] if days else None,
            value=_figure(cells["Value"], "The value", problems),
            lower_ci=_figure(cells.get(LOWER, ""), "The lower limit", problems),
            upper_ci=_figure(cells.get(UPPER, ""), "The upper limit", problems),
            problems=problems,
        )
        _check_interval(row)
        rows.append(row)
    seen = Counter((r.period_start, r.period_end) for r in rows if r.period_start)
    for row in rows:
        if row.period_start and seen[(row.period_start, row.period_end)] > 1:
            row.problems.append(
                "The file has more than one row for this period among those chosen: choose the "
                "sex, age or category."
            )
    return sorted(rows, key=lambda r: (r.period_start or datetime.date.min, r.line)), empty


def _check_interval(row: ImportRow) -> None:
    if row.problems or row.value is None:
        return
    if (row.lower_ci is None) != (row.upper_ci is None):
        row.problems.append("Only one confidence limit is given.")
    elif row.lower_ci is not None and not row.lower_ci <= row.value <= row.upper_ci:
        row.problems.append("The value is not within its confidence interval.")
