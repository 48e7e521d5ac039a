"""Two app processes on one PostgreSQL database, two officers editing the same strategy at the
same time through the browser's form: every save the server accepts is in the history, the
rest are refused as conflicts, and nothing is silently overwritten."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from strategies.models import Strategy

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]
ROOT = Path(__file__).resolve().parents[2]
EDITOR = """
import re, sys
import django
django.setup()
from django.test import Client
from strategies.models import User
client = Client()
client.force_login(User.objects.get(username=sys.argv[1]))
url = "/strategies/" + sys.argv[2] + "/edit/"
saved = []
for n in range(int(sys.argv[3])):
    page = client.get(url).content.decode()
    version = re.search(r'name="version" value="(\\d+)"', page).group(1)
    vision = sys.argv[1] + " edit " + str(n)
    answer = client.post(url, {"title": "Shared", "start_year": 2026, "end_year": 2030,
                               "top_level_term": "priority", "vision": vision,
                               "version": version})
    assert answer.status_code in (200, 302), answer.status_code
    if answer.status_code == 302:
        saved.append(vision + "|" + version)
print("\\n".join(saved))
"""


def test_no_lost_update_between_two_processes(officer, second_officer, strategy):
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", EDITOR, user.username, strategy.slug, "15"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for user in (officer, second_officer)
    ]
    saved = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        saved += [line for line in out.splitlines() if " edit " in line]
    bases = [line.split("|")[1] for line in saved]
    # no two accepted saves were made from the same version: none overwrote the other unseen
    assert len(set(bases)) == len(bases)
    saved = [line.split("|")[0] for line in saved]
    strategy.refresh_from_db()
    in_history = list(
        Strategy.history.filter(id=strategy.pk, vision__contains=" edit ").values_list(
            "vision", flat=True
        )
    )
    assert sorted(in_history) == sorted(saved)  # every accepted save is in the history
    assert strategy.vision in saved and strategy.version == 1 + len(saved)
    assert 0 < len(saved) <= 30
