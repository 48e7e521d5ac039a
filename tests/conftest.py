"""Personas per role and organisation, shared by every test.

The lead organisation ("Dudley") has an officer, a secretary and a manager; another
organisation ("Milton Keynes") has its own officer; the administrator belongs to none.
"""

from __future__ import annotations

import pytest
from django.test import Client

from strategies.models import User
from tests.factories import OrganisationFactory, StrategyFactory, UserFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Every test keeps the files it uploads (documents) in a folder of its own, never the
    repository's media/ folder."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True, scope="session")
def check_prepared_queries():
    """Every prepared query (strategies/prepared.py) is also built afresh from its real values
    and must give the same SQL and parameters; one that cannot be prepared fails."""
    from strategies import prepared

    prepared.CHECK = True
    yield
    prepared.CHECK = False


@pytest.fixture
def forget_prepared_queries():
    """For a test that changes a constant a prepared query is built from: the queries are
    prepared afresh during it and after it."""
    from strategies import prepared

    prepared.forget()
    yield
    prepared.forget()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests sign in many personas.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def lead_org(db):
    return OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Milton Keynes Council", slug="mk")


@pytest.fixture
def officer(lead_org):
    return UserFactory(username="olivia", organisation=lead_org, role=User.Role.OFFICER)


@pytest.fixture
def second_officer(lead_org):
    return UserFactory(username="oscar", organisation=lead_org, role=User.Role.OFFICER)


@pytest.fixture
def other_officer(other_org):
    return UserFactory(username="mo", organisation=other_org, role=User.Role.OFFICER)


@pytest.fixture
def secretary(lead_org):
    return UserFactory(username="sam", organisation=lead_org, role=User.Role.SECRETARY)


@pytest.fixture
def off_route_secretary(lead_org):
    """A secretary of the lead organisation whose bodies are on no strategy's route: sees the
    organisation's strategies but not their consultations' results (consultation.access)."""
    return UserFactory(username="sol", organisation=lead_org, role=User.Role.SECRETARY)


@pytest.fixture
def manager(other_org):
    # A manager of another organisation still reads everything.
    return UserFactory(username="morgan", organisation=other_org, role=User.Role.MANAGER)


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="alex",
        organisation=None,
        role=User.Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def strategy(lead_org):
    return StrategyFactory(lead_organisation=lead_org, title="Dudley Health and Wellbeing Strategy")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def as_read(client, url: str) -> dict[str, str]:
    """The hidden fingerprint of the edit form at `url` as it opens now: what a person's post
    carries back (strategies/concurrency.py FingerprintFormMixin)."""
    return {"fingerprint": client.get(url).context["form"]["fingerprint"].value()}


def downloaded(response) -> str:
    """A download's text, whether it was sent whole or streamed (StreamingHttpResponse)."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def as_user():
    return client_for


# Governance fixtures are shared with the consultation tests, which build on a route.
from tests.governance.conftest import (  # noqa: E402,F401
    board,
    board_gate,
    cabinet,
    cabinet_secretary,
    other_secretary,
)
