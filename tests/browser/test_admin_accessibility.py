"""The Django admin, as an administrator sees it: every registered model's list, add and change
pages, one object's history, the admin's index and each app's, and the password change page,
with no WCAG 2.2 A or AA violation axe-core finds. The models come from the admin site's
registry, so a model registered later is walked too. The meeting and route template forms fit
a 1280 px window without scrolling sideways."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultation.models import (
    ConsultationWindow,
    ResponseImport,
    SuggestionRun,
)
from delivery.models import IndicatorValueImport, ProgressReport
from governance.models import (
    AgendaItem,
    Decision,
    ExecutiveResponse,
    Meeting,
    ModernGovSite,
    RouteTemplate,
)
from strategies.models import (
    Organisation,
    OutcomeIndicator,
    ReminderPreference,
    SentReminder,
    Strategy,
    User,
)
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def one_of_everything(settings) -> User:
    """The demo's data, plus one row of each registered model the demo leaves empty; and the
    administrator who walks the admin."""
    settings.DEBUG = True  # load_demo refuses without it
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False
    administrator = UserFactory(
        username="alex", role=User.Role.ADMINISTRATOR, organisation=None, is_staff=True,
        is_superuser=True, password=PASSWORD,
    )  # fmt: skip
    now = timezone.now()
    strategy = Strategy.objects.order_by("pk").first()
    window = ConsultationWindow.objects.order_by("pk").first()
    meeting = Meeting.objects.order_by("pk").first()
    indicator = OutcomeIndicator.objects.order_by("pk").first()
    Group.objects.create(name="Auditors")
    # As django-axes records a sign-in: with the page it was made on.
    sign_in_page = {"path_info": "/accounts/login/", "user_agent": "Firefox"}
    AccessAttempt.objects.create(
        username="mallory", ip_address="192.0.2.1", failures_since_start=1, **sign_in_page
    )
    AccessLog.objects.create(username="alex", ip_address="192.0.2.2", **sign_in_page)
    AccessFailureLog.objects.create(username="mallory", ip_address="192.0.2.1", **sign_in_page)
    ReminderPreference.objects.create(user=administrator, kind="agenda_deadline", enabled=False)
    SentReminder.objects.create(
        kind="agenda_deadline", key="agenda-deadline:meeting-1", recipient=administrator,
        sent_at=now,
    )  # fmt: skip
    decision = Decision.objects.filter(executive_response__isnull=True).order_by("pk").first()
    ExecutiveResponse.objects.create(
        decision=decision, body=decision.gate.body, responded_on=datetime.date(2024, 5, 1),
        response="Accepted.", recorded_by=administrator, recorded_at=now,
    )  # fmt: skip
    ModernGovSite.objects.create(
        organisation=Organisation.objects.order_by("pk").first(),
        base_url="https://democracy.example.gov.uk",
    )
    AgendaItem.objects.create(meeting=meeting, moderngov_id=1, number="5", title="The strategy")
    ResponseImport.objects.create(
        window=window, file_name="survey.csv", sha256="a" * 64, imported_by=administrator,
        imported_at=now, rows=1, added=1,
    )  # fmt: skip
    run = SuggestionRun.objects.create(window=window, requested_by=administrator, requested_at=now)
    run.suggestions.create(label="Carers and respite", response_ids=[])
    IndicatorValueImport.objects.create(
        indicator=indicator, file_name="values.csv", sha256="b" * 64, imported_by=administrator,
        imported_at=now, added=1,
    )  # fmt: skip
    ProgressReport.objects.create(
        strategy=strategy, title="Annual report", covers_from=datetime.date(2024, 4, 1),
        covers_to=datetime.date(2025, 3, 31), created_at=now,
    )  # fmt: skip
    return administrator


def admin_pages(request) -> list[str]:
    """Every kind of admin page an administrator opens, from the site's registry: the index,
    each app's index, each model's list, add page and first row's change page, one history
    page for each app (they share a template), and the password change page."""
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    apps_seen = set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        if opts.app_label not in apps_seen:
            pages.append(reverse("admin:app_list", args=[opts.app_label]))
        pages.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{name}_change", args=[first.pk]))
            if opts.app_label not in apps_seen:
                pages.append(reverse(f"{name}_history", args=[first.pk]))
        apps_seen.add(opts.app_label)
    return pages


class AsUser:
    """What the ModelAdmins' permission checks and querysets read of a request."""

    method = "GET"

    def __init__(self, user):
        self.user = user
        self.GET = self.POST = {}


def test_every_admin_page_passes_axe_core(page, settings):
    administrator = one_of_everything(settings)
    # Every registered model has a row, so that each change page is walked.
    empty = [m._meta.label for m in admin.site._registry if not m._default_manager.exists()]
    assert not empty
    sign_in(page, "alex", PASSWORD)
    pages = admin_pages(AsUser(administrator))
    # A list sorted by two columns (the sort icons), and a second page of a long list.
    pages += ["/admin/strategies/strategy/?o=1.-2", "/admin/audit/entry/?p=2"]
    failures = []
    for url in pages:
        assert page.goto(url).status == 200, url
        try:
            assert_accessible(page)
        except AssertionError as problem:
            failures.append(str(problem).split("\nassert")[0])
    assert not failures, f"{len(failures)} of {len(pages)} pages:\n" + "\n".join(failures)

    # An autocomplete box, open: its search box and its list of choices.
    page.goto("/admin/strategies/strategy/add/")
    page.get_by_role("combobox", name="Lead organisation").click()
    page.get_by_role("searchbox", name="Lead organisation: search").fill("Council")
    page.locator(".select2-results").get_by_role("option", name="Bury Council").wait_for()
    assert_accessible(page)
    # A row added to an inline form set: its boxes labelled too.
    page.goto(f"/admin/consultation/consultationwindow/{ConsultationWindow.objects.first().pk}/")
    for link in page.locator(".add-row a").all():
        link.click()
    assert_accessible(page)

    # The meeting and route template forms fit a 1280 px window: no sideways scrolling.
    # (Here rather than in a test of its own, which would load the demo again.)
    route = RouteTemplate.objects.order_by("pk").first()
    meeting = Meeting.objects.order_by("pk").first()
    for url in [
        reverse("admin:governance_routetemplate_add"),
        reverse("admin:governance_routetemplate_change", args=[route.pk]),
        reverse("admin:governance_meeting_add"),
        reverse("admin:governance_meeting_change", args=[meeting.pk]),
    ]:
        page.goto(url)
        assert page.viewport_size["width"] == 1280
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{url} scrolls sideways: {widths}"
