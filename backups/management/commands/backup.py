"""manage.py backup <folder>: the database, the media files and a manifest, in a new folder."""

from __future__ import annotations

import datetime
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.template.defaultfilters import filesizeformat

from backups import databases, manifest
from backups.databases import BackupError
from backups.manifest import MEDIA, ManifestError


def prepare(folder: Path) -> bool:
    """Make `folder` ready for a backup; whether it was created here. A folder with anything in
    it is refused: a backup never overwrites or mixes with another."""
    if folder.exists() and not folder.is_dir():
        raise CommandError(f"{folder} is a file, not a folder: give a new or empty folder.")
    try:
        if folder.is_dir():
            if any(folder.iterdir()):
                raise CommandError(
                    f"The folder {folder} is not empty: give a new or empty folder (a backup "
                    f"never overwrites another or mixes with other files)."
                )
            folder.chmod(0o700)  # only its owner may read it, as a folder made here
            return False
        # Only its owner may read it: a backup holds password hashes and sign-in secrets.
        folder.mkdir(parents=True, mode=0o700)
        return True
    except OSError as error:
        raise CommandError(f"Cannot use the folder {folder}: {error.strerror or error}.") from None


def media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", "")
    return Path(root).resolve() if root else None


def clear(folder: Path, created: bool) -> None:
    """Take away a failed backup's files (the folder was new or empty: they are all ours)."""
    if created:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for path in folder.iterdir():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump --format=custom; SQLite: the online backup "
        "API), the media files (MEDIA_ROOT) and a manifest of them (migrations, rows of each "
        "model, every file's size and SHA-256, signed under the audit key) into a new or empty "
        "folder. Restore with manage.py restore <folder>."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A new or empty folder to write the backup into.")

    def handle(self, *args, folder: str, **options) -> None:
        target = Path(folder).expanduser().resolve()
        media = media_root()
        if media is not None and (target == media or media in target.parents):
            raise CommandError(
                f"The backup folder {target} is inside MEDIA_ROOT ({media}): a backup would "
                f"copy itself. Choose a folder outside it."
            )
        created = prepare(target)
        started = time.monotonic()
        try:
            summary = self.back_up(target, media)
        except (BackupError, ManifestError, DatabaseError, OSError) as error:
            clear(target, created)
            raise CommandError(f"Backup failed, nothing kept: {error}") from None
        except BaseException:
            clear(target, created)
            raise
        self.stdout.write(
            self.style.SUCCESS(f"{summary} to {target} in {time.monotonic() - started:.1f} s.")
        )

    def back_up(self, target: Path, media: Path | None) -> str:
        vendor = connection.vendor
        if vendor not in manifest.DATABASE_FILES:
            raise BackupError(f"Backups are made of PostgreSQL and SQLite, not {vendor}.")
        file_name = manifest.DATABASE_FILES[vendor]
        created_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        database, (migrations, counts) = databases.dump(connection, target, file_name)
        media_count = 0
        if media is not None and media.is_dir():
            shutil.copytree(media, target / MEDIA)
            media_count = sum(1 for path in (target / MEDIA).rglob("*") if path.is_file())
        files = manifest.describe(target)
        record = {
            "format": manifest.FORMAT,
            "format_version": manifest.FORMAT_VERSION,
            "created_at": created_at.isoformat().replace("+00:00", "Z"),
            "database": {
                "vendor": vendor,
                "name": Path(str(connection.settings_dict.get("NAME") or "")).name,
                "file": file_name,
                **database,
            },
            "migrations": migrations,
            "counts": counts,
            "files": files,
        }
        signed = manifest.sign(record)
        manifest.write(target, record)
        size = sum(entry["size"] for entry in files if entry["path"].startswith(f"{MEDIA}/"))
        media_text = (
            f"{media_count} media file{'s' if media_count != 1 else ''} "
            f"({filesizeformat(size)})".replace("\xa0", " ")
            if media_count
            else "no media files"
        )
        return (
            f"Backed up the {manifest.vendor_name(vendor)} database "
            f"“{record['database']['name']}” ({sum(counts.values()):,} rows in "
            f"{len(counts)} tables of ours, {len(migrations)} migrations) and {media_text}, "
            f"manifest {'signed' if signed else 'unsigned (no audit key)'},"
        )
