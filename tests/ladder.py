"""The access ladder every protected view is tested with: anonymous, each role, another
organisation, and the people allowed. `expected` maps persona fixture names to status codes."""

from __future__ import annotations

from django.test import Client

from tests.conftest import client_for


def climb(request, url: str, expected: dict[str, int], method: str = "get", data=None) -> None:
    anonymous = getattr(Client(), method)(url, data or {})
    assert anonymous.status_code == 302, f"anonymous got {anonymous.status_code} at {url}"
    assert anonymous["Location"].startswith("/accounts/login/")
    for persona, status in expected.items():
        user = request.getfixturevalue(persona)
        response = getattr(client_for(user), method)(url, data or {})
        assert response.status_code == status, (
            f"{persona} got {response.status_code}, expected {status}, at {method.upper()} {url}"
        )


READERS = {"officer": 200, "secretary": 200, "manager": 200, "administrator": 200}
EDITORS_ONLY = {
    "other_officer": 404,  # another organisation's draft does not exist for them
    "secretary": 403,
    "manager": 403,
    "administrator": 403,
}
