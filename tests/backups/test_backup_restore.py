"""manage.py backup and restore (backups/): a round trip on the database the suite runs on,
restored by another process into a fresh database, and everything a restore refuses."""

from __future__ import annotations

import hashlib
import json
import os
import time
from io import StringIO
from pathlib import Path

import pyotp
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

import config.settings as project_settings
from accounts import two_factor
from accounts.feed_keys import reset_feed_key
from backups import manifest as backup_manifest
from tests.backups.helpers import main_part, manage
from tests.world import build

PASSWORD = "a sign-in that survives the restore 2026"
MEDIA_FILES = {"documents/2026/Board paper.pdf": os.urandom(5000), "notes.txt": b"Minutes\n"}

# Run in the restored database by `manage.py shell -c`: sign in with the password (axes wants a
# request), a current code from the authenticator app, the calendar feed key, and the strategy
# page as the officer sees it. What the test knew before the backup comes in the environment.
CHECK = """
import json, os
import pyotp
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse
from accounts import two_factor
from accounts.feed_keys import feed_user
from tests.backups.helpers import main_part

known = json.loads(os.environ["KNOWN"])
request = RequestFactory().post("/accounts/login/")
user = authenticate(request, username=known["username"], password=known["password"])
code = pyotp.TOTP(known["totp_secret"]).now()
feed = feed_user(known["feed_key"])
client = Client()
client.force_login(user)
page = client.get(reverse("strategy", kwargs={"slug": known["slug"]}))
print("RESULT " + json.dumps({
    "signed_in": user is not None and user.username == known["username"],
    "code_accepted": user is not None and two_factor.use_code(user, code),
    "feed": feed.username if feed else None,
    "status": page.status_code,
    "main": main_part(page.text),
}))
"""


def back_up(folder: Path) -> str:
    out = StringIO()
    call_command("backup", str(folder), stdout=out)
    return out.getvalue()


def restore(folder: Path, *options: str) -> str:
    out = StringIO()
    call_command("restore", str(folder), *options, stdout=out)
    return out.getvalue()


def export(slug: str) -> dict:
    out = StringIO()
    call_command("export_strategy", slug, stdout=out)
    return without_time(out.getvalue())


def without_time(text: str) -> dict:
    document = json.loads(text)
    document.pop("exported_at")  # the one field that says when, not what
    return document


def strategy_page(user, slug: str) -> str:
    client = Client()
    client.force_login(user)
    page = client.get(reverse("strategy", kwargs={"slug": slug}))
    assert page.status_code == 200
    return main_part(page.text)


def put_media(root: Path) -> dict[str, str]:
    for name, content in MEDIA_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return {name: hashlib.sha256(content).hexdigest() for name, content in MEDIA_FILES.items()}


def hashes_in(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def rewrite(folder: Path, change, sign: bool = False) -> None:
    """Change the manifest as someone with the files but (unless `sign`) not the key would."""
    record = json.loads((folder / "manifest.json").read_text())
    change(record)
    if sign:
        backup_manifest.sign(record)
    (folder / "manifest.json").write_text(json.dumps(record))


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_by_another_process_is_the_same(
    settings, tmp_path, media, fresh_database
):
    # The restoring process checks the password with the real hashers, as production would.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    world = build()  # a strategy with content, a recorded decision, a consultation
    officer, slug = world.people["officer"], world.strategy.slug
    officer.set_password(PASSWORD)
    officer.save()
    secret = two_factor.new_secret()
    totp = pyotp.TOTP(secret)
    # Turned on with the code of the step before, so that the current code is still unused.
    assert two_factor.turn_on(officer, secret, totp.generate_otp(int(time.time() // 30) - 1))
    feed_key = reset_feed_key(officer, "A calendar on my phone")
    media_hashes = put_media(media)
    page, document = strategy_page(officer, slug), export(slug)
    assert "Improve wellbeing" in page and "Healthier lifestyles" in page  # its content

    summary = back_up(tmp_path / "backup")

    assert summary.startswith(f"Backed up the {backup_manifest.vendor_name(connection.vendor)}")
    assert "2 media files" in summary and "manifest signed" in summary
    assert len(summary.strip().splitlines()) == 1
    record = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert record["database"]["vendor"] == connection.vendor
    assert record["counts"]["strategies.Strategy"] == 1
    assert record["counts"]["governance.Decision"] == 1
    assert ["strategies", "0001_initial"] in record["migrations"]
    listed = {entry["path"]: entry["sha256"] for entry in record["files"]}
    assert {f"media/{name}": sha for name, sha in media_hashes.items()}.items() <= listed.items()

    restored_media = tmp_path / "restored-media"
    env = {**os.environ, "DATABASE_URL": fresh_database, "WAYMARK_MEDIA_ROOT": str(restored_media)}
    restored = manage("restore", str(tmp_path / "backup"), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "as the manifest says" in restored.stdout and "verify_audit" in restored.stdout
    assert hashes_in(restored_media) == media_hashes

    audit = manage("verify_audit", env=env)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    exported = manage("export_strategy", slug, env=env)
    assert exported.returncode == 0, exported.stderr
    assert without_time(exported.stdout) == document

    known = {"username": officer.username, "password": PASSWORD, "totp_secret": secret}
    known |= {"feed_key": feed_key, "slug": slug}
    checked = manage("shell", "--no-imports", "-c", CHECK, env={**env, "KNOWN": json.dumps(known)})
    assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout.split("RESULT ", 1)[1])
    assert result.pop("main") == page
    assert result == {
        "signed_in": True,
        "code_accepted": True,
        "feed": officer.username,
        "status": 200,
    }


@pytest.mark.django_db
def test_a_tampered_file_is_named_and_the_restore_refused(tmp_path, media):
    put_media(media)
    back_up(tmp_path / "backup")
    database_file = backup_manifest.DATABASE_FILES[connection.vendor]
    dumped = tmp_path / "backup" / database_file
    content = bytearray(dumped.read_bytes())
    content[len(content) // 2] ^= 0xFF  # one byte changed, the size kept
    dumped.write_bytes(bytes(content))
    (tmp_path / "backup" / "media" / "notes.txt").write_bytes(b"Minutes, rewritten\n")
    (tmp_path / "backup" / "media" / "added.txt").write_text("Slipped in")

    with pytest.raises(CommandError) as refused:
        restore(tmp_path / "backup")

    message = str(refused.value)
    assert "Restore refused: 3 file(s) of the backup differ from its manifest" in message
    assert f"{database_file}: its content differs from the manifest (SHA-256)" in message
    assert "media/notes.txt: 19 bytes, the manifest says 8" in message
    assert "media/added.txt: not in the manifest" in message


@pytest.mark.django_db
def test_a_forged_manifest_is_refused(settings, tmp_path, media):
    settings.AUDIT_KEY = b"the audit key of this installation"
    put_media(media)
    back_up(tmp_path / "backup")
    notes = tmp_path / "backup" / "media" / "notes.txt"
    notes.write_bytes(b"Minutes, rewritten\n")

    def cover_up(record):  # the forger fixes the manifest to match, without the key
        entry = next(e for e in record["files"] if e["path"] == "media/notes.txt")
        entry["size"], entry["sha256"] = notes.stat().st_size, backup_manifest.sha256(notes)

    rewrite(tmp_path / "backup", cover_up)
    with pytest.raises(CommandError, match="signature does not match: it was changed"):
        restore(tmp_path / "backup")

    # Nor is a manifest whose signature was taken away, unless asked for knowingly.
    rewrite(tmp_path / "backup", lambda record: record.pop("signature"))
    with pytest.raises(CommandError, match="The manifest is not signed"):
        restore(tmp_path / "backup")
    # Asked for knowingly, it gets past the signature (to the next check, the media folder):
    # the flag is for backups made before there was a key, and says so.
    with pytest.raises(CommandError, match="already has files"):
        restore(tmp_path / "backup", "--skip-signature")

    # A backup made under another key says so.
    back_up(tmp_path / "other")
    settings.AUDIT_KEY = b"a key of another installation"
    with pytest.raises(CommandError, match="signed under another audit key"):
        restore(tmp_path / "other")


@pytest.mark.django_db
def test_an_empty_folder_given_is_made_private_to_its_owner(tmp_path):
    folder = tmp_path / "given"
    folder.mkdir(mode=0o755)
    back_up(folder)
    assert folder.stat().st_mode & 0o777 == 0o700


@pytest.mark.django_db
def test_restore_into_a_database_that_is_not_empty_is_refused(tmp_path):
    back_up(tmp_path / "backup")
    with pytest.raises(CommandError) as refused:
        restore(tmp_path / "backup")  # into the test database, which has every table
    message = str(refused.value)
    assert "Restore refused: the database" in message and "is not empty" in message
    assert "Waymark's among them" in message
    assert ("createdb" if connection.vendor == "postgresql" else "new file") in message


@pytest.mark.django_db
def test_a_backup_of_the_other_vendor_is_refused(tmp_path):
    back_up(tmp_path / "backup")
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    mine, theirs = (backup_manifest.DATABASE_FILES[v] for v in (connection.vendor, other))
    (tmp_path / "backup" / mine).rename(tmp_path / "backup" / theirs)

    def relabel(record):
        record["database"] |= {"vendor": other, "file": theirs}
        next(e for e in record["files"] if e["path"] == mine)["path"] = theirs

    rewrite(tmp_path / "backup", relabel, sign=True)
    with pytest.raises(CommandError) as refused:
        restore(tmp_path / "backup")
    names = [backup_manifest.vendor_name(v) for v in (other, connection.vendor)]
    assert f"a backup of a {names[0]} database, and DATABASE_URL points at {names[1]}" in str(
        refused.value
    )


@pytest.mark.django_db
def test_media_files_are_never_silently_overwritten(tmp_path, media):
    put_media(media)
    back_up(tmp_path / "backup")
    with pytest.raises(CommandError, match=r"MEDIA_ROOT \(.*\) already has files in it"):
        restore(tmp_path / "backup")
    # With --force-media the media pass, and the next check (the database) refuses.
    with pytest.raises(CommandError, match="is not empty"):
        restore(tmp_path / "backup", "--force-media")
    assert hashes_in(media) == {n: hashlib.sha256(c).hexdigest() for n, c in MEDIA_FILES.items()}


def test_backup_into_a_folder_that_is_not_empty_is_refused(tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "last-night.txt").write_text("keep me")
    with pytest.raises(CommandError, match="is not empty: give a new or empty folder"):
        back_up(tmp_path / "backup")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        back_up(tmp_path / "backup" / "last-night.txt")
    assert [p.name for p in (tmp_path / "backup").iterdir()] == ["last-night.txt"]


def test_what_is_not_a_backup_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="There is no folder"):
        restore(tmp_path / "nowhere")
    (tmp_path / "photos").mkdir()
    with pytest.raises(CommandError, match="There is no manifest.json in .*Waymark backup"):
        restore(tmp_path / "photos")
    (tmp_path / "photos" / "manifest.json").write_text("{not json")
    with pytest.raises(CommandError, match="is not readable JSON"):
        restore(tmp_path / "photos")
    (tmp_path / "photos" / "manifest.json").write_text('{"format": "waymark-backup"}')
    with pytest.raises(CommandError, match="format version None"):
        restore(tmp_path / "photos")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's")
@pytest.mark.parametrize(
    "script, refusal",
    [
        (None, "pg_dump is not installed"),
        ("echo 'pg_dump (PostgreSQL) 9.6.24'", "pg_dump is version 9 and the server"),
    ],
)
def test_a_missing_or_older_pg_dump_is_refused(tmp_path, monkeypatch, script, refusal):
    tools = tmp_path / "bin"
    tools.mkdir()
    if script:
        (tools / "pg_dump").write_text(f"#!/bin/sh\n{script}\n")
        (tools / "pg_dump").chmod(0o755)
    monkeypatch.setenv("PATH", str(tools) if script is None else f"{tools}:{os.environ['PATH']}")
    with pytest.raises(CommandError, match=refusal):
        back_up(tmp_path / "backup")
    assert not (tmp_path / "backup").exists()  # a failed backup leaves nothing behind


def test_our_models_are_found_without_importing_our_apps():
    labels = {label for label, _ in backup_manifest.our_tables()}
    assert {"strategies.Strategy", "strategies.HistoricalUser", "governance.Decision"} <= labels
    assert not any(label.startswith(("auth.", "axes.", "sessions.")) for label in labels)
