"""The header and footer of every page in Chromium (issue 21): from 1280 pixels wide no link of
the header breaks over two lines and the header keeps to one row, for each role (secretaries,
managers and administrators have the most links); the account menu opens and closes by
keyboard, saying so with aria-expanded, and signs out; the accessibility statement and the
privacy notice pass axe-core, signed in and not."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD
from tests.world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each link or button of the header: how many lines its words take (the distinct tops of
# the boxes of its visible text), its height against one line of text with its padding, and
# where its middle is (all on one row).
MEASURE = """() => [...document.querySelectorAll(
    'header .navbar-brand, header .nav-link')].map(element => {
  const tops = new Set();
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim() || node.parentElement.closest('.visually-hidden')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
  }
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  const oneLine = parseFloat(style.lineHeight) + parseFloat(style.paddingTop)
    + parseFloat(style.paddingBottom) + parseFloat(style.borderTopWidth)
    + parseFloat(style.borderBottomWidth);
  return {text: element.innerText.trim(), lines: tops.size, height: box.height, oneLine,
          middle: box.top + box.height / 2, visible: box.width > 0};
})"""

# Long names and organisations, as real councils have, so that the account menu's button is
# at its widest.
NAMES = {
    "officer": ("Olivia", "Okonkwo-Richardson"),
    "secretary": ("Samantha", "Montgomery-Whitfield"),
    "manager": ("Morgan", "Fitzgerald-Abernethy"),
    "administrator": ("Alexandra", "Worthington-Blackwood"),
}


@pytest.mark.parametrize("width", [1280, 1366])
def test_the_header_keeps_to_one_line_for_every_role(new_page, width):
    world = build()
    for role, (first, last) in NAMES.items():
        person = world.people[role]
        person.first_name, person.last_name = first, last
        person.save()
    for role in NAMES:
        page = new_page()
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(page, world.people[role].username, PASSWORD)
        page.goto("/")
        assert page.get_by_role("button", name="Show or hide the menu").is_hidden()
        items = page.evaluate(MEASURE)
        assert len(items) >= 4, items  # the brand, Strategies, Timeline and the account menu
        for item in items:
            assert item["visible"], (role, width, item)
            assert item["lines"] == 1, (role, width, item)
            assert item["height"] <= item["oneLine"] + 1, (role, width, item)
        # ... and all of them on one row
        middles = [item["middle"] for item in items]
        assert max(middles) - min(middles) <= 2, (role, width, items)


def test_the_account_menu_works_by_keyboard_and_signs_out(browser, live_server):
    world = build()
    officer = world.people["officer"]
    # The policy as served (no bypass): Bootstrap's dropdown must run under it.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in(page, officer.username, PASSWORD)
    button = page.locator("#account-menu-button")
    menu = page.locator(".account-menu .dropdown-menu")
    assert button.get_attribute("aria-expanded") == "false"
    assert menu.is_hidden()

    button.focus()
    page.keyboard.press("Enter")
    menu.wait_for(state="visible")
    assert button.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")  # into the menu, on its first link
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Calendar feed"
    page.keyboard.press("Escape")
    menu.wait_for(state="hidden")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "account-menu-button"

    # Space opens it too; a link in it goes where it says.
    page.keyboard.press(" ")
    menu.wait_for(state="visible")
    page.get_by_role("link", name="Reminders").click()
    page.wait_for_url("**/account/reminders/")

    button.click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.goto("/account/reminders/")
    assert "/accounts/login/" in page.url  # signed out
    context.close()
    assert not refused, "\n".join(refused)


def test_the_statement_and_the_privacy_notice_pass_axe(new_page):
    world = build()
    public = new_page()
    for path in ["/accessibility/", "/privacy/"]:
        public.goto(path)
        expect(public.get_by_role("heading", level=1)).to_be_visible()
        assert public.get_by_role("contentinfo").get_by_role("link").count() == 3
        assert_accessible(public)

    manager = new_page()
    sign_in(manager, world.people["manager"].username, PASSWORD)
    manager.goto("/accessibility/")
    manager.get_by_role("contentinfo").get_by_role("link", name="Privacy notice").wait_for()
    manager.locator("#account-menu-button").click()  # the menu open, on the page's colours
    manager.locator(".account-menu .dropdown-menu").wait_for(state="visible")
    assert_accessible(manager)


def test_the_footer_links_show_where_the_keyboard_is(page):
    page.goto("/published/")
    link = page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Accessibility statement":
            break
    assert link.evaluate("element => element === document.activeElement")
    style = link.evaluate(
        "element => { const s = getComputedStyle(element);"
        " return {style: s.outlineStyle, width: s.outlineWidth}; }"
    )
    # Drawn by waymark.css's focus style, which tests/browser/test_focus_and_controls.py measures.
    assert style == {"style": "solid", "width": "3px"}, style
