"""The API's documentation page (portal/api/reference.py, drawn on the server from the schema)
shows every operation under the Content Security Policy as served, with nothing refused and
nothing fetched from another site, and reads the same with JavaScript off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPERATIONS = [
    "GET /api/v1/strategies",
    "GET /api/v1/strategies/{slug}",
    "GET /api/v1/gates",
    "GET /api/v1/decisions",
    "GET /api/v1/meetings",
    "GET /api/v1/consultations",
    "GET /api/v1/delivery/actions",
    "GET /api/v1/delivery/indicator-values",
]


def test_the_api_documentation_works_under_the_policy(browser, live_server):
    context = browser.new_context(base_url=live_server.url)  # the policy as served
    page = context.new_page()
    refused, elsewhere = [], []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:"))
            else elsewhere.append(request.url)
        ),
    )
    page.goto("/api/v1/docs")
    for address in OPERATIONS:
        assert page.locator("code.api-address", has_text=address).count() >= 1
    context.close()
    assert refused == []
    assert elsewhere == []  # nothing from a CDN or any other site


def test_the_api_documentation_needs_no_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/api/v1/docs")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Waymark API reference")
    for address in OPERATIONS:
        expect(page.get_by_text(address, exact=True).first).to_be_visible()
    # The contents link to each operation, and the link lands there.
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="List Gates"
    ).click()
    assert page.url.endswith("#get-api-v1-gates")
    expect(page.get_by_role("heading", name="List Gates")).to_be_visible()
    context.close()
