"""The main pages of Waymark, each with the person who sees it, over the demo's data: walked by
the W3C Nu HTML Checker (tests/test_html_validity.py) and by the screenshots at 1366 and 320
pixels (tests/browser/test_screenshots.py), and by the focus walk (every Tab stop's indicator,
tests/browser/test_focus_and_controls.py), so that all cover the same pages. A page added to
the project's main pages belongs here."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from consultation import workflow
from consultation.models import ConsultationWindow
from documents.models import Document
from governance.models import Decision, Meeting
from strategies.models import OutcomeIndicator, Revision, Strategy, User

# The demo's strategies (portal/demo/): the one an officer is taking through governance, and
# the one in delivery with a public page, a delivery plan and documents.
IN_GOVERNANCE = "dudley-hws-2017-2022"
IN_DELIVERY = "dudley-hws-2012-2016"
ANSWERED = "milton-keynes-jhws-2012"  # closed, with a "you said, we did" entry


def load_demo(settings) -> None:
    """The demo's data (`manage.py load_demo`), with DEBUG off again afterwards so that the
    error pages are the ones served, not Django's technical ones."""
    settings.DEBUG = True  # load_demo refuses without it
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False
    # The demo leaves its one "you said, we did" unpublished (the officers are "still
    # considering"); publish it so that the public page has something to show.
    workflow.publish_response(ConsultationWindow.objects.get(slug=ANSWERED), person("admin"))


def person(username: str) -> User:
    return User.objects.get(username=username)


def main_pages() -> dict[str, tuple[str, str | None, int]]:
    """name: (address, the demo user who sees it or None for the public, its status)."""
    strategy = Strategy.objects.get(slug=IN_GOVERNANCE)
    delivered = Strategy.objects.get(slug=IN_DELIVERY)
    window = ConsultationWindow.objects.filter(strategy=strategy).get()
    open_window = ConsultationWindow.objects.get(slug="demo-physical-activity-2027")
    secretary = person("secretary")
    meeting = Meeting.objects.filter(body__secretary_links__user=secretary).order_by("pk").first()
    decision = Decision.objects.filter(gate__strategy=strategy).order_by("pk").first()
    revision = Revision.objects.filter(strategy=strategy).order_by("number").first()
    indicator = OutcomeIndicator.objects.filter(strategy=delivered).order_by("pk").first()
    document = Document.objects.filter(strategy=delivered).order_by("pk").first()
    slug, done = strategy.slug, delivered.slug
    return {
        "start": (reverse("home"), None, 200),
        "sign-in": (reverse("login"), None, 200),
        "dashboard-officer": (reverse("home"), "officer", 200),
        "dashboard-secretary": (reverse("home"), "secretary", 200),
        "dashboard-manager": (reverse("home"), "manager", 200),
        "strategies": (reverse("strategies:list"), "officer", 200),
        "strategy": (reverse("strategy", args=[slug]), "officer", 200),
        "strategy-in-delivery": (reverse("strategy", args=[done]), "officer", 200),
        "strategy-edit": (reverse("strategies:edit", args=[slug]), "officer", 200),
        "route": (reverse("governance:route", args=[slug]), "officer", 200),
        "history": (reverse("strategy-history", args=[slug]), "officer", 200),
        "revisions": (reverse("strategies:revisions", args=[slug]), "officer", 200),
        "revision": (reverse("strategies:revision", args=[slug, revision.number]), "officer", 200),
        "report": (reverse("strategy-report", args=[slug]), "officer", 200),
        "timeline": (reverse("timeline"), "manager", 200),
        "my-meetings": (reverse("governance:meetings"), "secretary", 200),
        "meetings-manager": (reverse("governance:meetings"), "manager", 200),
        "meeting": (reverse("governance:meeting", args=[meeting.pk]), "secretary", 200),
        "decision": (reverse("governance:decision", args=[decision.pk]), "secretary", 200),
        "consultation-tab": (reverse("consultation:strategy", args=[slug]), "officer", 200),
        "consultation": (reverse("consultation:window", args=[window.pk]), "officer", 200),
        "analysis": (reverse("consultation:analysis", args=[window.pk]), "officer", 200),
        "consult-list": (reverse("consultation:public-list"), None, 200),
        "consult": (reverse("consultation:public", args=[open_window.slug]), None, 200),
        "you-said-we-did": (reverse("consultation:public-response", args=[ANSWERED]), None, 200),
        "published-list": (reverse("published-list"), None, 200),
        "published": (reverse("published-strategy", args=[done]), None, 200),
        "delivery-plan": (reverse("delivery:plan", args=[done]), "officer", 200),
        "indicators": (reverse("delivery:indicators", args=[done]), "officer", 200),
        "indicator": (reverse("delivery:indicator", args=[done, indicator.pk]), "officer", 200),
        "progress-reports": (reverse("delivery:progress-reports", args=[done]), "officer", 200),
        "documents": (reverse("documents:strategy", args=[done]), "officer", 200),
        "document": (reverse("documents:document", args=[document.pk]), "officer", 200),
        "calendar": (reverse("calendar"), "officer", 200),
        "two-factor": (reverse("account-two-factor"), "officer", 200),
        "reminders": (reverse("account-reminders"), "officer", 200),
        "api-tokens": (reverse("account-api-tokens"), "officer", 200),
        "accessibility": (reverse("accessibility"), None, 200),
        "privacy": (reverse("privacy"), None, 200),
        "open-data": (reverse("open-data"), None, 200),
        "not-found": ("/no-such-page/", None, 404),
        "not-found-signed-in": (reverse("strategy", args=["no-such-strategy"]), "officer", 404),
        "not-allowed": (reverse("strategies:create"), "manager", 403),
    }
