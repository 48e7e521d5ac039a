"""Benchmark: one consultation at the scale councils run them (issue 18's figures).

Builds a fresh database (a temporary SQLite file, or the PostgreSQL database named by
BENCH_DATABASE_URL, which it empties), with bench/data.py's smallest set, then gives one
consultation 100 responses and measures, then 20,000 and measures again:

- the responses page (`/consultations/<pk>/responses/`), rendered afresh each time, its query
  count at both sizes, against the Django admin's change list
  of the same responses (pages.measure, timed round by round beside it);
- at 20,000: the responses CSV (streamed, read to the end), the strategy's JSON export, reading
  and checking then importing a 20,000-row CSV of a survey tool, and theme suggestions for the
  20,000 comments (the method on its own, as the background task runs it).

    python bench/consultations.py [--sizes 100 20000] [--runs 5] [--json bench/consultations.json]

The last size is the scale the downloads, the import (that many rows) and the suggestions are
measured at.

Prints a table and writes it as JSON. The comments are made up from phrases about a dozen
topics, so that searching and suggesting have something to find.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import configure, measure  # noqa: E402

SIZES = [100, 20_000]
PHRASES = [
    "the {a} bus to {p} is unreliable",
    "evening buses from {p} stop too early",
    "parking near {p} is too expensive",
    "we need a safe crossing near {p} school",
    "cycle lanes on the road to {p} just end",
    "the GP surgery in {p} has no appointments",
    "mental health support for young people in {p} is too slow",
    "carers in {p} need respite breaks",
    "air pollution near {p} school is awful at pick up time",
    "the park in {p} needs better lighting",
    "housing in {p} is not affordable for young families",
    "the library in {p} should open on Sundays",
]
PLACES = ["Brierley Hill", "Stourbridge", "Halesowen", "Sedgley", "Kingswinford", "Netherton"]
AGREEMENT = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
]


def comment(rng: random.Random) -> str:
    parts = [
        rng.choice(PHRASES).format(a=rng.choice(["number 9", "X10", "night"]), p=rng.choice(PLACES))
        for _ in range(rng.choice([1, 1, 2, 3]))
    ]
    return ". ".join(part[0].upper() + part[1:] for part in parts) + "."


def window_with_priorities():
    """bench/data.py's first consultation, opened on a text whose priorities it answers."""
    from consultation.models import ConsultationWindow
    from strategies.models import Priority, Revision

    window = ConsultationWindow.objects.filter(strategy__slug="bench-0").first()
    priorities = [
        {"id": p.pk, "title": p.title}
        for p in Priority.objects.filter(strategy=window.strategy).order_by("position")
    ]
    Revision.objects.filter(pk=window.revision_id).update(
        content={**window.revision.content, "priorities": priorities}
    )
    window.refresh_from_db()
    return window


def grow_responses(window, total: int, rng: random.Random) -> None:
    """Responses (with an answer to each priority) up to `total`, sent over the window."""
    from django.utils import timezone

    from consultation.models import PriorityAnswer, Response

    have = window.responses.count()
    priorities = window.consulted_priorities
    start = timezone.now() - datetime.timedelta(days=60)
    new = [
        Response(
            window=window,
            reference=f"BENCH-{i:08d}",
            submitted_at=start + datetime.timedelta(minutes=3 * i),
            respondent_type=rng.choice(["individual"] * 8 + ["organisation", "group"]),
            general_comments=comment(rng),
            consent=True,
            channel=rng.choice(["online"] * 6 + ["paper", "email"]),
        )
        for i in range(have, total)
    ]
    Response.objects.bulk_create(new, batch_size=2000)
    ids = window.responses.filter(reference__in=[r.reference for r in new]).values_list(
        "pk", flat=True
    )
    PriorityAnswer.objects.bulk_create(
        (
            PriorityAnswer(
                response_id=pk,
                window=window,
                priority_id=p["id"],
                priority_title=p["title"][:300],
                agreement=rng.randint(1, 5),
                comment=comment(rng) if rng.random() < 0.4 else "",
            )
            for pk in ids
            for p in priorities
        ),
        batch_size=5000,
    )


def survey_csv(window, rows: int, rng: random.Random) -> bytes:
    """A SurveyMonkey-style export (two header rows) of `rows` responses."""
    priorities = window.consulted_priorities
    out = io.StringIO()
    writer = csv.writer(out)
    head = ["Respondent ID", "Collector ID", "Start Date", "End Date", "Are you responding as..."]
    second = ["", "", "", "", "Response"]
    for p in priorities:
        head += [p["title"], ""]
        second += ["How far do you agree?", "Comments"]
    writer.writerow([*head, "Any other comments?"])
    writer.writerow([*second, "Open-Ended Response"])
    day = window.opens_on + datetime.timedelta(days=1)
    for i in range(rows):
        when = f"{day:%d/%m/%Y} 10:15:00 AM"
        line = [str(90_000_000 + i), "4401", when, when, "An individual"]
        for _ in priorities:
            line += [rng.choice(AGREEMENT), comment(rng) if rng.random() < 0.3 else ""]
        writer.writerow([*line, comment(rng)])
    return out.getvalue().encode()


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def at_scale(window, officer, client, rng: random.Random, size: int) -> dict[str, float]:
    """The downloads, the import and the suggestions at `size` responses, in ms."""
    from consultation import workflow
    from consultation.imports import check_rows, guess_mapping, read_csv
    from consultation.suggestions import suggest_themes
    from consultation.workflow.importing import already_imported

    found = {}
    csv_url = f"/consultations/{window.pk}/responses.csv"
    found["responses CSV"], _ = timed(lambda: b"".join(client.get(csv_url).streaming_content))
    export = f"/strategies/{window.strategy.slug}/export.json"
    found["JSON export"], _ = timed(lambda: b"".join(client.get(export).streaming_content))

    data = survey_csv(window, size, rng)

    def read_and_check():
        upload = read_csv(data, "survey.csv")
        mapping = guess_mapping(upload, window.consulted_priorities)
        return (
            upload,
            mapping,
            check_rows(
                upload, mapping, window, window.consulted_priorities, already_imported(window)
            ),
        )

    found[f"import: read and check {size:,} rows"], (upload, mapping, checked) = timed(
        read_and_check
    )
    assert not checked.refused, checked.refused[:3]
    source = workflow.ImportedFile(
        file_name=upload.name,
        sha256=upload.sha256,
        tool=mapping.tool,
        mapping=mapping.described(upload.columns),
        rows=len(upload.rows),
    )
    found[f"import: add {size:,} rows"], _ = timed(
        lambda: workflow.import_responses(window, officer, source, checked.good)
    )
    texts = [
        (pk, text)
        for pk, text in window.responses.order_by("pk").values_list("pk", "general_comments")[:size]
    ]
    found[f"theme suggestions, {size:,} comments"], _ = timed(lambda: suggest_themes(texts))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", default=str(ROOT / "bench" / "consultations.json"))
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='waymark-bench-')}/bench.sqlite3"
    configure(url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench import data

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    data.grow_to(1)
    users = data.setup_people()["users"]
    window = window_with_priorities()
    clients = {}
    for role in ["officer", "manager", "administrator"]:
        clients[role] = Client()
        clients[role].force_login(users[role])
    rng = random.Random(2026)
    rows = []
    print(f"{connection.vendor}: responses page, first view, against the admin's change list")
    print(f"{'responses':>10} {'queries':>8} {'ms':>8} {'admin queries':>14} {'admin ms':>9}")
    for size in args.sizes:
        grow_responses(window, size, rng)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        (queries, ms), (admin_queries, admin_ms) = measure(
            [
                (clients["manager"], f"/consultations/{window.pk}/responses/"),
                (clients["administrator"], "/admin/consultation/response/"),
            ],
            args.runs,
        )
        rows.append(
            {
                "responses": size,
                "queries": queries,
                "first_view_ms": round(ms, 1),
                "admin_queries": admin_queries,
                "admin_ms": round(admin_ms, 1),
            }
        )
        print(f"{size:>10} {queries:>8} {ms:>8.1f} {admin_queries:>14} {admin_ms:>9.1f}")
    scale = at_scale(window, users["officer"], clients["manager"], rng, args.sizes[-1])
    for name, ms in scale.items():
        print(f"{name:<40} {ms:>9.0f} ms")
    result = {"database": connection.vendor, "pages": rows, "at_scale_ms": scale}
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
