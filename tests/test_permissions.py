"""The permission matrix: every URL pattern of the project (the admin aside, which is Django's
own and for administrators only) with every kind of person, and the answer each must get.

A pattern missing from MATRIX fails `test_every_url_pattern_is_in_the_matrix`, so a new view
cannot escape this test. Each answer is checked in a savepoint that is rolled back, so one
person's POST does not change what the next person meets.

People, in the order of each row: anonymous, an officer of the lead organisation, an officer of
another organisation, a secretary of the lead organisation's Board, a secretary of another
organisation's board, a secretary of the lead organisation's scrutiny committee (not on the
route: it reads the strategy and keeps the call-ins of its Cabinet's decisions), a manager (of
another organisation: managers read everything) and an administrator. The strategy is the lead
organisation's draft (see tests/world.py).
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse

from governance.models import Body, BodySecretary
from strategies.models import User
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.world import World, build

PEOPLE = [
    "anonymous",
    "officer",
    "other_officer",
    "secretary",
    "other_secretary",
    "scrutiny_secretary",
    "manager",
    "administrator",
]

PUBLIC = "200 200 200 200 200 200 200 200"
STAFF = "302 200 200 200 200 200 200 200"  # anonymous people are sent to sign in
READ = "302 200 404 200 404 200 200 200"  # the draft exists only for those who may read it
EDIT = "302 200 404 403 404 403 403 403"  # the lead organisation's officers write content
PLAN = "302 200 404 403 404 403 403 200"  # ... and plan its route (administrators too)
PLAN_MOVE = "302 302 404 403 404 403 403 302"  # a planner's POST, answered with a redirect
# Consultation results: the secretaries of a body on the route read them (without who responded);
# a scrutiny committee's secretary whose committee is not on it does not.
RESPONSES = "302 200 404 200 404 403 200 200"
API = "401 " * 7 + "401"  # the API takes a token (tests/portal/api/), never a session


def _officers_token(w: World) -> dict:
    from portal.api.tokens import create_token

    return {"pk": create_token(w.people["officer"], "Power BI")[0].pk}


# name: (method, arguments from the world, expected answers in the order of PEOPLE)
MATRIX: dict[str, tuple[str, object, str]] = {
    "home": ("get", {}, PUBLIC),  # the dashboard, or the public start page
    "healthz": ("get", {}, PUBLIC),
    # The footer's pages about Waymark itself, for everyone.
    "accessibility": ("get", {}, PUBLIC),
    "privacy": ("get", {}, PUBLIC),
    "login": ("get", {}, "200 302 302 302 302 302 302 302"),
    "logout": ("post", {}, "302 302 302 302 302 302 302 302"),
    "published-list": ("get", {}, PUBLIC),
    "published-strategy": ("get", lambda w: {"slug": w.strategy.slug}, "404 " * 7 + "404"),
    # Open data: what the public pages show, for everyone (a draft is in none of it).
    "open-data": ("get", {}, PUBLIC),
    "open-data-json": ("get", {"slug": "strategies"}, PUBLIC),
    "open-data-csv": ("get", {"slug": "you-said-we-did"}, PUBLIC),
    "calendar-feed": ("get", {}, "404 " * 7 + "404"),  # no key: nothing to see
    "calendar": ("get", {}, STAFF),
    "calendar-reset": ("post", {}, "302 302 302 302 302 302 302 302"),
    "account-reminders": ("get", {}, STAFF),
    # API tokens: each person's own (another's token is not there for them to revoke).
    "account-api-tokens": ("get", {}, STAFF),
    "account-api-token-revoke": ("post", _officers_token, "302 302 404 404 404 404 404 404"),
    # The read-only API answers a token, never a session: 401 for everyone without one. Its
    # schema and documentation describe it to anyone; its root is no page of its own.
    "api:openapi-json": ("get", {}, PUBLIC),
    "api:openapi-view": ("get", {}, PUBLIC),
    "api:api-root": ("get", {}, "404 " * 7 + "404"),
    "api:strategies": ("get", {}, API),
    "api:strategy": ("get", "slug", API),
    "api:gates": ("get", {}, API),
    "api:decisions": ("get", {}, API),
    "api:meetings": ("get", {}, API),
    "api:consultations": ("get", {}, API),
    "api:delivery-actions": ("get", {}, API),
    "api:delivery-indicator-values": ("get", {}, API),
    "account-two-factor": ("get", {}, STAFF),
    "sign-in-code": ("get", {}, "302 302 302 302 302 302 302 302"),  # no password given first
    # To Waymark's sign-in; signed in, to the admin, or told it is for administrators (sending
    # them to sign in again brought them straight back, round and round).
    "admin-login": ("get", {}, "302 403 403 403 403 403 403 302"),
    # strategies
    "strategies:list": ("get", {}, STAFF),
    "strategies:create": ("get", {}, "302 200 200 403 403 403 403 403"),
    "strategy": ("get", "slug", READ),
    "strategies:edit": ("get", "slug", EDIT),
    "strategy-history": ("get", "slug", READ),
    "strategy-export": ("get", "slug", READ),
    "strategies:revisions": ("get", "slug", READ),
    "strategies:compare": ("get", "slug", "302 302 404 302 404 302 302 302"),
    "strategies:revision": ("get", lambda w: {"slug": w.strategy.slug, "number": 1}, READ),
    "strategies:add-priority": ("get", "slug", EDIT),
    "strategies:add-indicator": ("get", "slug", EDIT),
    "strategies:add-evidence": ("get", "slug", EDIT),
    "strategies:add-objective": (
        "get", lambda w: {"slug": w.strategy.slug, "parent_pk": w.items["priorities"].pk}, EDIT
    ),
    "strategies:add-action": (
        "get", lambda w: {"slug": w.strategy.slug, "parent_pk": w.items["objectives"].pk}, EDIT
    ),
    "strategies:edit-item": ("get", lambda w: _item(w, "actions"), EDIT),
    "strategies:delete-item": ("get", lambda w: _item(w, "evidence"), EDIT),
    "strategies:move-item": (
        "post", lambda w: _item(w, "priorities"), "302 302 404 403 404 403 403 403"
    ),
    # governance
    "governance:route": ("get", "slug", READ),
    "governance:apply-route": ("post", "slug", PLAN_MOVE),
    "governance:add-gate": ("get", "slug", PLAN),
    "governance:replan-gate": ("get", lambda w: _gate(w, w.scheduled_gate), PLAN),
    "governance:remove-gate": ("post", lambda w: _gate(w, w.scheduled_gate), PLAN_MOVE),
    "governance:resubmit-gate": ("post", lambda w: _gate(w, w.scheduled_gate), PLAN_MOVE),
    "governance:open-revision": ("post", "slug", PLAN_MOVE),
    "governance:withdraw": ("post", "slug", PLAN_MOVE),
    "governance:publish": ("post", "slug", PLAN_MOVE),
    # A move after publication: its page (the draft here, so it says why not, to planners).
    "governance:lifecycle": (
        "get",
        lambda w: {"slug": w.strategy.slug, "move": "start-delivery"},
        PLAN,
    ),
    "timeline": ("get", {}, STAFF),
    "governance:gates-csv": ("get", {}, STAFF),
    "governance:meetings": ("get", {}, "302 403 403 200 200 200 200 200"),
    "governance:meeting-create": ("get", {}, "302 403 403 200 200 200 403 200"),
    "governance:meeting": (
        "get", lambda w: {"pk": w.meeting.pk}, "302 403 403 200 404 404 200 200"
    ),
    # managers read meetings but change nothing
    "governance:meeting-edit": (
        "get", lambda w: {"pk": w.meeting.pk}, "302 403 403 200 404 404 403 200"
    ),
    # held: a meeting of yesterday still marked scheduled; cancelled: the upcoming meeting
    "governance:mark-meeting-held": (
        "post", lambda w: {"pk": _yesterdays(w).pk}, "302 403 403 302 404 404 403 302"
    ),
    "governance:mark-meeting-cancelled": (
        "post", lambda w: {"pk": w.meeting.pk}, "302 403 403 302 404 404 403 302"
    ),
    "governance:agenda-references": (
        "get", lambda w: {"pk": w.scheduled_gate.pk}, "302 403 403 200 404 403 403 200"
    ),
    "governance:record-decision": (
        "get", lambda w: {"pk": w.scheduled_gate.pk}, "302 403 403 200 404 403 403 200"
    ),
    # an agenda item brought in from Modern.gov: its meeting's secretaries match it to a gate
    "governance:match-agenda-item": (
        "get", lambda w: {"pk": _agenda_item(w).pk}, "302 403 403 200 404 404 403 200"
    ),
    "governance:decision": ("get", lambda w: {"pk": w.decision.pk}, READ),
    "governance:correct-decision": (
        "get", lambda w: {"pk": w.decision.pk}, "302 403 404 200 404 403 403 200"
    ),
    # a call-in: only of an executive decision (the Board's is not: refused to all who see it)
    "governance:record-call-in": (
        "get", lambda w: {"pk": w.decision.pk}, "302 403 404 403 404 403 403 403"
    ),
    # the executive's response to scrutiny's recommendations: the secretaries of either body
    "governance:record-response": (
        "get", lambda w: _recommendations(w), "302 403 404 200 404 403 403 200"
    ),
    # what came of a call-in: the secretaries of the body that decided (or of its scrutiny)
    "governance:call-in-outcome": (
        "get", lambda w: _call_in(w), "302 403 404 200 404 200 403 200"
    ),
    # committee reports: read with the strategy, written by the lead organisation's officers
    "strategy-report": ("get", "slug", READ),
    "gate-report": ("get", lambda w: _gate(w, w.scheduled_gate), READ),
    "start-report": (
        "post", lambda w: _gate(w, w.scheduled_gate), "302 302 404 403 404 403 403 403"
    ),
    "edit-report": ("get", lambda w: _reported(w), EDIT),
    "refresh-report": ("post", lambda w: _reported(w), "302 302 404 403 404 403 403 403"),
    "print-report": ("get", lambda w: _reported(w), READ),
    "report-docx": ("get", lambda w: _reported(w), READ),
    "report-pdf": ("get", lambda w: _reported(w), READ),
    # consultation: the public pages
    "consultation:public-list": ("get", {}, PUBLIC),
    "consultation:public": ("get", lambda w: {"slug": w.window.slug}, PUBLIC),
    # without a response just sent, the thank-you page sends people back to the consultation
    "consultation:thanks": ("get", lambda w: {"slug": w.window.slug}, "302 " * 7 + "302"),
    "consultation:public-response": ("get", lambda w: {"slug": w.window.slug}, "404 " * 7 + "404"),
    # consultation: staff
    "consultation:strategy": ("get", "slug", RESPONSES),
    "consultation:create": ("get", "slug", PLAN),
    # Secretaries not on the route are taken to the open consultation's public page instead.
    "consultation:window": (
        "get", lambda w: {"pk": w.window.pk}, "302 200 404 200 404 302 200 200"
    ),
    "consultation:edit": ("get", lambda w: {"pk": w.window.pk}, PLAN),
    "consultation:open": ("post", lambda w: {"pk": w.window.pk}, PLAN_MOVE),
    "consultation:close": ("get", lambda w: {"pk": w.window.pk}, PLAN),  # what closing means
    # the record form, posted empty (to an open window): shown again with what stops it
    "consultation:record": ("post", lambda w: {"pk": w.window.pk}, PLAN),
    # asks to confirm first (a GET page, saying why not yet when it cannot be published)
    "consultation:publish": ("get", lambda w: _closed(w, {"pk": w.window.pk}), PLAN),
    "consultation:add-event": ("post", lambda w: {"pk": w.window.pk}, PLAN),  # empty: re-shown
    "consultation:edit-event": (
        "get", lambda w: {"pk": w.window.pk, "event_pk": w.event.pk}, PLAN
    ),
    "consultation:add-partner": ("post", lambda w: {"pk": w.window.pk}, PLAN),  # empty: re-shown
    "consultation:add-theme": ("post", lambda w: {"pk": w.window.pk}, PLAN),  # empty: re-shown
    "consultation:add-entry": ("get", lambda w: _closed(w, {"pk": w.window.pk}), PLAN),
    "consultation:edit-entry": (
        "get", lambda w: _closed(w, {"pk": w.window.pk, "entry_pk": w.entry.pk}), PLAN
    ),
    "consultation:analysis": ("get", lambda w: {"pk": w.window.pk}, RESPONSES),
    "consultation:export": ("get", lambda w: {"pk": w.window.pk}, RESPONSES),
    "consultation:tag": (
        "post",
        lambda w: {"pk": w.window.pk, "response_pk": w.window.responses.get().pk},
        "302 302 404 403 404 403 403 302",
    ),
    # responses sent another way: keyed in, or imported (a file not uploaded: back to upload it)
    "consultation:key-in": ("get", lambda w: {"pk": w.window.pk}, PLAN),
    "consultation:import": ("get", lambda w: {"pk": w.window.pk}, PLAN),
    "consultation:import-map": (
        "get", lambda w: {"pk": w.window.pk, "sha": "0" * 64}, "302 302 404 403 404 403 403 302"
    ),
    # empty: shown again with the problem beside the theme
    "consultation:bulk-tag": ("post", lambda w: {"pk": w.window.pk}, PLAN),
    # theme suggestions: read with the responses, asked for and decided by those who run it
    "consultation:suggestions": ("get", lambda w: {"pk": w.window.pk}, RESPONSES),
    "consultation:suggestions-progress": ("get", lambda w: {"pk": w.window.pk}, RESPONSES),
    "consultation:suggestions-run": ("post", lambda w: {"pk": w.window.pk}, PLAN_MOVE),
    # posted without a choice: sent back to the page, told to choose
    "consultation:suggestion-decide": ("post", lambda w: _suggested(w), PLAN_MOVE),
    "consultation:confirm-tags": (
        "post", lambda w: {"pk": w.window.pk, "theme_pk": w.theme.pk}, PLAN_MOVE
    ),
    # delivery plan: read with the strategy, kept by its planners (milestones from the draft on,
    # progress updates once approved: _in_delivery adopts the strategy, which all staff then read)
    "delivery:plan": ("get", "slug", READ),
    "delivery:action": ("get", lambda w: _action(w), READ),
    "delivery:add-milestone": ("post", lambda w: _action(w), PLAN),  # empty: re-shown
    "delivery:edit-milestone": ("get", lambda w: _milestone(w), PLAN),
    "delivery:complete-milestone": ("post", lambda w: _milestone(w), PLAN_MOVE),
    "delivery:remove-milestone": ("get", lambda w: _milestone(w), PLAN),
    "delivery:add-update": (
        "post", lambda w: _action(_in_delivery(w)), "302 200 403 403 403 403 403 200"
    ),  # empty: re-shown
    "delivery:correct-update": (
        "get", lambda w: _progress_update(_in_delivery(w)), "302 200 403 403 403 403 403 200"
    ),
    # indicators over time: read with the strategy, their values kept by its planners
    # progress reports: of an adopted strategy (which all staff read), written by its planners
    "delivery:progress-reports": ("get", "slug", READ),
    "delivery:start-progress-report": (
        "get", lambda w: {"slug": _in_delivery(w).strategy.slug}, "302 200 403 403 403 403 403 200"
    ),  # fmt: skip
    "delivery:progress-report": ("get", lambda w: _progress_report(w), STAFF),
    "delivery:progress-report-meeting": (  # empty: re-shown with what is missing
        "post", lambda w: _progress_report(w), "302 400 403 403 403 403 403 400"
    ),  # fmt: skip
    "delivery:send-progress-report": (
        "get", lambda w: _progress_report(w), "302 200 403 403 403 403 403 200"
    ),  # fmt: skip
    "delivery:progress-report-print": ("get", lambda w: _progress_report(w), STAFF),
    "progress-report-docx": ("get", lambda w: _progress_report(w), STAFF),
    "progress-report-pdf": ("get", lambda w: _progress_report(w), STAFF),
    "delivery:indicators": ("get", "slug", READ),
    "delivery:indicator": ("get", lambda w: _indicator(w), READ),
    "delivery:value-edit": ("get", lambda w: _indicator_value(w), PLAN),
    # posted without the value's fingerprint: refused as stale, back to the indicator's page
    "delivery:value-remove": ("post", lambda w: _indicator_value(w), PLAN_MOVE),
    "delivery:indicator-import": ("get", lambda w: _indicator(w), PLAN),
    "delivery:indicator-import-check": (  # a file not uploaded: back to upload it
        "get", lambda w: {**_indicator(w), "sha": "0" * 64}, PLAN_MOVE
    ),
    # documents: read with what they belong to; kept by the strategy's planners (and a body's
    # secretaries, its gates' and decisions' papers: the Board's secretary adds to those)
    "documents:strategy": ("get", "slug", READ),
    "documents:add": ("get", "slug", "302 200 404 200 404 403 403 200"),
    "documents:add-meeting-paper": (
        "get", lambda w: {"pk": w.meeting.pk}, "302 403 403 200 404 404 403 200"
    ),
    "documents:document": ("get", lambda w: {"pk": _document(w).pk}, READ),
    # a draft's file: as if it did not exist for those who may not read it, signed in or not
    "documents:download": ("get", lambda w: _download(w), "404 200 404 200 404 200 200 200"),
}  # fmt: skip


def _document(w: World):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents import workflow

    return workflow.add_document(
        w.people["officer"], w.strategy, title="The strategy", kind="strategy",
        upload=SimpleUploadedFile("strategy.pdf", b"%PDF-1.4\n%%EOF\n"),
    )  # fmt: skip


def _download(w: World) -> dict:
    document = _document(w)
    return {"pk": document.pk, "number": 1, "name": document.latest.file_name}


def _indicator(w: World) -> dict:
    return {"slug": w.strategy.slug, "pk": w.items["indicators"].pk}


def _indicator_value(w: World) -> dict:
    from delivery.models import IndicatorValue

    value = IndicatorValue.objects.create(
        indicator=w.items["indicators"], period="2019", period_start="2019-01-01",
        period_end="2019-12-31", value=61.5,
    )  # fmt: skip
    return {**_indicator(w), "value_pk": value.pk}


def _action(w: World) -> dict:
    return {"slug": w.strategy.slug, "pk": w.items["actions"].pk}


def _in_delivery(w: World) -> World:
    """The strategy adopted (as its route would make it), so that progress is reported."""
    w.strategy.stage = w.strategy.Stage.ADOPTED
    w.strategy.save(update_fields=["stage"])
    return w


def _progress_report(w: World) -> dict:
    import datetime

    from delivery import reports

    report = reports.start_report(
        _in_delivery(w).strategy, w.people["officer"], "Year one",
        datetime.date(2019, 1, 1), datetime.date(2019, 12, 31),
    )  # fmt: skip
    return {"slug": w.strategy.slug, "pk": report.pk}


def _milestone(w: World) -> dict:
    import datetime

    from delivery import plan
    from delivery.models import Milestone

    done = plan.save_milestone(
        Milestone(action=w.items["actions"], title="Campaign designed",
                  due_on=datetime.date(2030, 1, 1)),
        w.people["officer"],
    )  # fmt: skip
    return {"slug": w.strategy.slug, "pk": done.pk}


def _progress_update(w: World) -> dict:
    from django.utils import timezone

    from delivery import plan
    from delivery.models import ProgressUpdate

    done = plan.record_update(
        ProgressUpdate(action=w.items["actions"], as_of=timezone.localdate(), status="in_progress"),
        w.people["officer"],
    )
    return {"slug": w.strategy.slug, "pk": done.pk}


# Views whose anonymous answer is a redirect to sign in (the others redirect elsewhere or
# answer themselves).
SIGN_IN_FIRST = {
    name for name, (_, _, expected) in MATRIX.items()
    if expected.startswith("302 ") and name not in {"consultation:thanks", "logout"}
}  # fmt: skip


def _item(w: World, kind: str) -> dict:
    return {"slug": w.strategy.slug, "kind": kind, "pk": w.items[kind].pk}


def _gate(w: World, gate) -> dict:
    return {"slug": w.strategy.slug, "pk": gate.pk}


def _reported(w: World) -> dict:
    """The scheduled gate, with the committee report its officer has started."""
    from governance.models import CommitteeReport
    from portal.reports import start_report

    if not CommitteeReport.objects.filter(gate=w.scheduled_gate).exists():
        start_report(w.scheduled_gate, w.people["officer"])
    return _gate(w, w.scheduled_gate)


def _suggested(w: World) -> dict:
    """A theme suggested for the open consultation, not decided yet."""
    from django.utils import timezone

    from consultation.models import SuggestionRun

    run = SuggestionRun.objects.create(
        window=w.window, requested_by=w.people["officer"], requested_at=timezone.now()
    )
    suggestion = run.suggestions.create(label="Carers and respite", response_ids=[])
    return {"pk": w.window.pk, "suggestion_pk": suggestion.pk}


def _agenda_item(w: World):
    """An agenda item of the Board's upcoming meeting, as Modern.gov brings one in."""
    from governance.models import AgendaItem

    return AgendaItem.objects.create(meeting=w.meeting, moderngov_id=1, number="5", title="JHWS")


def _yesterdays(w: World):
    """A meeting of the Board that began yesterday, still marked scheduled."""
    import datetime

    from django.utils import timezone

    from governance.models import Meeting

    return Meeting.objects.create(
        body=w.board, starts_at=timezone.now() - datetime.timedelta(days=1)
    )


def _recommendations(w: World) -> dict:
    """The Board's recommendations at a scrutiny gate, which await the executive's response."""
    import datetime

    from django.utils import timezone

    from governance import workflow
    from governance.models import Meeting, Purpose

    gate = workflow.add_gate(w.strategy, w.board, Purpose.SCRUTINISE, w.people["officer"])
    held = Meeting.objects.create(
        body=w.board, starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    workflow.schedule_gate(gate, held, w.people["secretary"])
    decision = workflow.record_decision(
        gate, w.people["secretary"], "recommendations", "That the Cabinet funds carers' breaks."
    )
    return {"pk": decision.pk}


def _call_in(w: World) -> dict:
    """A Cabinet decision of the strategy, called in: the Cabinet's secretary is the world's."""
    import datetime

    from django.utils import timezone

    from governance import workflow
    from governance.models import Body, BodySecretary, Meeting, Purpose

    cabinet = Body.objects.create(
        organisation=w.lead_org, name="Cabinet", kind="cabinet", is_executive=True
    )
    BodySecretary.objects.create(body=cabinet, user=w.people["secretary"])
    gate = workflow.add_gate(w.strategy, cabinet, Purpose.ENDORSE, w.people["officer"])
    held = Meeting.objects.create(
        body=cabinet, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    workflow.schedule_gate(gate, held, w.people["secretary"])
    decision = workflow.record_decision(
        gate,
        w.people["secretary"],
        "endorsed",
        "Endorsed.",
        reasons="It meets the need.",
        alternatives_considered="None.",
    )
    row = workflow.record_call_in(
        decision, w.people["secretary"], timezone.localdate(), "Councillors Ali and Jennings"
    )
    return {"pk": row.pk}


def _closed(w: World, kwargs: dict) -> dict:
    """'You said, we did' is written once the consultation has closed."""
    from consultation.workflow import close_window

    if w.window.state == w.window.State.OPEN:
        w.window = close_window(w.window, w.people["officer"], "Enough responses")
    return kwargs


def url_names() -> list[str]:
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                if ns != "admin":
                    yield from walk(pattern.url_patterns, ns)
            elif pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return list(walk(get_resolver().url_patterns))


def test_every_url_pattern_is_in_the_matrix():
    missing = sorted(set(url_names()) - set(MATRIX))
    assert not missing, f"add these views to the permission matrix: {missing}"
    assert not sorted(set(MATRIX) - set(url_names())), "the matrix names views that are gone"


@pytest.fixture
def world(db, settings) -> World:
    settings.AXES_ENABLED = False
    settings.CONSULTATION_RATE_LIMIT = 0
    return matrix_world()


def matrix_world() -> World:
    """The world with every person of PEOPLE (the browser's walk of every page builds it too:
    tests/browser/test_every_page_accessible.py)."""
    world = build()
    # Added here, not in tests/world.py, which the form fuzzing and backup tests also build.
    scrutiny = Body.objects.create(
        organisation=world.lead_org, name="Scrutiny Committee", kind=Body.Kind.SCRUTINY
    )
    world.people["scrutiny_secretary"] = UserFactory(
        username="scott", organisation=world.lead_org, role=User.Role.SECRETARY
    )
    BodySecretary.objects.create(body=scrutiny, user=world.people["scrutiny_secretary"])
    return world


def matrix_kwargs(world: World, arguments: object) -> dict:
    """A row's URL arguments, made from the world (its helpers may add rows to it)."""
    if arguments == "slug":
        return {"slug": world.strategy.slug}
    if callable(arguments):
        return arguments(world)
    return arguments


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_person_gets_the_right_answer(world, name):
    method, arguments, expected = MATRIX[name]
    url = reverse(name, kwargs=matrix_kwargs(world, arguments))
    answers = []
    for person in PEOPLE:
        with transaction.atomic():
            response = getattr(client_for(world.people[person]), method)(url)
            transaction.set_rollback(True)
        if person == "anonymous" and response.status_code == 302 and name in SIGN_IN_FIRST:
            assert response["Location"].startswith("/accounts/login/"), response["Location"]
        answers.append(str(response.status_code))
    assert " ".join(answers) == " ".join(expected.split()), (
        f"{method.upper()} {url}\n  people:   {' '.join(p[:8] for p in PEOPLE)}\n"
        f"  got:      {' '.join(answers)}\n  expected: {' '.join(expected.split())}"
    )
