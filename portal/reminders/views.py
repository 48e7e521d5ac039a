"""A person's choice of reminder emails (`/account/reminders/`), with the last few sent to them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from strategies.models import ReminderKind, SentReminder

from .sending import WHO_GETS, set_preferences, wanted_kinds

RECENT = 10


class ReminderPreferencesForm(forms.Form):
    """A checkbox per kind of reminder, ticked while it is on, and the reason for a change."""

    reason = forms.CharField(
        label="Why are you changing your reminders?",
        required=False,
        max_length=500,
        widget=forms.TextInput(),
        help_text="Kept in the history of your settings, e.g. “I follow the agenda in Modern.gov”.",
    )

    def __init__(self, wanted: dict[str, bool], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.wanted = wanted
        reason = self.fields.pop("reason")
        for kind, label in ReminderKind.choices:
            self.fields[kind] = forms.BooleanField(
                label=label, required=False, initial=wanted[kind], help_text=WHO_GETS[kind]
            )
        self.fields["reason"] = reason

    def changed_kinds(self) -> list[str]:
        return [k for k in ReminderKind.values if self.cleaned_data.get(k) != self.wanted[k]]

    def clean(self):
        data = super().clean()
        if self.changed_kinds() and not data.get("reason", "").strip():
            self.add_error("reason", "Say why you are changing your reminders.")
        return data


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    wanted = wanted_kinds(user)
    if request.method == "POST":
        form = ReminderPreferencesForm(wanted, request.POST)
        if form.is_valid():
            changed = set_preferences(
                user,
                {kind: form.cleaned_data[kind] for kind in ReminderKind.values},
                form.cleaned_data["reason"] or "No change",
                by=user,
            )
            if changed:
                messages.success(request, "Your reminder choices are saved.")
            else:
                messages.info(request, "Nothing changed: your reminders are as they were.")
            return redirect("account-reminders")
    else:
        form = ReminderPreferencesForm(wanted)
    recent = SentReminder.objects.filter(recipient=user).order_by("-sent_at", "-pk")[:RECENT]
    return render(
        request,
        "portal/reminder_preferences.html",
        {"form": form, "recent": recent, "has_email": bool(user.email)},
    )
