"""What a file is, by its content, not its name: the one check every upload passes through (the
browser's forms, the admin, the demo and commands all call `check`).

Waymark keeps PDF, Word (.docx, and .doc of Word 97-2003), OpenDocument (text, spreadsheet,
presentation), Excel (.xlsx, .xls), CSV and common images (PNG, JPEG, GIF, WebP). The first bytes
say which (the `filetype` library's signatures; docs/decisions/0027-documents.md); a Word,
Excel or OpenDocument file is then opened as the ZIP it is and must hold the part that makes it
one, and a CSV must be text (UTF-8 or Windows-1252) without the marks of HTML or SVG. The name
it came with must end as its content says: a Word file called "report.pdf" is refused, so that
nobody opens a file expecting something else. Everything else is refused with a message that
says what Waymark keeps: programs, web pages, SVG drawings, archives, scripts.

The size limit (settings.DOCUMENT_MAX_BYTES, 25 MB unless set) is held before the file is read:
config.middleware.RequestSizeMiddleware refuses a longer request body before anything reads it,
and `check` refuses a file over it that came in a body within it."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

HEAD = 8192  # bytes read to tell a file's kind
KEPT = "PDF, Word, OpenDocument, Excel, CSV and image (PNG, JPEG, GIF, WebP) files"


@dataclass(frozen=True)
class Format:
    content_type: str
    label: str
    extensions: tuple[str, ...]  # the first is the one a safe name ends with
    zip_part: str = ""  # a Word, Excel or OpenDocument file must hold this part


OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."
FORMATS = {
    f.content_type: f
    for f in [
        Format("application/pdf", "PDF", ("pdf",)),
        Format(f"{OOXML}wordprocessingml.document", "Word", ("docx",), "word/document.xml"),
        Format("application/msword", "Word 97-2003", ("doc",)),
        Format(f"{OOXML}spreadsheetml.sheet", "Excel", ("xlsx",), "xl/workbook.xml"),
        Format("application/vnd.ms-excel", "Excel 97-2003", ("xls",)),
        Format(f"{ODF}text", "OpenDocument text", ("odt",), "content.xml"),
        Format(f"{ODF}spreadsheet", "OpenDocument spreadsheet", ("ods",), "content.xml"),
        Format(f"{ODF}presentation", "OpenDocument presentation", ("odp",), "content.xml"),
        Format("text/csv", "CSV", ("csv", "txt")),
        Format("image/png", "PNG image", ("png",)),
        Format("image/jpeg", "JPEG image", ("jpg", "jpeg")),
        Format("image/gif", "GIF image", ("gif",)),
        Format("image/webp", "WebP image", ("webp",)),
    ]
}
# What the refused kinds are called, to say so.
REFUSED_NAMES = {
    "application/x-msdownload": "a Windows program",
    "application/x-executable": "a program",
    "application/x-elf": "a program",
    "application/x-mach-binary": "a program",
    "application/zip": "a ZIP archive",
    "application/x-7z-compressed": "a 7-Zip archive",
    "application/x-rar-compressed": "a RAR archive",
    "application/gzip": "a compressed archive",
    "application/x-tar": "a tar archive",
    "image/svg+xml": "an SVG drawing",
}
# The marks of a web page, drawing or XML anywhere in a text file's first bytes: a browser
# that guessed it was HTML would run it.
MARKUP = re.compile(
    r"<(?:!doctype|html|svg|\?xml|script|head|body|iframe|object|embed|meta|link|style)\b",
    re.IGNORECASE,
)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Control characters text never holds (tab, line feed, carriage return and form feed aside).
BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Checked:
    """A file that passed: its format, the safe name to offer it under, size and SHA-256."""

    format: Format
    file_name: str
    size: int
    sha256: str


def limit() -> int:
    return settings.DOCUMENT_MAX_BYTES


def check(upload) -> Checked:
    """`upload` (a Django UploadedFile or File with a name) if Waymark keeps it, or a
    ValidationError saying why not. Reads the file once, a chunk at a time, to hash it."""
    size = upload.size
    if not size:
        raise ValidationError("The file is empty: choose the file again.", code="empty")
    if size > limit():
        raise ValidationError(
            f"The file is {filesizeformat(size)}; Waymark keeps files up to "
            f"{filesizeformat(limit())}. Make it smaller (for a PDF, save it for the web) or "
            f"split it into parts.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(HEAD)
    found = identify(head, upload)
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if extension not in found.extensions:
        called = f"called “{display_name(name)}”" if name else "without a name"
        raise ValidationError(
            f"The file is {called} but it is a {found.label} file. Give it the ending "
            f"“.{found.extensions[0]}” (or save it in the format its name says) and upload it "
            f"again.",
            code="name_mismatch",
        )
    return Checked(found, safe_name(name, found), size, sha256_of(upload))


def identify(head: bytes, upload) -> Format:
    kind = filetype.guess(head)
    if kind is None:
        return _text(head)
    found = FORMATS.get(kind.mime)
    if found is None:
        what = REFUSED_NAMES.get(kind.mime, f"of a kind Waymark does not keep ({kind.mime})")
        raise ValidationError(f"This file is {what}. Waymark keeps {KEPT}.", code="refused")
    if found.zip_part and not _holds(upload, found.zip_part):
        raise ValidationError(
            f"This file looks like a {found.label} file but cannot be opened as one: it may be "
            f"damaged. Save it again from the program that made it and upload it again.",
            code="damaged",
        )
    return found


def _holds(upload, part: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return part in names


def _text(head: bytes) -> Format:
    """A CSV: text, without NULs, that is not a web page or drawing."""
    if b"\x00" in head:
        raise ValidationError(
            f"This file is of a kind Waymark does not recognise. Waymark keeps {KEPT}.",
            code="refused",
        )
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = head.decode("cp1252")
        except UnicodeDecodeError:
            raise ValidationError(
                f"This file is not text Waymark can read. Waymark keeps {KEPT}.", code="refused"
            ) from None
    if BINARY.search(text):
        raise ValidationError(
            f"This file is of a kind Waymark does not recognise: it is not text. Waymark keeps "
            f"{KEPT}.",
            code="refused",
        )
    if MARKUP.search(text):
        raise ValidationError(
            f"This file is a web page or drawing (HTML, SVG or XML), which could run in a "
            f"reader's browser. Waymark keeps {KEPT}: save it as PDF.",
            code="refused",
        )
    return FORMATS["text/csv"]


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(upload.read, b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def display_name(name: str) -> str:
    """The name as given, without the characters that could mislead a reader (control
    characters, and the invisible ones that turn text round: U+202E)."""
    return _visible(name)[:120]


def _visible(text: str) -> str:
    text = CONTROL.sub("", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def safe_name(name: str, found: Format) -> str:
    """The name a download is offered under: the given name's last part, without control
    characters, path separators or anything a file system or a header could misread, ending as
    its content says."""
    base = re.split(r"[/\\]", name or "")[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = unicodedata.normalize("NFKC", stem)
    stem = _visible(stem)
    stem = re.sub(r"[^\w\s().,'&+-]", "_", stem, flags=re.UNICODE)
    stem = re.sub(r"\s+", " ", stem).strip(" ._") or "document"
    given = base.rsplit(".", 1)[-1].casefold() if "." in base else ""
    return f"{stem[:150]}.{given if given in found.extensions else found.extensions[0]}"
