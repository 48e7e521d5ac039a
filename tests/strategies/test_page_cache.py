"""The page cache (strategies/page_cache.py): a page served again costs one query beyond signing
in, and is rendered afresh as soon as anything it could show has changed, for each person, day
and CSRF secret, never with someone's messages in it."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.apps import apps
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, connections, transaction
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.feed_keys import reset_feed_key
from strategies import page_cache
from strategies.models import Strategy
from tests.conftest import client_for
from tests.factories import StrategyFactory, add_priority

SIGN_IN_AND_VERSION = 3  # the session, the user with their organisation, the data version


def _queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


def kept(client: Client, url: str) -> str:
    """Requests the page until it is kept, and returns it as served from the cache."""
    client.get(url)
    client.get(url)
    count, page = _queries(client, url)
    assert count == SIGN_IN_AND_VERSION, url
    return page


def test_every_model_is_recorded_or_named_with_how_its_changes_show():
    """A new model without history must be classified, or a change to it could be missed."""
    labels = {config.label for config in page_cache.our_apps()}
    assert {"accounts", "audit", "strategies", "governance", "consultation", "portal"} <= labels
    for model in page_cache.our_models():
        name = model._meta.label
        recorded = page_cache.is_historical(model) or hasattr(model, "history")
        named = page_cache.how_changes_show(model) not in (None, "history")
        if recorded and named:  # only a stamp its history leaves out (a response anonymised)
            kept = {f.name for f in model.history.model._meta.fields}
            assert page_cache.how_changes_show(model) == "stamped", name
            assert model.stamped_by not in kept, f"{name}: its history shows its stamp"
            continue
        assert recorded != named, f"{name}: give it history or say how its changes show"
    stamped = [m for m in page_cache.our_models() if page_cache.how_changes_show(m) == "stamped"]
    for model in stamped:
        model._meta.get_field(model.stamped_by)  # no stale column names
    for model in page_cache.our_models():
        if page_cache.how_changes_show(model) == "changed_with":
            model._meta.get_field(model.changed_with)


APPEND_ONLY = sorted(
    m._meta.label
    for m in page_cache.our_models()
    if page_cache.how_changes_show(m) == "append_only"
)


def test_the_append_only_tables_are_the_ones_that_refuse_changes():
    assert APPEND_ONLY == [
        "audit.Entry",
        "governance.ApprovedPart",
        "governance.Decision",
        "governance.Transition",
        "strategies.Revision",
        "strategies.SentReminder",
    ]


@pytest.mark.parametrize("label", APPEND_ONLY)
def test_append_only_rows_refuse_to_be_changed(label):
    model = apps.get_model(label)
    row = model(pk=1)
    row._state.adding = False  # as loaded from the database
    with pytest.raises(ValueError, match="never changed"):
        row.save()


def test_a_page_served_again_costs_one_query_beyond_signing_in(officer, strategy):
    client = client_for(officer)
    url = strategy.get_absolute_url()
    first, _ = _queries(client, url)  # gives out the session's CSRF cookie: not kept
    second, page = _queries(client, url)  # kept
    again, same = _queries(client, url)
    assert again == SIGN_IN_AND_VERSION < second == first
    assert same == page


def test_the_version_is_one_query_whatever_the_data(officer, strategy):
    with CaptureQueriesContext(connection) as queries:
        before = page_cache.data_version()
    assert len(queries) == 1
    add_priority(strategy, "Reduce inequalities")
    assert page_cache.data_version() != before


def test_any_recorded_change_renders_the_page_again(officer, manager, strategy):
    client = client_for(officer)
    url = strategy.get_absolute_url()
    assert "Dudley Health and Wellbeing Strategy" in kept(client, url)
    strategy.title = "Dudley Health and Wellbeing Strategy 2017 to 2022"
    strategy.save()  # as every edit does, with its history row
    assert "2017 to 2022" in client.get(url).content.decode()
    # A change to something else entirely changes the version as well.
    kept(client, url)
    add_priority(StrategyFactory(lead_organisation=manager.organisation), "Another priority")
    assert _queries(client, url)[0] > SIGN_IN_AND_VERSION


def test_each_person_gets_their_own_page(officer, other_officer, strategy):
    url = strategy.get_absolute_url()
    assert client_for(officer).get(url).status_code == 200
    assert client_for(officer).get(url).status_code == 200
    # Another organisation's draft does not exist for its officer, cached or not.
    assert client_for(other_officer).get(url).status_code == 404


def test_a_message_is_shown_once_and_never_kept(officer, strategy):
    priority = add_priority(strategy, "Improve wellbeing")
    client = client_for(officer)
    url = strategy.get_absolute_url()
    kept(client, url)
    move = reverse(
        "strategies:move-item",
        kwargs={"slug": strategy.slug, "kind": "priorities", "pk": priority.pk},
    )
    # Nothing changes (it is already first), so the page kept before would match: the message
    # must still be shown, and the page that showed it must not be kept.
    assert client.post(move, {"direction": "up"}).status_code == 302
    assert "already at the top" in client.get(url).content.decode()
    assert "already at the top" not in client.get(url).content.decode()


def test_the_day_and_for_some_pages_the_minute_are_in_the_key(secretary, strategy, monkeypatch):
    moment = [timezone.make_aware(datetime.datetime(2026, 12, 3, 10, 0))]
    monkeypatch.setattr(page_cache, "_now", lambda: moment[0])
    client = client_for(secretary)
    for url in [strategy.get_absolute_url(), reverse("governance:meetings")]:
        kept(client, url)
    moment[0] += datetime.timedelta(minutes=1)
    assert _queries(client, strategy.get_absolute_url())[0] == SIGN_IN_AND_VERSION
    assert _queries(client, reverse("governance:meetings"))[0] > SIGN_IN_AND_VERSION
    moment[0] += datetime.timedelta(days=1)
    assert _queries(client, strategy.get_absolute_url())[0] > SIGN_IN_AND_VERSION


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_a_kept_page_carries_a_token_for_its_own_session(officer, strategy):
    """Two sessions of one person have two CSRF secrets: each kept page signs out its own."""
    url = strategy.get_absolute_url()
    clients = [Client(enforce_csrf_checks=True) for _ in range(2)]
    for client in clients:  # both signed in first (signing in is recorded: a new version)
        client.force_login(officer)
    for client in clients:
        page = kept(client, url)
        signed_out = client.post(reverse("logout"), {"csrfmiddlewaretoken": _token(page)})
        assert signed_out.status_code == 302


def _signed_in_get(rf, user):
    """A GET as the middleware leaves it: signed in, with a session, messages and a CSRF secret
    (each request its own, so nothing passes from one to the next but the page cache)."""
    request = rf.get("/somewhere/")
    request.user = user
    request.session = SessionStore()
    request._messages = default_storage(request)
    request.META["CSRF_COOKIE"] = "s" * 32
    return request


def test_a_plain_page_is_rendered_once_and_then_kept(rf, officer):
    """The control for the two tests below: the same requests, with a page that may be kept."""
    rendered = []

    @page_cache.cached_page
    def view(request):
        rendered.append(request)
        return HttpResponse("A page")

    for _ in range(2):
        assert view(_signed_in_get(rf, officer)).content == b"A page"
    assert len(rendered) == 1


def test_a_page_that_leaves_a_message_is_not_kept(rf, officer):
    rendered = []

    @page_cache.cached_page
    def view(request):
        rendered.append(request)
        messages.info(request, "Left for the next page")
        return HttpResponse("A page")

    for _ in range(2):
        assert view(_signed_in_get(rf, officer)).content == b"A page"
    assert len(rendered) == 2


def test_a_page_rendered_after_the_view_is_served_and_not_kept(rf, officer):
    rendered = []

    @page_cache.cached_page
    def view(request):
        rendered.append(request)
        return TemplateResponse(request, "403_csrf.html")

    for _ in range(2):
        assert view(_signed_in_get(rf, officer)).render().status_code == 200
    assert len(rendered) == 2


def test_a_reset_feed_address_stops_at_once(manager, strategy):
    key = reset_feed_key(manager, "First")
    url = f"{reverse('calendar-feed')}?key={key}"
    client = Client()
    first = client.get(url)
    again = client.get(url)
    assert again.content == first.content
    assert again["Content-Type"] == "text/calendar; charset=utf-8"
    assert again["Cache-Control"] == "private, no-store"
    reset_feed_key(manager, "Lost my phone")
    assert client.get(url).status_code == 404


def test_the_page_cache_can_be_turned_off(officer, strategy, settings):
    settings.PAGE_CACHE = False
    client = client_for(officer)
    url = strategy.get_absolute_url()
    first, _ = _queries(client, url)
    assert _queries(client, url)[0] == _queries(client, url)[0] == first > SIGN_IN_AND_VERSION


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's commit order")
def test_a_change_committed_after_a_newer_one_still_renders_the_page_again(officer, lead_org):
    """PostgreSQL gives ids out at insert: a slow edit takes the lower history id, a quick one
    the higher, and the quick one commits first. The newest id does not move when the slow one
    commits, yet its change must show."""
    slow = StrategyFactory(lead_organisation=lead_org, title="Slow strategy")
    quick = StrategyFactory(lead_organisation=lead_org, title="Quick strategy")
    inserted, release = threading.Event(), threading.Event()

    def slow_edit() -> None:
        try:
            with transaction.atomic():
                strategy = Strategy.objects.get(pk=slow.pk)
                strategy.title = "Renamed slowly"
                strategy.save()  # its history row takes the lower id
                inserted.set()
                release.wait(10)
        finally:
            connections.close_all()

    editing = threading.Thread(target=slow_edit)
    editing.start()
    try:
        assert inserted.wait(10)
        quick.title = "Renamed quickly"
        quick.save()  # a higher id, committed first
        client = client_for(officer)
        url = reverse("strategies:list")
        page = kept(client, url)
        assert "Renamed quickly" in page and "Renamed slowly" not in page
    finally:
        release.set()
        editing.join(10)
    assert "Renamed slowly" in client.get(url).content.decode()
