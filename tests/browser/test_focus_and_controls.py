"""Tabbing through the main pages, every focus stop shows an indicator a person can see: an
outline at least 2px wide whose colour has 3:1 contrast with what lies behind it (WCAG 2.4.13's
measure, asked by issue 21's audit), on the white page and on the dark header alike; and every
form control's edge has 3:1 against its background (WCAG 1.4.11). Bootstrap's translucent focus
shadows (1.2–1.6:1) and #dee2e6 borders (1.3:1) are what static/css/waymark.css replaces."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD
from tests.main_pages import load_demo, main_pages
from tests.world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOST_STOPS = 400  # more than any of these pages has; a page that traps focus ends the walk

# What the browser reports about the element that has focus: its outline, and what the page
# paints where the outline falls (2 to 5px outside the element) on each of its four sides: the
# backgrounds of the boxes there, nearest first, found by position, not by the element's
# ancestors, since a box placed over another (the skip link over the header) shows that one's;
# or, for an outline drawn inside the element (a menu's items), the element's own.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  if (el.hasAttribute('data-focus-walked')) return {again: true, same: el === window.lastWalked};
  el.setAttribute('data-focus-walked', '');
  window.lastWalked = el;
  const style = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const points = [[r.left - 4, r.top + r.height / 2], [r.right + 4, r.top + r.height / 2],
                  [r.left + r.width / 2, r.top - 4], [r.left + r.width / 2, r.bottom + 4]]
    .filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
  let sides = points.map(([x, y]) => document.elementsFromPoint(x, y)
    .filter(box => !el.contains(box)).map(box => getComputedStyle(box).backgroundColor));
  if (parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) <= 0) {
    sides = [[]];  // an outline drawn inside the element lies on the element's own background
    for (let box = el; box; box = box.parentElement) {
      sides[0].push(getComputedStyle(box).backgroundColor);
    }
  }
  const text = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || '');
  return {
    path: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' +
      String(el.className).trim().split(/\\s+/).join('.') : '') + ' "' +
      text.trim().replace(/\\s+/g, ' ').slice(0, 40) + '"',
    outlineColor: style.outlineColor, outlineWidth: parseFloat(style.outlineWidth),
    outlineStyle: style.outlineStyle, outlineOffset: parseFloat(style.outlineOffset),
    boxShadow: style.boxShadow, sides: sides,
  };
}"""

# Every form control a person sees, with its edge colour and what lies behind it.
CONTROLS = """() => [...document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea')]
  .filter(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
  .map(el => {
    const behind = [];
    for (let box = el.parentElement; box; box = box.parentElement) {
      behind.push(getComputedStyle(box).backgroundColor);
    }
    return {path: el.tagName.toLowerCase() + '#' + el.id + '[' + (el.type || '') + ']',
            border: getComputedStyle(el).borderTopColor,
            width: parseFloat(getComputedStyle(el).borderTopWidth), behind: behind};
  })"""


# What Tab should have reached and the walk did not: every link, button, form control and
# summary a person can see and Tab can stop at, less the other radios of a group whose one was
# walked (Tab stops once in a group; the arrow keys move within it). A closed menu's items and
# a closed disclosure's contents are not seen (checkVisibility), so not counted.
UNWALKED = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]')]
  .filter(el => el.tabIndex >= 0 && !el.disabled && !el.closest('[inert]')
    && el.checkVisibility({visibilityProperty: true}) && !el.hasAttribute('data-focus-walked'))
  .filter(el => !(el.type === 'radio' && [...document.getElementsByName(el.name)]
    .some(radio => radio.hasAttribute('data-focus-walked'))))
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' +
    (el.getAttribute('aria-label') || el.innerText || el.value || el.name || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40) + '"')"""


# Opens every closed disclosure of the page, so that Tab reaches what is inside, and forgets
# which elements were walked; answers how many it opened.
OPEN_DISCLOSURES = """() => {
  const closed = [...document.querySelectorAll('details:not([open])')];
  closed.forEach(details => { details.open = true; });
  document.querySelectorAll('[data-focus-walked]')
    .forEach(el => el.removeAttribute('data-focus-walked'));
  return closed.length;
}"""


def rgba(css: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)


def backdrop(behind: list[str]) -> tuple[float, float, float]:
    """The colour behind an element: the backgrounds of the boxes there laid over one another,
    nearest on top, over the browser's white canvas."""
    colour = (255.0, 255.0, 255.0)
    for css in reversed(behind):
        r, g, b, a = rgba(css)
        colour = tuple(a * new + (1 - a) * old for new, old in zip((r, g, b), colour, strict=True))
    return colour


def luminance(rgb) -> float:
    """Relative luminance, as WCAG 2 defines it."""

    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, other) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_sums_match_wcags_examples():
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast(rgba("rgb(222, 226, 230)"), (255, 255, 255)), 2) == 1.3
    assert backdrop(["rgba(0, 0, 0, 0)", "rgb(29, 61, 92)"]) == (29, 61, 92)


def indicator_rings(focused: dict) -> list[tuple[float, float, float, float]]:
    """The colours of the indicator's outermost bands at least 2px wide, which meet what lies
    behind: the outline, and any box-shadow spread 2px or more beyond it."""
    rings = []
    if focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2:
        rings.append(rgba(focused["outlineColor"]))
    outside = max(focused["outlineOffset"], 0) + focused["outlineWidth"]
    for colour, spread in re.findall(
        r"(rgba?\([^)]*\)) 0px 0px 0px ([\d.]+)px", focused["boxShadow"]
    ):
        if float(spread) - outside >= 2:
            rings.append(rgba(colour))
    return rings


def focus_problems(page) -> tuple[int, list[str], list[float]]:
    """Tabs from the top of the page to its end; the number of stops, what fails, and each
    stop's contrast."""
    page.mouse.move(0, 0)
    # From the top of the page, wherever a box was focused as it loaded (the sign-in page's
    # username): Tab goes on from the focused element, or the one last blurred. Each stop is
    # scrolled to at once, to be measured where it comes to rest, not half-way through
    # Bootstrap's smooth scroll (`scroll-behavior: smooth`).
    page.evaluate(
        "() => { document.documentElement.style.scrollBehavior = 'auto'; scrollTo(0, 0);"
        " document.body.tabIndex = -1; document.body.focus();"
        " document.body.removeAttribute('tabindex'); }"
    )
    stops, problems, ratios = 0, [], []
    for _ in range(MOST_STOPS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is not None and focused.get("same"):  # a date box's day, month and year
            continue
        if focused is None or focused.get("again"):  # off the end of the page, or round again
            break
        stops += 1
        rings = indicator_rings(focused)
        ratio, behind = min(
            (max((contrast(ring, backdrop(side)) for ring in rings), default=0), side)
            for side in focused["sides"] or [[]]
        )
        ratios.append(ratio)
        if focused["outlineStyle"] == "none" or focused["outlineWidth"] < 2 or ratio < 3:
            problems.append(
                f"{focused['path']}: outline {focused['outlineStyle']} "
                f"{focused['outlineWidth']}px {focused['outlineColor']}, {ratio:.2f}:1 "
                f"against {backdrop(behind)}"
            )
    else:
        problems.append(f"Tab went on past {MOST_STOPS} stops: a focus trap, or a longer page")
    problems += [f"{path}: not reached by Tab" for path in page.evaluate(UNWALKED)]
    return stops, problems, ratios


def border_problems(page) -> tuple[int, list[str]]:
    controls = page.evaluate(CONTROLS)
    problems = []
    for control in controls:
        ratio = contrast(rgba(control["border"]), backdrop(control["behind"]))
        if ratio < 3 or control["width"] < 1:
            problems.append(f"{control['path']}: edge {control['border']} at {ratio:.2f}:1")
    return len(controls), problems


def check_page(page, *, stops_at_least: int, controls_at_least: int = 0) -> None:
    stops, problems, ratios = focus_problems(page)
    assert stops >= stops_at_least, f"{page.url}: only {stops} focus stops"
    assert not problems, f"{page.url}: {len(problems)} of {stops} stops:\n" + "\n".join(problems)
    count, edges = border_problems(page)
    assert count >= controls_at_least, f"{page.url}: only {count} form controls"
    assert not edges, f"{page.url}:\n" + "\n".join(edges)
    print(f"{page.url}: {stops} stops, lowest {min(ratios):.2f}:1; {count} form controls")


def test_every_focus_stop_and_form_control_can_be_seen(new_page):
    world = build()
    slug = world.strategy.slug

    public = new_page()
    public.goto(f"/consult/{world.window.slug}/")
    assert public.get_by_role("radio").count() > 0
    check_page(public, stops_at_least=10, controls_at_least=5)
    assert_accessible(public)

    officer = new_page()
    sign_in(officer, world.people["officer"].username, PASSWORD)
    officer.goto("/")  # the dashboard, under the dark header's navigation
    check_page(officer, stops_at_least=10)
    assert_accessible(officer)
    # the strategy page read, and in edit mode with every item's controls (issue 21)
    for url in (
        f"/strategies/{slug}/",
        f"/strategies/{slug}/?edit=1",
        f"/strategies/{slug}/route/",
    ):
        officer.goto(url)
        check_page(officer, stops_at_least=15, controls_at_least=1 if "route" in url else 0)
        assert_accessible(officer)


def test_the_header_focus_ring_is_yellow_on_the_dark_bar_and_dark_in_its_menu(new_page):
    world = build()
    page = new_page()
    sign_in(page, world.people["officer"].username, PASSWORD)
    page.get_by_role("link", name="Timeline", exact=True).focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, so that :focus-visible applies
    focused = page.evaluate(FOCUSED)
    assert rgba(focused["outlineColor"])[:3] == (255, 221, 0)
    assert all(contrast((255, 221, 0), backdrop(side)) > 8 for side in focused["sides"])

    # The account menu hangs from the header on white: its items' outline is dark, inside them.
    page.locator("#account-menu-button").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    item = page.evaluate(FOCUSED)
    assert "dropdown-item" in item["path"]
    assert item["outlineWidth"] >= 2
    assert contrast(rgba(item["outlineColor"]), backdrop(item["sides"][0])) >= 3


def test_every_focus_stop_on_every_main_page_can_be_seen(new_page, settings):
    """The same measures on every main page (tests/main_pages.py), each as the person who sees
    it there: the public signed out, the officer, and the secretary's and manager's own pages.
    Every Tab stop from the top to the end, then again with every disclosure open, and every
    form control, of each; all the problems are gathered before the test fails."""
    load_demo(settings)
    pages, people = main_pages(), {}
    failures, stops_in_all, controls_in_all = [], 0, 0
    for name, (url, username, status) in pages.items():
        if username not in people:  # a browser context for each person, signed in once
            people[username] = new_page()
            if username is not None:
                sign_in(people[username], username, settings.DEMO_PASSWORD)
        page = people[username]
        assert page.goto(url).status == status, f"{name}: {url}"
        stops, problems, _ = focus_problems(page)
        if page.evaluate(OPEN_DISCLOSURES):  # and again, with what the disclosures hold
            more, inside, _ = focus_problems(page)
            stops, problems = max(stops, more), list(dict.fromkeys(problems + inside))
        count, edges = border_problems(page)
        stops_in_all, controls_in_all = stops_in_all + stops, controls_in_all + count
        failures += [f"{name} {url}: {problem}" for problem in problems + edges]
        if stops < 3:  # the skip link, the home link, the footer's links at the least
            failures.append(f"{name} {url}: only {stops} focus stops")
    print(f"{len(pages)} pages: {stops_in_all} focus stops, {controls_in_all} form controls")
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
