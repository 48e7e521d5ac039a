"""The admin's date drill-down (`date_hierarchy`) kept from a 500 on impossible dates, for
Waymark's admins (through SafeActionsMixin, strategies/admin.py) and django-axes' alike."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class SafeDatesChangeList(ChangeList):
    """Django's change list, but a date drill-down (`?sent_at__year=…`) outside the years a date
    can hold is the admin's "bad filter" answer (?e=1), as a word there is, not a 500: Django
    turns the year into a date, and a year after 9998 or a month of 99 overflows."""

    def get_filters(self, request):
        if self.date_hierarchy:
            for part, most in (("year", 9998), ("month", 12), ("day", 31)):
                value = self.params.get(f"{self.date_hierarchy}__{part}")  # the last given
                if value is not None and not (
                    value.isascii()
                    and value.isdigit()
                    and len(value) < 5
                    and 1 <= int(value) <= most
                ):
                    raise IncorrectLookupParameters(f"No such {part}: {value}")
        return super().get_filters(request)


class SafeDatesMixin:
    def get_changelist(self, request, **kwargs):
        return SafeDatesChangeList


def guard_axes_admins() -> None:
    """django-axes registers its sign-in records' admins before ours (INSTALLED_APPS): they get
    the same guard. Called once, from strategies/admin.py."""
    for model, model_admin in list(admin.site._registry.items()):
        if model._meta.app_label == "axes" and not isinstance(model_admin, SafeDatesMixin):
            admin.site.unregister(model)
            guarded = type(type(model_admin).__name__, (SafeDatesMixin, type(model_admin)), {})
            admin.site.register(model, guarded)
