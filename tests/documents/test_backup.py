"""manage.py backup carries documents' files (under media/, listed in its manifest with the
SHA-256 their versions record), and a restore brings them back so that verify_audit passes."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from documents import workflow
from tests.backups.conftest import fresh_database  # noqa: F401 (fixture)
from tests.backups.helpers import manage
from tests.backups.test_backup_restore import back_up, hashes_in
from tests.documents.conftest import pdf
from tests.world import build


@pytest.mark.django_db(transaction=True)  # committed, as the backup reads the database
def test_a_backup_carries_each_version_and_a_restore_passes_the_audit(
    tmp_path,
    media_root,
    fresh_database,  # noqa: F811 (the fixture imported above)
):
    officer = (world := build()).people["officer"]
    document = workflow.add_document(
        officer, world.strategy, title="The strategy", kind="strategy", upload=pdf("hws.pdf")
    )
    second = workflow.add_version(officer, document, pdf("hws v2.pdf", b"amended"), "Amended")
    versions = [document.versions.get(number=1), second]

    summary = back_up(tmp_path / "backup")

    assert "2 media files" in summary
    record = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert record["counts"]["documents.DocumentVersion"] == 2
    listed = {entry["path"]: entry for entry in record["files"]}
    for version in versions:
        entry = listed[f"media/{version.file.name}"]
        assert (entry["sha256"], entry["size"]) == (version.sha256, version.size)
        copied = (tmp_path / "backup" / "media" / version.file.name).read_bytes()
        assert hashlib.sha256(copied).hexdigest() == version.sha256

    restored_media = tmp_path / "restored-media"
    env = {**os.environ, "DATABASE_URL": fresh_database, "WAYMARK_MEDIA_ROOT": str(restored_media)}
    restored = manage("restore", str(tmp_path / "backup"), env=env)
    assert restored.returncode == 0, restored.stderr
    assert hashes_in(restored_media) == {v.file.name: v.sha256 for v in versions}
    audit = manage("verify_audit", env=env)
    assert audit.returncode == 0, audit.stdout + audit.stderr
