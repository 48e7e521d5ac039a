"""Property-based tests: arbitrary text, dates, numbers and unicode thrown at every form of the
project (officer, secretary, administrator's browser pages and the public's), as a person could
type them into the page the form is on.

Each form page is fetched, its form read from the HTML (so a new field is fuzzed as soon as it
exists), and filled with values hypothesis chooses for each kind of field. Whatever is sent:
no 500; when the form comes back with errors, everything typed is still in it and nothing was
saved; a redirect saves something or says in a message what happened, and one that saved
nothing and reports a problem leads to a page where, if the form is still there, what was typed
is in it.
"""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultation.models import ConsultationWindow
from consultation.workflow import close_window
from documents.workflow import add_document
from portal.reports import start_report
from tests.conftest import client_for
from tests.world import World, build

pytestmark = pytest.mark.django_db

# (who, the form page) for every browser form; {…} are filled from the world. A page with
# several forms posting to it has the one with most fields fuzzed, or with " #<value>" the one
# whose hidden field has that value (the document page's `move=upload`).
FORM_PAGES = [
    ("officer", "/strategies/new/"),
    ("officer", "/strategies/{slug}/edit/"),
    ("officer", "/strategies/{slug}/priorities/add/"),
    ("officer", "/strategies/{slug}/priorities/{priority}/objectives/add/"),
    ("officer", "/strategies/{slug}/objectives/{objective}/actions/add/"),
    ("officer", "/strategies/{slug}/indicators/add/"),
    ("officer", "/strategies/{slug}/evidence/add/"),
    ("officer", "/strategies/{slug}/actions/{action}/edit/"),
    ("officer", "/strategies/{slug}/indicators/{indicator}/edit/"),
    ("officer", "/strategies/{slug}/revisions/"),
    ("officer", "/strategies/{slug}/route/gates/add/"),
    ("officer", "/strategies/{slug}/route/gates/{scheduled_gate}/replan/"),
    ("officer", "/strategies/{slug}/route/gates/{scheduled_gate}/report/edit/"),
    (
        "officer",
        "/strategies/{slug}/route/gates/{scheduled_gate}/report/"
        " -> /strategies/{slug}/route/gates/{scheduled_gate}/report/refresh/",
    ),
    ("officer", "/strategies/{slug}/consultation/new/"),
    ("officer", "/consultations/{window}/ -> /consultations/{window}/events/add/"),
    ("officer", "/consultations/{window}/events/{event}/"),
    ("officer", "/consultations/{window}/ -> /consultations/{window}/themes/add/"),
    ("officer", "/consultations/{window}/ -> /consultations/{window}/partners/add/"),
    ("officer", "/consultations/{window}/you-said-we-did/{entry}/"),
    ("officer", "/consultations/{planned_window}/ -> /consultations/{planned_window}/record/"),
    (
        "officer",
        "/strategies/{slug}/delivery/actions/{action}/"
        " -> /strategies/{slug}/delivery/actions/{action}/milestones/add/",
    ),
    ("officer", "GET /strategies/{slug}/delivery/"),
    ("officer", "/strategies/{slug}/indicators/{indicator}/"),
    ("officer", "GET /calendar/"),
    ("manager", "GET /timeline/"),
    ("officer", "GET /strategies/"),
    ("officer", "GET /consultations/{window}/responses/"),
    ("officer", "/consultations/{window}/responses/key-in/"),
    ("officer", "/strategies/{slug}/documents/add/"),
    ("officer", "/documents/{document}/"),
    ("officer", "/documents/{document}/ #upload"),
    ("secretary", "/meetings/{meeting}/papers/add/"),
    ("secretary", "/meetings/new/"),
    ("secretary", "/meetings/{meeting}/"),
    ("secretary", "/meetings/{meeting}/edit/"),
    ("secretary", "/gates/{scheduled_gate}/agenda/"),
    ("secretary", "/gates/{scheduled_gate}/decide/"),
    ("secretary", "/decisions/{decision}/correct/"),
    ("anonymous", "/consult/{window_slug}/"),
    ("anonymous", "/accounts/login/"),
    ("officer", "/account/two-factor/"),
]
SKIP_FORMS = {"/accounts/logout/"}  # the sign-out button in the menu


@dataclass
class Form:
    action: str
    method: str
    fields: list[dict] = field(default_factory=list)


class FormParser(HTMLParser):
    """The forms of a page, each with its fields: name, kind, options, current value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(Form(a.get("action") or "", (a.get("method") or "get").lower()))
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            self.forms[-1].fields.append(
                {"name": a["name"], "kind": kind, "value": a.get("value", "on"),
                 "checked": "checked" in a}
            )  # fmt: skip
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "kind": "textarea", "value": ""}
            self.forms[-1].fields.append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = {
                "name": a["name"], "kind": "select", "options": [],
                "multiple": "multiple" in a,
            }  # fmt: skip
            self.forms[-1].fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))

    @classmethod
    def parse(cls, page_html: str) -> FormParser:
        parser = cls()
        parser.feed(page_html)
        return parser

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # what a browser can send
    max_size=120,
)
WEIRD = st.sampled_from(
    ["", " ", "0", "-1", "9999-12-31", "2017-02-30", "1899-01-01", "31/12/2017", "NaN",
     "1e309", "<script>alert(1)</script>", "=HYPERLINK(\"x\")", "' OR 1=1 --", "\u202e\u0000",
     "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃ ünïcödé", "x" * 6000, "99999999999999999999", "2017-09-13T25:61"]
)  # fmt: skip
DATES = st.one_of(st.dates().map(lambda d: d.isoformat()), WEIRD, TEXT)
DATETIMES = st.one_of(st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")), WEIRD, TEXT)
TIMES = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), WEIRD, TEXT)
# The boxes whose typed text must come back as it was when the form is refused.
TYPED_KINDS = {"text", "textarea", "email", "tel", "url", "search", "date", "datetime-local",
               "time", "number"}  # fmt: skip
NUMBERS = st.one_of(st.integers(-(10**20), 10**20).map(str), WEIRD, TEXT)
# Files as a browser could send them: any name (path separators, control characters, no
# ending), any bytes, or the start of a real PDF, Word file or program under any of those names.
FILE_NAMES = st.one_of(
    st.sampled_from(["strategy.pdf", "..\\..\\x.pdf", "../../etc/passwd", "a\x00b.pdf",
                     "report.docx", "setup.exe", ".pdf", "x" * 300 + ".pdf", "page.html"]),
    # (a name that is only "." or ".." once its folders are taken off cannot be sent as a file)
    TEXT.filter(lambda name: name.replace("\\", "/").rsplit("/", 1)[-1] not in {"", ".", ".."}),
)  # fmt: skip
FILE_BYTES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([b"%PDF-1.4\n%%EOF\n", b"MZ\x90\x00" + b"\x00" * 64, b"PK\x03\x04",
                     b"<svg/>", b"Name,Value\n1,2\n"]),
)  # fmt: skip
FILES = st.builds(lambda name, data: SimpleUploadedFile(name, data), FILE_NAMES, FILE_BYTES)


def value_strategy(f: dict):
    kind = f["kind"]
    if kind in {"hidden", "submit", "button"}:
        return st.just(f["value"])
    if kind in {"checkbox", "radio"}:
        return st.sampled_from([None, f["value"]])
    if kind == "select":
        options = list(f["options"]) or [""]
        choice = st.one_of(st.sampled_from(options), WEIRD, TEXT)
        return st.lists(choice, max_size=3) if f["multiple"] else choice
    if kind == "date":
        return DATES
    if kind == "datetime-local":
        return DATETIMES
    if kind == "time":
        return TIMES
    if kind == "number":
        return NUMBERS
    if kind == "file":
        return FILES
    return st.one_of(TEXT, WEIRD)


def the_form(page_html: str, url: str, method: str = "post", hidden: str = "") -> Form:
    """The form posting to `url`: the one with a hidden field of value `hidden` if given, else
    the one with most fields."""
    forms = [
        f for f in FormParser.parse(page_html).forms
        if f.method == method and f.action not in SKIP_FORMS and f.action in {"", url}
        and (not hidden or any(x["kind"] == "hidden" and x["value"] == hidden for x in f.fields))
    ]  # fmt: skip
    assert forms, f"no form posting to {url}" + (f" with {hidden}" if hidden else "")
    return max(forms, key=lambda f: len(f.fields))


def counts() -> dict[str, int]:
    """Rows in every table of ours (and their history), to see that nothing was saved."""
    ours = {"strategies", "governance", "consultation", "delivery", "documents"}
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in ours
    }


@pytest.fixture
def world(db, settings) -> World:
    settings.CONSULTATION_RATE_LIMIT = 0
    settings.AXES_ENABLED = False
    return build()


def resolve(world: World, url: str) -> str:
    return url.format(
        slug=world.strategy.slug,
        priority=world.items["priorities"].pk,
        objective=world.items["objectives"].pk,
        action=world.items["actions"].pk,
        indicator=world.items["indicators"].pk,
        scheduled_gate=world.scheduled_gate.pk,
        window=world.window.pk,
        window_slug=world.window.slug,
        event=world.event.pk,
        entry=world.entry.pk,
        meeting=world.meeting.pk,
        decision=world.decision.pk,
    )


@pytest.mark.parametrize(("persona", "page"), FORM_PAGES)
def test_any_input_gets_a_clear_answer_and_loses_nothing(world, persona, page):
    method = "get" if page.startswith("GET ") else "post"  # a filter form: fuzz its query
    page, _, hidden = page.partition(" #")  # one of the page's forms, by a hidden field
    if "{planned_window}" in page:  # one that ran before Waymark, to record: still planned
        ran = ConsultationWindow.objects.create(
            strategy=world.strategy, title="Ran in 2017", slug="ran-in-2017",
            opens_on=datetime.date(2017, 5, 1), closes_on=datetime.date(2017, 7, 31),
            minimum_days=84,
        )  # fmt: skip
        page = page.replace("{planned_window}", str(ran.pk))
    if "{document}" in page:  # a document of the strategy, to change
        kept = add_document(
            world.people["officer"], world.strategy, title="Strategy", kind="strategy",
            upload=SimpleUploadedFile("strategy.pdf", b"%PDF-1.4\n%%EOF\n"),
        )  # fmt: skip
        page = page.replace("{document}", str(kept.pk))
    page, _, action = page.removeprefix("GET ").partition(" -> ")  # a form on another page
    page_url, url = resolve(world, page), resolve(world, action or page)
    if "you-said-we-did" in url:  # entries are written once the consultation has closed
        close_window(world.window, world.people["officer"], "Enough responses")
    if "/report/" in url:  # a committee report is edited once the officer has started it
        start_report(world.scheduled_gate, world.people["officer"])
    client = client_for(world.people[persona])
    response = client.get(page_url)
    assert response.status_code == 200, f"{persona} cannot open {page_url}"
    form = the_form(response.text, url, method, hidden)
    fuzzable = [f for f in form.fields if f["kind"] not in {"hidden", "submit", "button"}]
    assert fuzzable, f"nothing to type into at {url}"
    strategies = {f["name"]: value_strategy(f) for f in form.fields}

    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(st.fixed_dictionaries(strategies))
    def post(values):
        data = {name: value for name, value in values.items() if value is not None}
        before = counts()
        answer = getattr(client, method)(url, data, follow=method == "post")
        assert answer.status_code < 500, f"{answer.status_code} at {url} for {data!r}"
        if method == "get":
            assert answer.status_code in {200, 400}, f"{answer.status_code} at {url}?{data!r}"
            assert counts() == before
            return
        if answer.redirect_chain:
            said = list(answer.context["messages"]) if answer.context else []
            saved = counts() != before  # a page of its own may say so (the public's thanks)
            assert said or saved, f"{url} redirected, saving nothing and saying nothing: {data!r}"
            refused = any(m.level == messages.ERROR for m in said)
            if saved or not refused:
                return  # accepted
            # Refused with a message after a redirect: if the page it leads to still offers the
            # form, what was typed must be in it (a form's errors are shown beside its fields).
            landed_on = answer.request["PATH_INFO"]  # a form with no action posts to its page
            forms = FormParser.parse(answer.text).forms
            if not any(f.action == url or (not f.action and landed_on == url) for f in forms):
                return  # refused whole: the form is gone (an agenda already published, say)
        elif answer.status_code != 200:
            return  # refused whole (403/404/429) with a message
        else:
            assert counts() == before, f"an invalid form at {url} saved something: {data!r}"
        page_text = answer.content.decode()
        for f in fuzzable:
            typed = data.get(f["name"])
            if f["kind"] in TYPED_KINDS and isinstance(typed, str):
                # Line breaks are kept as "\n" (config.middleware.LineEndingsMiddleware).
                as_kept = typed.replace("\r\n", "\n").replace("\r", "\n")
                shown = html.escape(as_kept, quote=True)
                shown_raw = html.escape(typed, quote=True)
                assert as_kept.strip() == "" or shown in page_text or shown_raw in page_text, (
                    f"{f['name']} lost what was typed at {url}: {typed!r}"
                )

    post()


def test_the_fuzzer_reads_forms():
    parser = FormParser()
    parser.feed(
        '<form method="post"><input name="a"><textarea name="b">x</textarea>'
        '<select name="c"><option value="1">One</option></select>'
        '<input type="checkbox" name="d" value="7"></form>'
    )
    (form,) = parser.forms
    assert [f["name"] for f in form.fields] == ["a", "b", "c", "d"]
    assert form.fields[2]["options"] == ["1"]


def test_the_fuzzer_picks_a_form_by_its_hidden_field():
    page_html = (
        '<form method="post"><input type="hidden" name="move" value="upload">'
        '<input type="file" name="file"></form>'
        '<form method="post"><input type="hidden" name="move" value="details">'
        '<input name="title"><textarea name="description"></textarea></form>'
    )
    assert [f["name"] for f in the_form(page_html, "/x/").fields][-1] == "description"
    upload = the_form(page_html, "/x/", hidden="upload")
    assert [f["name"] for f in upload.fields] == ["move", "file"]
