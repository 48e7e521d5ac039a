"""The accessibility statement at /accessibility/ (an address the design keeps) and the privacy
notice beside it: public pages, in the sections of GOV.UK's sample accessibility statement,
with headings in order, naming who runs the service and where to write."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.test_navigation import elements, find, find_all, page, text

# The sections of GOV.UK's sample statement, in its order, at their levels.
SECTIONS = [
    (1, "Accessibility statement for Waymark"),
    (2, "How accessible this service is"),
    (2, "Feedback and contact information"),
    (2, "Reporting accessibility problems with this service"),
    (2, "Enforcement procedure"),
    (2, "Technical information about this service’s accessibility"),
    (3, "Compliance status"),
    (2, "Non-accessible content"),
    (3, "Non-compliance with the accessibility regulations"),
    (3, "Disproportionate burden"),
    (3, "Content that’s not within the scope of the accessibility regulations"),
    (2, "What we’re doing to improve accessibility"),
    (2, "Preparation of this accessibility statement"),
]


def headings(root) -> list[tuple[int, str]]:
    """The headings of the page's main content, with their levels, in order."""
    return [
        (int(element.name[1]), text(element))
        for element in elements(find(root, "main"))
        if element.name in {"h1", "h2", "h3", "h4", "h5", "h6"}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("person", [None, "officer", "manager"])
def test_the_statement_reads_in_the_sections_the_regulations_expect(request, settings, person):
    settings.OPEN_DATA_PUBLISHER = "Dudley Metropolitan Borough Council"
    settings.WAYMARK_CONTACT_EMAIL = "access@dudley.gov.uk"
    user = request.getfixturevalue(person) if person else None
    root = page(client_for(user), "/accessibility/")
    assert headings(root) == SECTIONS  # one h1, and no level skipped
    body = text(find(root, "main"))
    assert "This service is run by Dudley Metropolitan Borough Council." in body
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA" in (
        body.replace("\n", " ")
    )
    assert "Equality and Human Rights Commission" in body
    assert "6 December 2026" in body
    enforcement = [a for a in find_all(root, "a") if "Equality Advisory" in text(a)]
    assert dict(enforcement[0].attributes)["href"] == "https://www.equalityadvisoryservice.com/"
    mail = {dict(a.attributes)["href"] for a in find_all(find(root, "main"), "a")}
    assert "mailto:access@dudley.gov.uk" in mail


@pytest.mark.django_db
def test_the_statement_is_honest_about_what_is_not_yet_accessible():
    root = page(client_for(None), "/accessibility/")
    known = text(find(root, "main"))
    assert "administration area" in known
    assert "focus" in known
    assert "documents that organisations upload" in known


@pytest.mark.django_db
def test_the_statement_and_the_privacy_notice_ask_nothing_of_the_database(
    django_assert_num_queries,
):
    client = client_for(None)
    with django_assert_num_queries(0):
        assert client.get(reverse("accessibility")).status_code == 200
        assert client.get(reverse("privacy")).status_code == 200


@pytest.mark.django_db
def test_the_statement_only_answers_reading():
    assert client_for(None).post(reverse("accessibility")).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("person", [None, "secretary"])
def test_the_privacy_notice_says_what_is_kept_and_for_how_long(request, settings, person):
    settings.RESPONSE_RETENTION_DAYS = 365
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    user = request.getfixturevalue(person) if person else None
    root = page(client_for(user), "/privacy/")
    assert headings(root) == [
        (1, "Privacy notice"),
        (2, "If you respond to a consultation"),
        (2, "If you have an account"),
        (2, "Cookies"),
        (2, "Your rights"),
    ]
    body = text(find(root, "main"))
    assert "365 days after a response was sent" in body
    assert "after 8 hours" in body
    assert "sessionid" in body and "csrftoken" in body
