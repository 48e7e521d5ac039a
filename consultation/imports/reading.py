"""Reading a CSV from another survey tool into its columns and rows, guessing the tool from its
columns, and keeping the file between the import's steps (see the package's docstring)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ..models import ResponseImport

Tool = ResponseImport.Tool
SHA256 = re.compile(r"^[0-9a-f]{64}$")
KEPT_FOR = 24 * 60 * 60  # seconds


class UnreadableFile(Exception):
    """The file is not a CSV Waymark can read; the message says why, for the page."""


@dataclass
class Upload:
    """A CSV as read: its columns (named from its header rows) and its rows, each with the line
    a spreadsheet shows it on (the first header is line 1)."""

    name: str
    sha256: str
    columns: list[str]
    rows: list[tuple[int, list[str]]]
    header_rows: int = 1

    @property
    def tool(self) -> str:
        return guess_tool(self.columns)


def decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV" (not "CSV UTF-8") on Windows; five bytes Windows-1252 leaves undefined
        # are read as Latin-1 rather than refusing the file.
        text = data.decode("cp1252", errors="replace")
    return text.replace("\x00", "")  # never meant as text, and no database stores it


def read_csv(data: bytes, name: str) -> Upload:
    text = decode(data)
    if not text.strip():
        raise UnreadableFile("The file is empty.")
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        records = list(reader)
    except csv.Error as error:
        raise UnreadableFile(f"The file could not be read as CSV: {error}.") from None
    header = records[0] if records else []
    if not any(cell.strip() for cell in header):
        raise UnreadableFile("The file has no header row naming its columns.")
    header_rows = 2 if _second_header(records) else 1
    columns = _column_names(records[:header_rows])
    rows = []
    for number, record in enumerate(records[header_rows:], start=header_rows + 1):
        if any(cell.strip() for cell in record):  # a blank line is not a row
            rows.append((number, record + [""] * (len(columns) - len(record))))
    return Upload(name, hashlib.sha256(data).hexdigest(), columns, rows, header_rows)


def _second_header(records: list[list[str]]) -> bool:
    """SurveyMonkey's second header row: "Response", "Open-Ended Response" or the options."""
    if len(records) < 2:
        return False
    second = [cell.strip() for cell in records[1]]
    return not (second and second[0]) and any(
        cell in ("Response", "Open-Ended Response") for cell in second
    )


def _column_names(headers: list[list[str]]) -> list[str]:
    width = max(len(h) for h in headers)
    names, question, seen = [], "", {}
    for i in range(width):
        cells = [h[i].strip() if i < len(h) else "" for h in headers]
        question = cells[0] or (question if len(headers) > 1 else "")
        name = question
        if len(cells) > 1 and cells[1] and cells[1] not in ("Response", "Open-Ended Response"):
            name = f"{question}: {cells[1]}" if question else cells[1]
        name = name or f"Column {i + 1}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


# Which tool, and a first guess at the mapping -------------------------------------------------

TOOL_SIGNS = [  # columns each tool's export starts with, as far as known (see the README)
    (Tool.SURVEYMONKEY, {"respondent id", "collector id"}),
    (Tool.MICROSOFT_FORMS, {"id", "start time", "completion time"}),
    (Tool.SMART_SURVEY, {"userid", "started", "ended"}),
    (Tool.CITIZEN_SPACE, {"response id", "response status"}),
]


def guess_tool(columns: list[str]) -> str:
    names = {c.casefold() for c in columns}
    for tool, signs in TOOL_SIGNS:
        if signs <= names:
            return tool
    return Tool.OTHER


# Keeping the file between the steps -----------------------------------------------------------


def _folder(user) -> Path:
    root = getattr(settings, "CONSULTATION_IMPORT_DIR", None) or (
        Path(tempfile.gettempdir()) / "waymark-imports"
    )
    folder = Path(root) / str(user.pk)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def keep(user, data: bytes, name: str) -> str:
    """Keep an uploaded file for `user`; its SHA-256, by which the next steps find it."""
    folder = _folder(user)
    for old in folder.iterdir():  # what was left by imports never finished
        try:
            if old.stat().st_mtime < time.time() - KEPT_FOR:
                old.unlink(missing_ok=True)
        except OSError:  # removed a moment ago by another request
            continue
    sha = hashlib.sha256(data).hexdigest()
    (folder / f"{sha}.csv").write_bytes(data)
    (folder / f"{sha}.json").write_text(json.dumps({"name": Path(name).name[:255]}))
    return sha


def kept(user, sha: str) -> Upload | None:
    """The file `user` uploaded with that fingerprint, read, or None if it is not (or no longer)
    kept."""
    if not SHA256.match(sha):
        return None
    folder = _folder(user)
    try:
        data = (folder / f"{sha}.csv").read_bytes()
        name = json.loads((folder / f"{sha}.json").read_text())["name"]
    except (OSError, ValueError, KeyError):
        return None
    return read_csv(data, name)


def forget(user, sha: str) -> None:
    if SHA256.match(sha):
        for suffix in (".csv", ".json"):
            (_folder(user) / f"{sha}{suffix}").unlink(missing_ok=True)
