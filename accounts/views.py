"""Signing in (the password at `/accounts/login/`, then, for those who turned it on, the code at
`/accounts/login/code/`) and a person's own two-factor settings (`/account/two-factor/`)."""

from __future__ import annotations

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import two_factor

User = get_user_model()


# Two-factor sign-in ---------------------------------------------------------------------------

PENDING = "two_factor_pending"  # in the session between the password and the code
SETUP = "two_factor_setup"  # the secret being set up, until a code confirms it


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        help_text="Six digits. A new code appears every 30 seconds; each works once.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError("Enter the six digits your app shows, such as 123 456.")
        return code


class ConfirmedCodeForm(CodeForm):
    """A code, and the password again: a session left signed in is not enough to change how
    its owner signs in."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "code"]

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class TurnOffForm(ConfirmedCodeForm):
    reason = forms.CharField(
        label="Why are you turning it off?",
        required=False,
        max_length=500,
        help_text="Kept in the history of your account, e.g. “New phone: setting it up again”.",
    )


class SignInView(auth_views.LoginView):
    """The password, then, for people who have turned two-factor sign-in on, the code: they are
    not signed in until the code is right."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not user.two_factor:
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "since": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("sign-in-code")


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in page. The admin signs in through Waymark's own page, so that two-factor
    sign-in applies there. Someone signed in already, whom the admin does not let in (only
    administrators use it), is told so: sending them to sign in again would bring them straight
    back here, round and round."""
    user = request.user
    if user.is_authenticated and user.is_active and user.is_staff:
        return redirect("admin:index")  # signed in already, as Django's own page would
    if user.is_authenticated:
        raise PermissionDenied("The Django admin is for administrators.")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('login')}?{query}" if query else reverse("login"))


def _pending_user(request) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING) or {}
    if (
        not pending
        or time.time() - pending.get("since", 0) > two_factor.CODE_WITHIN.total_seconds()
    ):
        return None, {}
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


def _codes_paused(request, user: User) -> HttpResponse | None:
    """The lockout page if sign-in is paused for `user` here (too many wrong passwords or codes
    from this address: django-axes) or anywhere (too many wrong codes in a row)."""
    credentials = {"username": user.username}
    if AxesProxyHandler.is_locked(request, credentials) or two_factor.paused(user):
        request.session.pop(PENDING, None)
        return get_lockout_response(request, credentials=credentials)
    return None


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.error(
            request, "Sign in again: the code must follow the password within 5 minutes."
        )
        return redirect(settings.LOGIN_URL)
    if refusal := _codes_paused(request, user):
        return refusal
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid() and two_factor.use_code(user, form.cleaned_data["code"]):
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
        if form.is_valid():
            form.add_error(
                "code",
                "That code is not right, or has been used. Enter the code your app shows now.",
            )
            # Counted with failed passwords (django-axes): enough of them pause sign-in.
            user_login_failed.send(
                sender=__name__, credentials={"username": user.username}, request=request
            )
            if refusal := _codes_paused(request, user):
                return refusal
    else:
        form = CodeForm()
    form.fields["code"].widget.attrs["autofocus"] = True  # the page asks for nothing else
    return render(request, "registration/sign_in_code.html", {"form": form})


@never_cache
@login_required
@sensitive_post_parameters("code", "password")
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    data = request.POST if request.method == "POST" else None
    if user.two_factor:
        if two_factor.paused(user):
            return get_lockout_response(request, credentials={"username": user.username})
        form = TurnOffForm(user, data)
        if request.method == "POST" and form.is_valid():
            if two_factor.use_code(user, form.cleaned_data["code"]):
                two_factor.turn_off(user, form.cleaned_data["reason"] or "Turned off by its owner")
                messages.success(
                    request, "Two-factor sign-in is off: your password alone signs you in."
                )
                return redirect("account-two-factor")
            form.add_error("code", "That code is not right, or has been used. Try the next one.")
        return render(request, "accounts/two_factor.html", {"form": form})
    secret = request.session.get(SETUP) or two_factor.new_secret()
    request.session[SETUP] = secret
    form = ConfirmedCodeForm(user, data)
    if request.method == "POST" and form.is_valid():
        if two_factor.turn_on(user, secret, form.cleaned_data["code"]):
            del request.session[SETUP]
            messages.success(
                request, "Two-factor sign-in is on: from now on you sign in with a code as well."
            )
            return redirect("account-two-factor")
        form.add_error(
            "code",
            "That code does not match. Check that your app has the key below, and that your "
            "phone's clock is right, then enter the code it shows now.",
        )
    address = two_factor.setup_address(user, secret)
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "qr_code": two_factor.qr_code(address), "key": two_factor.spaced(secret)},
    )
