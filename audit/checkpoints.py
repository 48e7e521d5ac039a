"""Checkpoints: the ledger's head kept outside the database, where whoever can write to the
database cannot reach it. `manage.py audit_checkpoint` writes one (run it on the schedule, see
README *Audit ledger*) to a folder the auditor keeps and, when configured, by email; `manage.py
verify_audit --checkpoint FILE` then shows if any entry up to it has gone or changed, which the
chain alone cannot show for the newest entries (removing the last entries leaves a shorter
chain that is still whole).

A checkpoint is signed with the audit key, so one cannot be made up to match a shortened ledger.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .models import Entry
from .verify import Finding

FORMAT = "waymark-audit-checkpoint/1"


def _signature(body: dict, key: bytes | None = None) -> str:
    message = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key or settings.AUDIT_KEY, message, hashlib.sha256).hexdigest()


def make() -> dict:
    """The ledger's head now, signed."""
    sealed = Entry.objects.filter(seq__isnull=False).order_by("-seq")
    head = sealed.values_list("seq", "seal").first() or (0, "")
    body = {
        "format": FORMAT,
        "made_at": timezone.now().isoformat(timespec="seconds"),
        "entries": head[0],
        "seal": head[1],
    }
    return {**body, "signature": _signature(body)}


def write(checkpoint: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = checkpoint["made_at"].replace(":", "").replace("+0000", "Z")
    path = folder / f"waymark-audit-{stamp}-entry-{checkpoint['entries']}.json"
    path.write_text(json.dumps(checkpoint, indent=2) + "\n")
    return path


def email(checkpoint: dict, to: str) -> None:
    send_mail(
        f"Waymark audit checkpoint: {checkpoint['entries']} entries",
        "Keep this message: it lets `manage.py verify_audit --checkpoint` show whether any "
        "entry of Waymark's audit ledger up to it has been removed or changed.\n\n"
        + json.dumps(checkpoint, indent=2),
        None,
        [to],
    )


def read(path: Path) -> dict:
    """A checkpoint file's contents; ValueError with the reason when it is not one."""
    try:
        checkpoint = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} cannot be read as a checkpoint: {error}") from None
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != FORMAT:
        raise ValueError(f"{path} is not a Waymark audit checkpoint.")
    return checkpoint


def check(checkpoint: dict, label: str) -> list[Finding]:
    """What the ledger shows against a checkpoint."""
    body = {k: v for k, v in checkpoint.items() if k != "signature"}
    signature = str(checkpoint.get("signature", ""))
    if not hmac.compare_digest(_signature(body), signature):
        return [
            Finding(label, "its signature does not match: it was altered, or made with another key")
        ]
    seq, sealed = checkpoint.get("entries"), checkpoint.get("seal")
    if not seq:
        return []
    entry = Entry.objects.filter(seq=seq).values_list("seal", flat=True).first()
    if entry is None:
        sealed = Entry.objects.filter(seq__isnull=False).order_by("-seq")
        last = sealed.values_list("seq", flat=True).first() or 0
        return [
            Finding(
                label,
                f"the ledger ends at entry {last} but the checkpoint of {checkpoint['made_at']} "
                f"saw entry {seq}: entries {last + 1} to {seq} have been removed",
            )
        ]
    if entry != sealed:
        return [
            Finding(f"Entry {seq}", f"its seal differs from {label}'s: the ledger was rewritten")
        ]
    return []
