"""A backup folder's manifest (`manifest.json`): what the backup holds and how to check it.

It records Waymark's backup format version, when the backup was made (UTC), the database's
vendor and the tool that dumped it, the migrations applied, the number of rows of each of our
models, and every file of the backup with its size and SHA-256. When the audit key is
configured (`settings.AUDIT_KEY`) the manifest is signed: HMAC-SHA256 of its canonical JSON
under a key derived from the audit key, so that someone who can write to the backups but does
not hold the key cannot change a file and the manifest to match.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings

FORMAT = "waymark-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
SIGNATURE = "HMAC-SHA256"


class ManifestError(ValueError):
    """The manifest is missing, unreadable, of another format, or does not match the files."""


def vendor_name(vendor: str) -> str:
    return VENDOR_NAMES.get(vendor, vendor)


# Our models and their rows.


def our_tables() -> list[tuple[str, str]]:
    """(label, table) of every model of ours with a table of its own: the models of the apps
    whose package is in the project's folder, history and many-to-many tables included."""
    base = Path(settings.BASE_DIR).resolve()
    tables = {}
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent != base:
            continue
        for model in config.get_models(include_auto_created=True):
            meta = model._meta
            if meta.managed and not meta.proxy and not meta.swapped:
                tables.setdefault(meta.db_table, meta.label)
    return sorted((label, table) for table, label in tables.items())


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_facts(cursor, tables: set[str]) -> tuple[list[list[str]], dict[str, int]]:
    """The migrations applied and the rows of each of our models, read through `cursor` (of
    the database or of a copy of it) whose tables are `tables`."""
    migrations = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = sorted([str(app), str(name)] for app, name in cursor.fetchall())
    counts = {}
    for label, table in our_tables():
        if table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[label] = int(cursor.fetchone()[0])
    return migrations, counts


# Files.


def sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def files_in(folder: Path) -> list[str]:
    """Every file in the backup folder but the manifest, as relative POSIX paths, sorted."""
    found = []
    for path in folder.rglob("*"):
        if path.is_symlink():
            raise ManifestError(f"{path.relative_to(folder)} is a symbolic link: not a backup's.")
        if path.is_file():
            found.append(path.relative_to(folder).as_posix())
    return sorted(name for name in found if name != MANIFEST)


def describe(folder: Path) -> list[dict[str, Any]]:
    return [
        {"path": name, "size": (folder / name).stat().st_size, "sha256": sha256(folder / name)}
        for name in files_in(folder)
    ]


def file_problems(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Each file of the folder that differs from the manifest, named with how."""
    listed = {entry["path"]: entry for entry in manifest["files"]}
    present = set(files_in(folder))
    problems = [f"{name}: missing" for name in sorted(listed.keys() - present)]
    problems += [f"{name}: not in the manifest" for name in sorted(present - listed.keys())]
    for name in sorted(present & listed.keys()):
        size = (folder / name).stat().st_size
        if size != listed[name]["size"]:
            problems.append(f"{name}: {size} bytes, the manifest says {listed[name]['size']}")
        elif sha256(folder / name) != listed[name]["sha256"]:
            problems.append(f"{name}: its content differs from the manifest (SHA-256)")
    return problems


# Signing.


def _signing_key() -> bytes | None:
    key = getattr(settings, "AUDIT_KEY", None)
    if not key:
        return None
    if isinstance(key, str):
        key = key.encode()
    # A key of its own, derived from the audit key: a manifest's signature can never stand for
    # an audit seal, or the other way round.
    return hmac.new(key, b"waymark backup manifest", hashlib.sha256).digest()


def _canonical(manifest: dict[str, Any]) -> bytes:
    unsigned = {key: value for key, value in manifest.items() if key != "signature"}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _key_id(key: bytes) -> str:
    return hmac.new(key, b"key id", hashlib.sha256).hexdigest()[:16]


def sign(manifest: dict[str, Any]) -> bool:
    """Sign the manifest if the audit key is configured; whether it was."""
    key = _signing_key()
    if key is None:
        return False
    value = hmac.new(key, _canonical(manifest), hashlib.sha256).hexdigest()
    manifest["signature"] = {"algorithm": SIGNATURE, "key_id": _key_id(key), "value": value}
    return True


def signature_problem(manifest: dict[str, Any], skip: bool = False) -> str | None:
    """Why the manifest's signature cannot be trusted, or None. `skip` accepts the cases where it
    cannot be checked (no signature, or no key here), never a signature that does not match."""
    key, signature = _signing_key(), manifest.get("signature")
    if signature is None:
        if key is None or skip:
            return None
        return (
            "The manifest is not signed, and an audit key is configured here: a backup made "
            "under a key is always signed, so its signature may have been removed. If the backup "
            "was made before WAYMARK_AUDIT_KEY was set, restore it with --skip-signature."
        )
    if not isinstance(signature, dict) or signature.get("algorithm") != SIGNATURE:
        return "The manifest's signature is not one Waymark makes (HMAC-SHA256)."
    if key is None:
        if skip:
            return None
        return (
            "The manifest is signed, but no audit key is configured here to check it: set "
            "WAYMARK_AUDIT_KEY to the key the backup was made under (verify_audit needs it "
            "too), or restore with --skip-signature."
        )
    if not hmac.compare_digest(str(signature.get("key_id", "")), _key_id(key)):
        return (
            "The manifest was signed under another audit key than the one configured here: "
            "set WAYMARK_AUDIT_KEY to the key the backup was made under."
        )
    expected = hmac.new(key, _canonical(manifest), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(str(signature.get("value", "")), expected):
        return "The manifest's signature does not match: it was changed after the backup."
    return None


# Reading and writing.


def write(folder: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")


def _is_safe(name: Any) -> bool:
    if not isinstance(name, str) or not name or "\\" in name or name == MANIFEST:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "." not in path.parts


def read(folder: Path) -> dict[str, Any]:
    """The manifest of the backup in `folder`, its shape checked."""
    path = folder / MANIFEST
    if not path.is_file():
        raise ManifestError(f"There is no {MANIFEST} in {folder}: is it a Waymark backup?")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"{path} is not readable JSON ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ManifestError(f"{path} is not the manifest of a Waymark backup.")
    version = manifest.get("format_version")
    if not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
        raise ManifestError(
            f"The backup is in format version {version!r}; this Waymark reads versions 1 to "
            f"{FORMAT_VERSION}: restore it with the Waymark that made it, or a newer one."
        )
    database = manifest.get("database")
    files = manifest.get("files")
    well_formed = (
        isinstance(manifest.get("created_at"), str)
        and isinstance(database, dict)
        and database.get("vendor") in DATABASE_FILES
        and isinstance(files, list)
        and all(
            isinstance(entry, dict)
            and _is_safe(entry.get("path"))
            and isinstance(entry.get("size"), int)
            and isinstance(entry.get("sha256"), str)
            for entry in files
        )
        and isinstance(manifest.get("migrations"), list)
        and all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)
            for pair in manifest["migrations"]
        )
        and isinstance(manifest.get("counts"), dict)
        and all(isinstance(n, int) for n in manifest["counts"].values())
    )
    if not well_formed:
        raise ManifestError(f"{path} is incomplete or malformed: it cannot be checked.")
    return manifest
