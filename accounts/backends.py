"""How a signed-in person is loaded on each request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    """Django's password check, loading the user with their organisation: every page names it
    in the header, so it comes in the same query as the user."""

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related("organisation")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
