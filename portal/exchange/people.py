"""The shared rows a strategy's file names, brought in first: organisations (matched on their
address, created when not here) and people (matched on their username, created inactive and
without a password so that records can name them)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from strategies.models import Organisation, User

from .rows import (
    ORGANISATION,
    ORGANISATION_FIELDS,
    USER,
    USER_FIELDS,
    ExchangeError,
    Importer,
    _list,
    _messages,
    stored_value,
)


def import_organisations(importer: Importer, rows: Any) -> None:
    for row in _list(rows, "organisations"):
        what = f"Organisation {row.get('id') if isinstance(row, dict) else row!r}"
        old = importer.source_id(row, what)
        slug, name = row.get("slug"), row.get("name")
        existing = Organisation.objects.filter(slug=slug).first()
        if existing is None:
            if Organisation.objects.filter(name=name).exists():
                raise ExchangeError(
                    f"{what}: an organisation called “{name}” is here with another address than "
                    f"“{slug}”. Give them the same address first."
                )
            field = Organisation._meta.get_field
            existing = Organisation(
                **{n: stored_value(field(n), row[n], what) for n in ORGANISATION_FIELDS if n in row}
            )
            try:
                existing.full_clean()
            except ValidationError as error:
                raise ExchangeError(f"{what}: {_messages(error)}") from None
            importer.note_created(existing)
            existing.save()
            importer.notes.append(f"Organisation “{name}” created.")
        importer.ids[ORGANISATION][old] = existing.pk


def import_users(importer: Importer, rows: Any) -> None:
    for row in _list(rows, "users"):
        what = f"User {row.get('id') if isinstance(row, dict) else row!r}"
        old = importer.source_id(row, what)
        user = User.objects.filter(username=row.get("username")).first()
        if user is None:
            # Created so that records can name them, but unable to sign in until an
            # administrator gives them a password and makes them active.
            user = User(
                **{name: row.get(name) or "" for name in USER_FIELDS if name != "is_active"},
                organisation_id=importer.ref(ORGANISATION, row.get("organisation"), what),
                email=row.get("email") or "",
                is_active=False,
            )
            user.set_unusable_password()
            try:
                user.full_clean(exclude=["password"])
            except ValidationError as error:
                raise ExchangeError(f"{what}: {_messages(error)}") from None
            importer.note_created(user)
            user.save()
            importer.notes.append(
                f"User “{user.username}” created, inactive and without a password."
            )
        importer.ids[USER][old] = user.pk
