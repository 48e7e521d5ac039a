"""Two people editing the same row in the admin never silently overwrite each other, for the
rows without a version too (strategies/concurrency.py, FingerprintFormMixin): the second save,
made on the page as it was opened, is refused with their saved value beside the field, keeps
what was typed, and goes through when saved again on purpose."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from consultation.models import Theme
from governance.models import Body, CommitteeLink, Gate, Meeting, ModernGovSite
from strategies.admin_base import HistoryAdmin
from strategies.models import IndicatorObjective, Organisation, StrategyPartner, User
from tests.admin_forms import admin_form_data, form_data
from tests.conftest import client_for
from tests.factories import add_indicator, add_objective, add_priority

CONFLICT = "saved a change to this item while you were editing it"

SITE = "https://democracy.example.gov.uk"

# model: (the text field two people change, their value, mine, how to find a row to change)
TEXT_CASES = {
    Organisation: ("name", "Theirs", "Mine", lambda: Organisation.objects.first()),
    User: ("job_title", "Theirs", "Mine", lambda: User.objects.get(username="officer")),
    Body: ("name", "Theirs", "Mine", lambda: Body.objects.first()),
    Meeting: ("venue", "Theirs", "Mine", lambda: Meeting.objects.first()),
    Gate: ("note", "Theirs", "Mine", lambda: Gate.objects.first()),
    Theme: ("description", "Theirs", "Mine", lambda: Theme.objects.first()),
    ModernGovSite: (
        "base_url",
        f"{SITE}/theirs",
        f"{SITE}/mine",
        lambda: ModernGovSite.objects.create(
            organisation=Organisation.objects.first(), base_url=SITE
        ),
    ),
}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def guarded_models(user) -> set:
    request = RequestFactory().get("/admin/")
    request.user = user
    return {
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, HistoryAdmin)
        and model_admin._fingerprinted(request, model._default_manager.first() or model())
    }


def change_url(row) -> str:
    return f"/admin/{row._meta.app_label}/{row._meta.model_name}/{row.pk}/change/"


def test_every_admin_row_without_a_version_is_guarded_and_tried_here(demo):
    administrator = User.objects.get(username="admin")
    tried = set(TEXT_CASES) | {StrategyPartner, IndicatorObjective}
    assert guarded_models(administrator) <= tried
    assert len(guarded_models(administrator)) >= 6


@pytest.mark.parametrize("model", list(TEXT_CASES), ids=lambda m: m.__name__)
def test_a_save_made_on_a_stale_page_is_refused_then_taken_on_purpose(demo, model):
    field, their_value, my_value, find = TEXT_CASES[model]
    row = find()
    url = change_url(row)
    administrator = User.objects.get(username="admin")
    mine, theirs = client_for(administrator), client_for(administrator)
    opened = admin_form_data(mine, url)
    assert opened["fingerprint"]
    theirs_saved = theirs.post(url, {**admin_form_data(theirs, url), field: their_value})
    assert theirs_saved.status_code == 302

    refused = mine.post(url, {**opened, field: my_value})
    assert refused.status_code == 200 and CONFLICT in refused.text
    assert f"Their saved version: {their_value}" in refused.text  # beside the field
    assert form_data(refused.text)[field] == my_value  # what was typed is kept
    assert getattr(type(row)._default_manager.get(pk=row.pk), field) == their_value

    again = mine.post(url, form_data(refused.text))  # saving again is deliberate
    assert again.status_code == 302
    assert getattr(type(row)._default_manager.get(pk=row.pk), field) == my_value


def test_a_change_to_a_field_the_page_does_not_show_does_not_stand_in_the_way(demo):
    officer = User.objects.get(username="officer")
    administrator = User.objects.get(username="admin")
    client = client_for(administrator)
    opened = admin_form_data(client, change_url(officer))
    User.objects.filter(pk=officer.pk).update(calendar_token="shown-nowhere-on-the-page")
    response = client.post(change_url(officer), {**opened, "job_title": "Public health lead"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.job_title == "Public health lead"


def test_links_of_a_draft_strategy_are_guarded_too(administrator, strategy, other_org):
    indicator = add_indicator(strategy)
    first, second = (add_objective(add_priority(strategy)) for _ in range(2))
    link = IndicatorObjective.objects.create(indicator=indicator, objective=first)
    partner = StrategyPartner.objects.create(strategy=strategy, organisation=other_org)
    mine, theirs = client_for(administrator), client_for(administrator)
    for row, field, theirs_value, mine_value in [
        (link, "objective", second.pk, first.pk),
        (partner, "joint_lead", "on", None),
    ]:
        url = change_url(row)
        opened = admin_form_data(mine, url)
        changed = {**admin_form_data(theirs, url), field: theirs_value}
        assert (
            theirs.post(url, {k: v for k, v in changed.items() if v is not None}).status_code == 302
        )
        stale = {**opened, field: mine_value}
        refused = mine.post(url, {k: v for k, v in stale.items() if v is not None})
        assert refused.status_code == 200 and CONFLICT in refused.text, type(row).__name__


def test_a_row_in_an_inline_table_is_guarded_on_its_line(demo):
    """A committee's number changed by one administrator is not overwritten by another's
    stale page; and a partner changed on its own page is not put back by the strategy's."""
    administrator = User.objects.get(username="admin")
    organisation = Organisation.objects.first()
    site = ModernGovSite.objects.create(organisation=organisation, base_url=SITE)
    link = CommitteeLink.objects.create(
        site=site, committee_id=101, body=Body.objects.filter(organisation=organisation).first()
    )
    url = change_url(site)
    mine, theirs = client_for(administrator), client_for(administrator)
    opened = admin_form_data(mine, url)
    assert opened["committees-0-fingerprint"]
    taken = theirs.post(url, {**admin_form_data(theirs, url), "committees-0-committee_id": "202"})
    assert taken.status_code == 302
    refused = mine.post(url, {**opened, "committees-0-committee_id": "303"})
    assert refused.status_code == 200 and CONFLICT in refused.text
    link.refresh_from_db()
    assert link.committee_id == 202
    assert mine.post(url, form_data(refused.text)).status_code == 302  # again, on purpose
    link.refresh_from_db()
    assert link.committee_id == 303


def test_a_sign_in_is_not_an_edit_of_the_person(demo):
    officer = User.objects.get(username="officer")
    client = client_for(User.objects.get(username="admin"))
    opened = admin_form_data(client, change_url(officer))
    assert "last_login" not in opened  # a record the sign-in keeps, shown, never typed
    client_for(officer)  # signs in: their last sign-in is stamped
    User.objects.filter(pk=officer.pk).update(last_login=timezone.now())
    response = client.post(change_url(officer), {**opened, "job_title": "Public health lead"})
    assert response.status_code == 302


def test_their_saved_version_reads_as_a_person_writes_it(demo):
    """A choice by its label, a moment in the site's time zone (not UTC), yes or no."""
    body = Body.objects.exclude(kind=Body.Kind.CABINET).first()
    url = change_url(body)
    administrator = User.objects.get(username="admin")
    mine, theirs = client_for(administrator), client_for(administrator)
    opened = admin_form_data(mine, url)
    changed = {**admin_form_data(theirs, url), "kind": Body.Kind.CABINET}
    assert theirs.post(url, changed).status_code == 302
    refused = mine.post(url, {**opened, "name": "Mine"})
    assert "Their saved version: Cabinet<" in refused.text
