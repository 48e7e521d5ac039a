"""Reading a CSV exported from another survey tool (Citizen Space, SurveyMonkey, Microsoft Forms,
Smart Survey or any other), mapping its columns to a consultation's questions, and checking each
row, for the import pages (views/imports.py); the workflow adds the rows (workflow/importing.py).

- The file is read as UTF-8 (with or without the byte-order mark Excel writes), or else as
  Windows-1252, the other encoding Excel saves CSV in; its delimiter is sniffed (comma,
  semicolon, tab or bar).
- SurveyMonkey's export has two header rows (the question, then "Response", "Open-Ended
  Response" or the option): they are read as one, "question: option".
- Dates are read day first (12/01/2026 is 12 January), as UK accounts of these tools write them,
  unless the person importing says the file writes the month first; ISO dates (2026-01-12) and
  times after the date ("12/01/2026 10:15:00 AM") are read too.
- Between the steps (upload, map, import) the file is kept as it came, under a folder per person
  named by its SHA-256 (`keep`, `kept`): not in the session, which every request loads and saves
  and which a file of several megabytes would slow down for every page. The folder is
  settings.CONSULTATION_IMPORT_DIR, or "waymark-imports" in the system's temporary folder; with
  several app servers, point it at a folder they share. A kept file is removed once imported, and
  any older than a day when the next is uploaded.
"""

from .reading import UnreadableFile, Upload, forget, keep, kept, read_csv
from .rows import (
    Checked,
    Mapping,
    check_rows,
    distinct,
    guess_mapping,
    guess_type,
    mapping_problems,
    parse_agreement,
    parse_date,
)

__all__ = [
    "Checked",
    "Mapping",
    "UnreadableFile",
    "Upload",
    "check_rows",
    "distinct",
    "forget",
    "guess_mapping",
    "guess_type",
    "keep",
    "kept",
    "mapping_problems",
    "parse_agreement",
    "parse_date",
    "read_csv",
]
