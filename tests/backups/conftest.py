from __future__ import annotations

import pytest
from django.db import connection

from tests.backups.helpers import database_url, postgres_database


@pytest.fixture
def fresh_database(tmp_path):
    """The DATABASE_URL of a new, empty database: on PostgreSQL a database of the test's own,
    dropped after it; on SQLite a new file."""
    if connection.vendor == "postgresql":
        with postgres_database("waymark_restore") as name:
            yield database_url(name)
    else:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test's own MEDIA_ROOT (never the repository's)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
