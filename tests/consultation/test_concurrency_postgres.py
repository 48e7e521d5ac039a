"""On PostgreSQL, many people responding at once: every response is stored."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from consultation.models import Response

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL concurrency"),
]


def test_concurrent_submissions_are_all_stored(open_window):
    url = reverse("consultation:public", kwargs={"slug": open_window.slug})
    priorities = open_window.revision.content["priorities"]
    people = 24
    start = threading.Barrier(people, timeout=20)
    statuses: list[int] = []

    def respond(n: int) -> None:
        try:
            client = Client(REMOTE_ADDR=f"10.1.0.{n}")
            data = {
                "respondent_type": "individual",
                "consent": "on",
                "general_comments": f"Response number {n}",
            }
            for p in priorities:
                data[f"agree_{p['id']}"] = str(1 + n % 5)
            start.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=respond, args=(n,)) for n in range(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert statuses == [302] * people
    stored = Response.objects.filter(window=open_window)
    assert stored.count() == people
    assert len(set(stored.values_list("reference", flat=True))) == people
    assert {f"Response number {n}" for n in range(people)} == set(
        stored.values_list("general_comments", flat=True)
    )
