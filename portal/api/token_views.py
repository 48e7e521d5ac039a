"""A person's API tokens (`/account/api-tokens/`): made with a name and an optional expiry,
shown once, listed with when each was last used, and revoked. Each person sees and revokes only
their own."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ..models import ApiToken
from .tokens import create_token, revoke_token


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "expires_on"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"})}

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("Choose today or a later day.")
        return day


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The list and the form; a token just made is shown on the answer to its form, once."""
    created = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            token, created = create_token(
                request.user, form.cleaned_data["name"], form.cleaned_data["expires_on"]
            )
            form = TokenForm()
    else:
        form = TokenForm()
    return render(
        request,
        "portal/api_tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": ApiToken.objects.filter(user=request.user),
            "api_root": request.build_absolute_uri("/api/v1/"),
            "docs": reverse("api:openapi-view"),
        },
    )


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if revoke_token(token, by=request.user):
        messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    else:
        messages.info(request, f"The token “{token.name}” was already revoked.")
    return redirect("account-api-tokens")
