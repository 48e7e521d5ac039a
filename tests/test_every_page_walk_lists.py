"""The browser's walk of every page (tests/browser/test_every_page_accessible.py), the parts of
it that need no browser: its list of what is not a page names only views of the permission
matrix, and working out the order of the walk leaves the world it walks as it was. Here rather
than beside the walk, so that they run where Chromium is missing and without the walk's
server."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.db import models

from tests.browser.test_every_page_accessible import NOT_PAGES, in_walking_order, visits
from tests.test_permissions import MATRIX, matrix_world


def test_the_walk_skips_only_what_the_matrix_has():
    assert set(NOT_PAGES) <= set(MATRIX), "the list names views that are gone"


def _objects(world) -> dict[str, models.Model]:
    """The model objects the world holds, by where it holds them ("meeting", "people.officer")."""
    found = {}
    for part in dataclasses.fields(world):
        value = getattr(world, part.name)
        if isinstance(value, models.Model):
            found[part.name] = value
        elif isinstance(value, dict):
            found |= {
                f"{part.name}.{key}": item
                for key, item in value.items()
                if isinstance(item, models.Model)
            }
    return found


def _fields(world) -> dict[str, dict]:
    """Every field of every object the world holds, as it holds them in memory."""
    return {
        where: {f.attname: getattr(obj, f.attname) for f in obj._meta.fields}
        for where, obj in _objects(world).items()
    }


def _moves_the_meeting(world) -> dict:
    """A row whose arguments change the world's objects in memory, as a helper may."""
    world.meeting.starts_at += datetime.timedelta(days=7)
    world.meeting.save()
    world.scheduled_gate.note = "Moved with its meeting"
    world.scheduled_gate.save()
    return {}


@pytest.mark.django_db
def test_working_out_the_walking_order_leaves_the_world_as_it_was(monkeypatch):
    """Each row's URL arguments are made and rolled back to see the state they leave; what
    they change on the world's objects in memory must go with the rollback, or the walk would
    open later pages with a world its database no longer has (a meeting moved, a gate changed,
    the strategy adopted)."""
    monkeypatch.setitem(MATRIX, "moves-the-meeting", ("get", _moves_the_meeting, ""))
    world = matrix_world()
    before = _fields(world)
    in_walking_order(world, ["moves-the-meeting", *sorted(visits())])
    after = _fields(world)
    changed = {key: value for key, value in after.items() if before.get(key) != value}
    assert not changed, changed
