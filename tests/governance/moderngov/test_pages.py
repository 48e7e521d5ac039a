"""The admin's Modern.gov settings and agenda items, and the meeting's page: its agenda items
and the secretary's match of a gate to the item that considers it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance import workflow
from governance.models import AgendaItem, CommitteeLink, Meeting, ModernGovSite, Purpose
from strategies.models import User
from tests.factories import UserFactory


@pytest.fixture
def brought_in(run, strategy, officer, cabinet, administrator):
    """The fixtures brought in, and a strategy's adoption by Cabinet on the meeting of 5001."""
    run()
    meeting = Meeting.objects.get(moderngov_id=5001)
    gate = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    gate = workflow.schedule_gate(gate, meeting, administrator)
    return meeting, gate, meeting.agenda_items.get(moderngov_id=70002)


def test_the_meeting_page_shows_its_agenda_items_and_references(brought_in, as_user, manager):
    meeting, _, _ = brought_in
    page = as_user(manager).get(meeting.get_absolute_url()).content.decode()
    assert "Agenda items from Modern.gov" in page
    assert "Health and Wellbeing Strategy 2031 &amp; its delivery plan" in page
    assert "Report of the Director of Public Health (CAB/31/07)" in page
    assert "12 March 2031" in page and ">41<" in page
    assert "Match a gate" not in page  # managers read, they do not match


def test_a_secretary_matches_a_gate_to_its_item_with_history(brought_in, as_user, cabinet):
    meeting, gate, item = brought_in
    cass = UserFactory(username="cass", organisation=cabinet.organisation, role=User.Role.SECRETARY)
    cabinet.secretary_links.create(user=cass)
    url = reverse("governance:match-agenda-item", args=[item.pk])
    client = as_user(cass)
    assert "Match a gate" in client.get(meeting.get_absolute_url()).content.decode()
    assert "Dudley Health and Wellbeing Strategy: adopt" in client.get(url).content.decode()

    response = client.post(url, {"gate": gate.pk})

    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    item.refresh_from_db()
    gate.refresh_from_db()
    assert item.gate == gate and gate.agenda_item == "7."
    record = item.history.first()
    assert record.history_user == cass and record.history_change_reason == f"Matched to {gate}"
    assert client.post(url, {"gate": ""}).status_code == 302
    item.refresh_from_db()
    assert item.gate is None and gate.agenda_item == "7."


def test_bad_input_is_shown_again_with_the_problem(brought_in, as_user, administrator, board):
    meeting, gate, item = brought_in
    elsewhere = Meeting.objects.get(moderngov_id=5003)  # the Board's: its gates are not offered
    url = reverse("governance:match-agenda-item", args=[item.pk])
    response = as_user(administrator).post(url, {"gate": "not a gate"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    other = AgendaItem.objects.create(meeting=meeting, moderngov_id=1, title="Another item")
    workflow_item = other
    from governance.moderngov.matching import match_gate

    match_gate(workflow_item, gate, administrator)
    response = as_user(administrator).post(url, {"gate": gate.pk})
    assert response.status_code == 200
    assert "is matched to item “Another item” already" in response.content.decode()
    assert elsewhere.agenda_items.exists()
    item.refresh_from_db()
    assert item.gate is None


def test_only_the_bodys_secretaries_match(brought_in, as_user, secretary, manager, officer):
    _, gate, item = brought_in
    url = reverse("governance:match-agenda-item", args=[item.pk])
    assert as_user(None).get(url).status_code == 302
    assert as_user(officer).post(url, {"gate": gate.pk}).status_code == 403
    assert as_user(secretary).post(url, {"gate": gate.pk}).status_code == 404  # the Board's
    assert as_user(manager).post(url, {"gate": gate.pk}).status_code == 403
    item.refresh_from_db()
    assert item.gate is None


def test_administrators_keep_the_site_and_its_committees_in_the_admin(
    as_user, administrator, lead_org, other_org, cabinet
):
    from governance.models import Body

    elsewhere = Body.objects.create(organisation=other_org, name="Cabinet", kind="cabinet")
    client = as_user(administrator)
    add = reverse("admin:governance_moderngovsite_add")
    assert client.get(add).status_code == 200
    form = {
        "organisation": lead_org.pk,
        "base_url": "democracy.example.gov.uk",
        "enabled": "on",
        "committees-TOTAL_FORMS": "1",
        "committees-INITIAL_FORMS": "0",
        "committees-0-committee_id": "101",
        "committees-0-body": cabinet.pk,
    }
    assert client.post(add, form).status_code == 302
    site = ModernGovSite.objects.get()
    assert site.base_url == "https://democracy.example.gov.uk"
    assert site.service_url == "https://democracy.example.gov.uk/mgWebService.asmx"
    assert CommitteeLink.objects.get().body == cabinet
    change = reverse("admin:governance_moderngovsite_change", args=[site.pk])
    page = client.get(change).content.decode()
    assert "Cabinet (Milton Keynes" not in page  # only the organisation's bodies are offered
    link = CommitteeLink.objects.get()
    refused = client.post(change, {**form, "committees-INITIAL_FORMS": "1",
                                   "committees-0-id": link.pk, "committees-0-site": site.pk,
                                   "committees-0-body": elsewhere.pk})  # fmt: skip
    assert refused.status_code == 200
    assert CommitteeLink.objects.get().body == cabinet


def test_the_admin_lists_agenda_items_to_read_and_syncs_on_demand(
    run, as_user, administrator, site
):
    run()
    client = as_user(administrator)
    listing = client.get(reverse("admin:governance_agendaitem_changelist")).content.decode()
    assert "Apologies for absence" in listing
    item = AgendaItem.objects.get(moderngov_id=70002)
    detail = client.get(reverse("admin:governance_agendaitem_change", args=[item.pk]))
    assert detail.status_code == 200 and 'name="title"' not in detail.content.decode()
    response = client.post(
        reverse("admin:governance_moderngovsite_changelist"),
        {"action": "sync_now", "_selected_action": [site.pk]},
        follow=True,
    )
    assert "unchanged" in response.content.decode()
