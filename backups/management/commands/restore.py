"""manage.py restore <folder>: a backup, checked against its manifest, into an empty database."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from backups import databases, manifest
from backups.databases import BackupError
from backups.manifest import MEDIA, ManifestError, vendor_name


def listed(problems: list[str], most: int = 20) -> str:
    more = f"\n  … and {len(problems) - most} more" if len(problems) > most else ""
    return "".join(f"\n  {problem}" for problem in problems[:most]) + more


class Command(BaseCommand):
    help = (
        "Restore a backup made by manage.py backup into the configured database, which must be "
        "empty, and its media files into MEDIA_ROOT. Every file is checked against the "
        "manifest (and the manifest against its signature) first; the migrations and the rows "
        "of each model are checked after."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup's folder (with its manifest.json).")
        parser.add_argument(
            "--force-media",
            action="store_true",
            help="Restore the media files even though MEDIA_ROOT already has files in it: "
            "files of the same name are replaced, others left.",
        )
        parser.add_argument(
            "--skip-signature",
            action="store_true",
            help="Restore a backup whose signature cannot be checked here (made before the "
            "audit key was set, or with no key configured now). A signature that does not "
            "match is refused all the same.",
        )

    def handle(self, *args, folder: str, force_media=False, skip_signature=False, **options):
        source = Path(folder).expanduser().resolve()
        if not source.is_dir():
            raise CommandError(f"There is no folder {source}: give the backup's folder.")
        try:
            record = self.checked(source, skip_signature)
            media_target = self.media_target(source, force_media)
            self.check_database_is_empty()
            databases.restore(connection, source / record["database"]["file"], record["database"])
            media_count = self.restore_media(source, media_target, record)
            notes = self.check_restored(record)
        except (BackupError, ManifestError) as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            raise CommandError(f"The database refused: {error}".strip()) from None
        except OSError as error:
            raise CommandError(f"{error.strerror or error}: {error.filename or ''}") from None
        rows = sum(record["counts"].values())
        files = "file" if media_count == 1 else "files"
        media_text = f" and {media_count} media {files} into {media_target}" if media_count else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {vendor_name(connection.vendor)} backup of "
                f"{record['created_at']} into “{connection.settings_dict.get('NAME')}”"
                f"{media_text}: {rows:,} rows in {len(record['counts'])} tables and "
                f"{len(record['migrations'])} migrations, as the manifest says."
            )
        )
        for note in notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(
            "Next, check the audit record: python manage.py verify_audit (with --checkpoint "
            "<folder> naming the audit checkpoints kept off the server, to check against them "
            "too)."
        )

    def checked(self, source: Path, skip_signature: bool) -> dict:
        """The manifest, once it, its signature and every file agree."""
        record = manifest.read(source)
        problem = manifest.signature_problem(record, skip=skip_signature)
        if problem:
            raise CommandError(f"Restore refused. {problem}")
        problems = manifest.file_problems(source, record)
        if problems:
            raise CommandError(
                f"Restore refused: {len(problems)} file(s) of the backup differ from its "
                f"manifest, so the backup is damaged or has been altered:{listed(problems)}"
            )
        vendor = record["database"]["vendor"]
        if vendor != connection.vendor:
            raise CommandError(
                f"Restore refused: this is a backup of a {vendor_name(vendor)} database, and "
                f"DATABASE_URL points at {vendor_name(connection.vendor)}. Restore it into "
                f"a {vendor_name(vendor)} database (an empty one)."
            )
        if record["database"].get("file") != manifest.DATABASE_FILES[vendor]:
            raise CommandError("Restore refused: the manifest names no database file of ours.")
        return record

    def media_target(self, source: Path, force: bool) -> Path | None:
        if not (source / MEDIA).is_dir():
            return None
        root = getattr(settings, "MEDIA_ROOT", "")
        if not root:
            raise CommandError(
                "The backup has media files and MEDIA_ROOT is not set: set WAYMARK_MEDIA_ROOT."
            )
        target = Path(root).resolve()
        if target.exists() and not target.is_dir():
            raise CommandError(f"MEDIA_ROOT ({target}) is a file, not a folder: set it to one.")
        if target.exists() and not force and any(p.is_file() for p in target.rglob("*")):
            raise CommandError(
                f"Restore refused: MEDIA_ROOT ({target}) already has files in it, which the "
                f"backup's could overwrite. Point WAYMARK_MEDIA_ROOT at an empty folder, move "
                f"the files away, or give --force-media to replace files of the same name."
            )
        return target

    def check_database_is_empty(self) -> None:
        if connection.vendor == "sqlite":
            folder = databases.sqlite_file(connection).resolve().parent
            if not folder.is_dir():
                raise CommandError(
                    f"The folder of the configured SQLite file, {folder}, is missing."
                )
        try:
            present = databases.tables(connection)
        except DatabaseError as error:
            raise CommandError(
                f"Cannot open the configured database: {str(error).strip()}. "
                f"{databases.how_to_create(connection, exists=False)}"
            ) from None
        if present:
            ours = {table for _, table in manifest.our_tables()} & set(present)
            whose = " (Waymark's among them)" if ours else ""
            raise CommandError(
                f"Restore refused: the database “{connection.settings_dict.get('NAME')}” is not "
                f"empty: it has {len(present)} tables{whose}. A backup is restored only into an "
                f"empty database, so nothing in it is overwritten or mixed. "
                f"{databases.how_to_create(connection)}"
            )

    def restore_media(self, source: Path, target: Path | None, record: dict) -> int:
        if target is None:
            return 0
        shutil.copytree(source / MEDIA, target, dirs_exist_ok=True)
        entries = [e for e in record["files"] if e["path"].startswith(f"{MEDIA}/")]
        wrong = [
            e["path"]
            for e in entries
            if manifest.sha256(target / e["path"].removeprefix(f"{MEDIA}/")) != e["sha256"]
        ]
        if wrong:
            raise BackupError(
                f"The database is restored, but these media files did not copy intact into "
                f"{target}:{listed(wrong)}"
            )
        return len(entries)

    def check_restored(self, record: dict) -> list[str]:
        """The restored database has the manifest's migrations and rows; notes for the reader
        on how its migrations stand against this code's."""
        migrations, counts = databases.facts(connection)
        if migrations != record["migrations"]:
            expected = {tuple(pair) for pair in record["migrations"]}
            found = {tuple(pair) for pair in migrations}
            differ = [f"{a}.{n}: missing" for a, n in sorted(expected - found)]
            differ += [f"{a}.{n}: not in the manifest" for a, n in sorted(found - expected)]
            raise BackupError(
                f"The database is restored, but its migrations differ from the manifest's:"
                f"{listed(differ)}\nDo not use it: empty it and restore again."
            )
        expected_counts = record["counts"]
        wrong = [
            f"{label}: {counts.get(label, 'no table')} rows, the manifest says {rows}"
            for label, rows in sorted(expected_counts.items())
            if counts.get(label) != rows
        ]
        if wrong:
            raise BackupError(
                f"The database is restored, but its rows differ from the manifest's:"
                f"{listed(wrong)}\nDo not use it: empty it and restore again."
            )
        executor = MigrationExecutor(connection)
        notes = []
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            notes.append(
                f"This code has {len(plan)} migration(s) the backup has not: run "
                f"python manage.py migrate before serving it."
            )
        unknown = {tuple(pair) for pair in migrations} - set(executor.loader.disk_migrations)
        unknown = {(app, name) for app, name in unknown if app in executor.loader.migrated_apps}
        if unknown:
            notes.append(
                f"The backup has {len(unknown)} migration(s) this code does not know (it was made "
                f"by a newer Waymark?): run that version's code on it."
            )
        return notes
