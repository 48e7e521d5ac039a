"""The API's documentation page (Swagger UI, from django-ninja's own files) shows every
operation under the Content Security Policy as served, and the policy refuses nothing it needs
to show them."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    page.get_by_text("/api/v1/strategies/{slug}").wait_for()
    for path in ["/api/v1/gates", "/api/v1/consultations", "/api/v1/delivery/indicator-values"]:
        assert page.get_by_text(path, exact=True).count() == 1
    assert page.get_by_role("button", name="Authorize").count() == 1
    context.close()
    assert refused == []
    assert elsewhere == []  # nothing from a CDN or any other site
