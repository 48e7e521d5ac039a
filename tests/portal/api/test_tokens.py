"""A person's API tokens: made on their page and shown once, kept only as a SHA-256, listed with
their last use, revoked by their person only, and ended by their expiry; made and revoked in
the history, the secret never."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.api.tokens import check_token, create_token, revoke_token
from portal.models import ApiToken
from tests.conftest import client_for
from tests.portal.api.conftest import ApiClient

PAGE = "/account/api-tokens/"


@pytest.fixture
def made(officer):
    """The officer makes a token on their page; the page's answer and the token in it."""
    response = client_for(officer).post(PAGE, {"name": "Power BI: gates report"})
    token = response.context["created"]
    return response, token


def test_the_page_is_for_signed_in_people(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_new_token_is_shown_on_the_answer_to_its_form(made):
    response, token = made
    assert response.status_code == 200
    assert token.startswith("wmk_")
    assert token in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_the_token_is_never_shown_again(made, officer):
    _, token = made
    page = client_for(officer).get(PAGE).content.decode()
    assert token not in page
    assert "Power BI: gates report" in page
    row = ApiToken.objects.get()
    assert f"wmk_{row.prefix}_…" in page


def test_only_the_sha256_of_the_secret_is_stored(made):
    _, token = made
    row = ApiToken.objects.get()
    _, prefix, secret = token.split("_", 2)
    assert row.prefix == prefix
    assert row.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiToken.objects.values_list().get())
    assert secret not in stored


def test_making_and_revoking_are_in_the_history_without_the_secret(made, officer):
    _, token = made
    row = ApiToken.objects.get()
    client_for(officer).post(f"{PAGE}{row.pk}/revoke/")
    history = list(row.history.order_by("history_id"))
    assert [h.history_change_reason for h in history] == [
        "API token created",
        f"API token revoked by {officer.display_name}",
    ]
    assert history[-1].revoked_at is not None
    assert history[-1].history_user == officer
    secret = token.split("_", 2)[2]
    for h in history:
        fields = {f.attname for f in h._meta.concrete_fields}
        assert "secret_sha256" not in fields and "last_used_at" not in fields
        assert secret not in " ".join(str(getattr(h, f)) for f in fields)


def test_a_revoked_token_stops_working_at_once(made, officer):
    _, token = made
    assert ApiClient(token).get("/api/v1/strategies").status_code == 200
    response = client_for(officer).post(f"{PAGE}{ApiToken.objects.get().pk}/revoke/")
    assert response.status_code == 302
    refused = ApiClient(token).get("/api/v1/strategies")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This API token was revoked."}


def test_revoking_twice_changes_nothing(officer):
    token, _ = create_token(officer, "Excel")
    assert revoke_token(token, by=officer)
    assert not revoke_token(token, by=officer)
    assert token.history.count() == 2


def test_no_one_revokes_another_persons_token(made, other_officer, manager, administrator):
    row = ApiToken.objects.get()
    for person in (other_officer, manager, administrator):
        assert client_for(person).post(f"{PAGE}{row.pk}/revoke/").status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_each_person_lists_only_their_own_tokens(made, other_officer):
    page = client_for(other_officer).get(PAGE).content.decode()
    assert "Power BI: gates report" not in page
    assert "You have no API tokens yet." in page


def test_an_expired_token_is_refused(officer):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _, token = create_token(officer, "Old report", expires_on=yesterday)
    response = ApiClient(token).get("/api/v1/strategies")
    assert response.status_code == 401
    assert response.json() == {
        "detail": f"This API token expired at the end of {yesterday:%Y-%m-%d}."
    }


def test_a_token_works_through_its_last_day(officer):
    _, token = create_token(officer, "Quarterly", expires_on=timezone.localdate())
    assert ApiClient(token).get("/api/v1/strategies").status_code == 200
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert check_token(token, today=tomorrow).message.startswith("This API token expired")


def test_an_expiry_in_the_past_is_refused_beside_its_field(officer):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for(officer).post(PAGE, {"name": "Report", "expires_on": yesterday})
    assert response.context["form"].errors == {"expires_on": ["Choose today or a later day."]}
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(officer):
    response = client_for(officer).post(PAGE, {"name": ""})
    assert "name" in response.context["form"].errors
    assert response.context["created"] is None


def test_the_last_use_is_kept_without_history(officer):
    row, token = create_token(officer, "Power BI")
    assert row.last_used_at is None
    ApiClient(token).get("/api/v1/strategies")
    row.refresh_from_db()
    assert row.last_used_at is not None
    assert row.history.count() == 1  # the making only
    page = client_for(officer).get(PAGE).content.decode()
    assert "Never" not in page


def test_a_token_of_someone_who_can_no_longer_sign_in_is_refused(officer):
    _, token = create_token(officer, "Power BI")
    officer.is_active = False
    officer.save()
    assert ApiClient(token).get("/api/v1/strategies").status_code == 401


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.text(max_size=120),
    expires_on=st.one_of(st.none(), st.dates().map(str), st.text(max_size=12)),
)
def test_any_input_makes_a_token_or_says_why_not(officer, name, expires_on):
    before = ApiToken.objects.count()
    data = {"name": name} | ({} if expires_on is None else {"expires_on": expires_on})
    response = client_for(officer).post(PAGE, data)
    assert response.status_code == 200
    if response.context["created"]:
        assert ApiToken.objects.count() == before + 1
    else:
        assert ApiToken.objects.count() == before
        assert response.context["form"].errors
