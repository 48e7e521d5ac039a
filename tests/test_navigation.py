"""The frame of every page (templates/base.html): the main navigation holds the work, the account
menu holds the person's own settings and signing out, and the footer links to the accessibility
statement, the privacy notice and a contact on staff and public pages alike.

How the header looks at 1280 and 1366 pixels, and the menu by keyboard, are in
tests/browser/test_header.py."""

from __future__ import annotations

import pytest
from django.test.html import Element, parse_html
from django.urls import reverse

from tests.conftest import client_for
from tests.test_settings import manage

ACCOUNT_ITEMS = ["Calendar feed", "Reminders", "Two-factor sign-in", "API tokens"]


# A little reading of the page's HTML, through the parser Django's own assertHTML uses.
def elements(node: Element):
    yield node
    for child in node.children:
        if isinstance(child, Element):
            yield from elements(child)


def text(node: Element | str) -> str:
    if isinstance(node, str):
        return node
    return " ".join(text(child) for child in node.children).strip()


def find_all(node: Element, tag: str, **attributes: str) -> list[Element]:
    """Elements of that tag whose attributes include these (`class_` for a class it has)."""
    found = []
    for element in elements(node):
        if element.name != tag:
            continue
        have = dict(element.attributes)
        wanted_class = attributes.get("class_")
        if wanted_class and wanted_class not in (have.get("class") or "").split():
            continue
        if all(have.get(k) == v for k, v in attributes.items() if k != "class_"):
            found.append(element)
    return found


def find(node: Element, tag: str, **attributes: str) -> Element:
    found = find_all(node, tag, **attributes)
    assert len(found) == 1, f"{len(found)} <{tag} {attributes}>"
    return found[0]


def page(client, url: str = "/") -> Element:
    response = client.get(url)
    assert response.status_code == 200
    return parse_html(response.content.decode())


def link_texts(node: Element) -> list[str]:
    return [text(a) for a in find_all(node, "a")]


def main_navigation(root: Element) -> Element:
    return find(find(root, "nav", **{"aria-label": "Main"}), "ul", class_="me-auto")


def account_menu(root: Element) -> Element:
    return find(root, "ul", class_="dropdown-menu")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("person", "main"),
    [
        ("officer", ["Strategies", "Timeline"]),
        ("secretary", ["Strategies", "Timeline", "My meetings"]),
        ("manager", ["Strategies", "Timeline", "Meetings"]),
        ("administrator", ["Strategies", "Timeline", "My meetings", "Admin"]),
    ],
)
def test_the_main_navigation_holds_the_work_and_the_account_menu_the_settings(
    request, person, main
):
    root = page(client_for(request.getfixturevalue(person)))
    assert link_texts(main_navigation(root)) == main
    menu = account_menu(root)
    assert link_texts(menu) == ACCOUNT_ITEMS
    sign_out = find(menu, "form")
    assert dict(sign_out.attributes) == {"method": "post", "action": reverse("logout")}
    assert text(find(sign_out, "button", type="submit")) == "Sign out"


@pytest.mark.django_db
def test_the_account_menu_is_named_for_the_person_and_says_whether_it_is_open(officer):
    root = page(client_for(officer))
    button = find(root, "button", id="account-menu-button")
    assert dict(button.attributes)["data-bs-toggle"] == "dropdown"
    assert dict(button.attributes)["aria-expanded"] == "false"  # Bootstrap keeps it in step
    assert text(button) == f"Account: {officer.display_name}"
    assert dict(account_menu(root).attributes)["aria-labelledby"] == "account-menu-button"
    # Who is signed in, with their organisation and role, heads the menu.
    who = find(account_menu(root), "li", class_="account-who")
    assert officer.organisation.display_name in text(who)
    assert officer.get_role_display() in text(who)
    # Bootstrap's script, which opens the menu, is on the page.
    response = client_for(officer).get("/")
    assert b"vendor/bootstrap/bootstrap.bundle.min.js" in response.content


@pytest.mark.django_db
def test_the_account_page_open_is_marked_current_in_the_menu(officer):
    root = page(client_for(officer), reverse("account-reminders"))
    current = [
        a for a in find_all(account_menu(root), "a") if ("aria-current", "page") in a.attributes
    ]
    assert [text(a) for a in current] == ["Reminders"]
    assert not [
        a for a in find_all(main_navigation(root), "a") if ("aria-current", "page") in a.attributes
    ]


@pytest.mark.django_db
def test_signing_out_from_the_menu_is_a_post_that_ends_the_session(officer):
    client = client_for(officer)
    assert client.get(reverse("logout")).status_code == 405  # a link could not sign anyone out
    assert client.get(reverse("account-reminders")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("account-reminders")).status_code == 302  # to sign in again


def footer_links(root: Element) -> dict[str, str]:
    footer = find(root, "footer")
    return {text(a): dict(a.attributes)["href"] for a in find_all(find(footer, "ul"), "a")}


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [True, False], ids=["staff page", "public page"])
def test_every_page_ends_with_the_footer_links(request, settings, signed_in):
    settings.WAYMARK_CONTACT_EMAIL = "strategies@dudley.gov.uk"
    if signed_in:
        client, url = client_for(request.getfixturevalue("officer")), reverse("strategies:list")
    else:
        client, url = client_for(None), reverse("published-list")
    assert footer_links(page(client, url)) == {
        "Accessibility statement": "/accessibility/",
        "Privacy notice": "/privacy/",
        "Contact us: strategies@dudley.gov.uk": "mailto:strategies@dudley.gov.uk",
    }


@pytest.mark.django_db
def test_the_sign_in_page_has_the_footer_and_no_account_menu():
    root = page(client_for(None), reverse("login"))
    assert "Accessibility statement" in footer_links(root)
    assert not find_all(root, "ul", class_="dropdown-menu")


def test_the_contact_address_defaults_to_the_address_waymark_sends_from():
    show = "from django.conf import settings; print(settings.WAYMARK_CONTACT_EMAIL)"
    result = manage(
        "shell", "-c", show,
        DEFAULT_FROM_EMAIL="Dudley strategies <strategies@dudley.gov.uk>", WAYMARK_CONTACT_EMAIL="",
    )  # fmt: skip
    assert result.stdout.splitlines()[-1] == "strategies@dudley.gov.uk", result.stderr
