"""The API against its own schema: schemathesis sends each operation requests made from the
OpenAPI schema (through the WSGI application, with a valid token) and checks that none gets a
server error and that every answer has a documented status, content type and body. Kept short
(a few examples an operation) so that the suite stays quick. Also: the schema and the
documentation are at their stable addresses, and the documentation loads nothing from a CDN
(what it shows: test_reference.py)."""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.portal.api.conftest import ApiClient, token_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("WAYMARK_API_EXAMPLES", "8"))


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, keeping the test's database connection open between
    requests, as Django's test client does (each request would otherwise close it, and the
    test's transaction with it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("person", ["manager", "officer"])
def test_no_request_the_schema_allows_breaks_the_schema_or_the_server(
    world, person, settings, wsgi_app
):
    settings.API_RATE_LIMIT = 0
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    headers = {"Authorization": f"Bearer {token_for(world.people[person])}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    for operation in operations:
        _run(operation, headers)
    # And the one strategy there is, as its person reads it (404 for who cannot).
    detail = schema["/api/v1/strategies/{slug}"]["GET"]
    case = detail.Case(path_parameters={"slug": world.strategy.slug})
    case.validate_response(case.call(headers=headers), checks=CHECKS)


def _run(operation, headers: dict) -> None:
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    @settings(
        max_examples=EXAMPLES,
        # The same examples on every run, so that CI answers the same for the same code; a longer
        # random sweep: WAYMARK_API_EXAMPLES=200 WAYMARK_API_RANDOM=1.
        derandomize=not os.environ.get("WAYMARK_API_RANDOM"),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.validate_response(case.call(headers=headers), checks=CHECKS)

    check()


def test_the_schema_is_at_its_stable_address(world):
    response = ApiClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/strategies",
        "/api/v1/strategies/{slug}",
        "/api/v1/gates",
        "/api/v1/decisions",
        "/api/v1/meetings",
        "/api/v1/consultations",
        "/api/v1/delivery/actions",
        "/api/v1/delivery/indicator-values",
    }
    for path in schema["paths"].values():
        assert set(path) == {"get"}  # read only
        assert path["get"]["security"]  # every operation needs the token


def test_the_documentation_loads_only_waymarks_own_files(world):
    response = ApiClient().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page)  # no inline script
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
