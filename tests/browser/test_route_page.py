"""The route page reads first and edits second (issue 21): the demo's nine gates are nine rows,
each with its number, body and purpose, state, when, what it waits for and its papers; a gate's
record and moves open on demand (<details>, no script), and a link to a gate opens it. At 1366
pixels the page is well under half the 4,708 pixels its cards took; at 320 it never scrolls
sideways. axe-core finds nothing wrong, with the rows closed and with a gate's details open."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from governance.models import Gate
from strategies.models import Strategy
from tests.browser.conftest import assert_accessible, sign_in
from tests.main_pages import IN_GOVERNANCE, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CARDS_HEIGHT = 4708  # the route page's height at 1366 px when each gate was a card (issue 21)
HEIGHT = "() => document.documentElement.scrollHeight"
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
ROWS = ".route-gate > summary"


def gate_of(page, name: str):
    """The gate whose row names it "Body: purpose" (its details name others it waits for)."""
    return page.locator(".route-gate").filter(has=page.locator("summary", has_text=name))


def row(page, name: str):
    return gate_of(page, name).locator("summary")


def test_the_route_page_reads_first_and_edits_second(new_page, settings):
    """One demo (it takes a while to load) for each part of the page below."""
    load_demo(settings)
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "officer", settings.DEMO_PASSWORD)
    page.goto(f"/strategies/{IN_GOVERNANCE}/route/")
    nine_gates_are_nine_rows_with_their_details_on_demand(page)
    a_link_to_a_gate_opens_its_details(page)
    at_320_pixels_nothing_scrolls_sideways(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    the_template_picker_asks_for_a_choice(page)


def nine_gates_are_nine_rows_with_their_details_on_demand(page):
    rows = page.locator(ROWS)
    assert rows.count() == 9 == Strategy.objects.get(slug=IN_GOVERNANCE).gates.count()
    height = page.evaluate(HEIGHT)
    assert height < CARDS_HEIGHT / 2, f"the route page is {height} px tall at 1366 px"
    # A row says what the gate is and where it stands, in words (its shape beside them).
    cabinet = row(page, "Cabinet: endorse")
    text = " ".join(cabinet.inner_text().split())
    assert "5b Cabinet: endorse On an agenda Next" in text
    assert "Meeting 13 September 2017" in text and "Waits for 4" in text and "1 paper" in text
    assert cabinet.locator("svg.route-icon").count() == 1
    sign_off = " ".join(row(page, "Board: sign off").inner_text().split())
    assert "Planned" in sign_off and "Waits for 5a, 6, 3b" in sign_off
    assert "Step 3 — 2 gates in parallel" in page.locator(".route-steps").inner_text()

    # The officer has nothing to record, so every gate is closed: its moves are out of sight.
    assert page.locator(".route-gate[open]").count() == 0
    remove = page.get_by_label("Reason for removing Cabinet: endorse")
    expect(remove).to_be_hidden()
    assert_accessible(page)

    cabinet.click()
    expect(remove).to_be_visible()  # its visible label names the gate
    gate = gate_of(page, "Cabinet: endorse")
    expect(gate.get_by_role("link", name="Re-plan Cabinet: endorse")).to_be_visible()
    expect(gate.get_by_role("button", name="Remove Cabinet: endorse")).to_be_visible()
    expect(gate.get_by_role("link", name="Papers: 1 of the Cabinet (endorse)")).to_be_visible()
    assert "Recommendation: that Cabinet endorse" in gate.inner_text()
    assert_accessible(page)  # with a gate's details open
    cabinet.click()
    expect(remove).to_be_hidden()

    # The keyboard opens a row as well: Enter on its summary.
    row(page, "Informal Cabinet: discuss").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Noted on 24 July 2017")).to_be_visible()

    # Actions look like actions: no grey button that could pass for a disabled one.
    assert page.locator(".btn-secondary, .btn-outline-secondary").count() == 0

    # The moves along the route are a click away too.
    moves = page.get_by_role("table")
    expect(moves).to_be_hidden()
    page.get_by_text("Show the 20 moves, newest first").click()
    expect(moves).to_be_visible()
    expect(moves).to_contain_text("Gate added")
    assert_accessible(page)


def a_link_to_a_gate_opens_its_details(page):
    gate = Gate.objects.get(strategy__slug=IN_GOVERNANCE, body__name="Cabinet")
    page.goto("/")  # from another page, as the dashboard's and the reminders' links are followed
    page.goto(f"/strategies/{IN_GOVERNANCE}/route/#gate-{gate.pk}")
    opened = page.locator(".route-gate[open]")
    assert opened.count() == 1 and "Cabinet: endorse" in opened.locator("summary").inner_text()
    expect(page.get_by_label("Reason for removing Cabinet: endorse")).to_be_visible()


def at_320_pixels_nothing_scrolls_sideways(page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/strategies/{IN_GOVERNANCE}/route/")
    assert page.evaluate(SIDEWAYS) <= 1  # a pixel of rounding is not a scroll
    assert_accessible(page)
    for gate in ("Board: sign off", "Cabinet: endorse", "Scrutiny Committee: scrutinise"):
        row(page, gate).click()
    page.get_by_text("Show the 20 moves, newest first").click()
    expect(page.get_by_label("Reason for removing Cabinet: endorse")).to_be_visible()
    assert page.evaluate(SIDEWAYS) <= 1
    assert_accessible(page)


def the_template_picker_asks_for_a_choice(page):
    page.goto("/strategies/dudley-hws-2012-2016/route/")
    picker = page.get_by_label("Route template")
    assert picker.locator("option").first.inner_text() == "Choose a route template"
    assert picker.input_value() == ""  # nothing applied by a press of the button unread
    apply = page.get_by_role("button", name="Apply the template")
    assert "btn-primary" in apply.get_attribute("class")
    assert_accessible(page)
