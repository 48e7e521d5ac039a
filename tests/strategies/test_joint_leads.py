"""A joint strategy of a council and a CCG has two leads: officers of each plan and edit it,
both hear of it, and both are named wherever the lead is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance import workflow
from governance.models import Body, Purpose
from strategies.access import content_edit_refusal
from strategies.models import Strategy, StrategyPartner, User
from tests.conftest import client_for, downloaded
from tests.factories import OrganisationFactory, UserFactory
from tests.strategies.test_views_edit import details

pytestmark = pytest.mark.django_db


@pytest.fixture
def ccg(db):
    return OrganisationFactory(name="NHS Dudley CCG", slug="dudley-ccg")


@pytest.fixture
def ccg_officer(ccg):
    return UserFactory(username="cora", organisation=ccg, role=User.Role.OFFICER)


def make_joint(strategy, officer, ccg) -> Strategy:
    edit = reverse("strategies:edit", kwargs={"slug": strategy.slug})
    data = details(version=strategy.version, partners=[ccg.pk], joint_leads=[ccg.pk])
    data["reason"] = "Agreed with the CCG to lead it jointly"
    assert client_for(officer).post(edit, data).status_code == 302
    return Strategy.objects.get(pk=strategy.pk)


def test_a_lead_officer_makes_a_partner_a_joint_lead_with_history(strategy, officer, ccg):
    strategy = make_joint(strategy, officer, ccg)
    link = StrategyPartner.objects.get(strategy=strategy, organisation=ccg)
    assert link.joint_lead
    row = link.history.latest()
    assert row.joint_lead and row.history_change_reason == "Agreed with the CCG to lead it jointly"
    assert strategy.leads_named == (
        "Dudley Metropolitan Borough Council and NHS Dudley CCG (joint leads)"
    )
    # The privacy notice's sentence: two leads use a response, one uses it.
    assert strategy.leads_use == "Dudley Metropolitan Borough Council and NHS Dudley CCG use"
    assert strategy.lead_organisation.name == "Dudley Metropolitan Borough Council"


def test_a_single_lead_uses(strategy):
    assert strategy.leads_use == f"{strategy.lead_organisation.name} uses"


def test_a_joint_lead_is_a_partner_even_if_not_ticked_as_one(strategy, officer, ccg):
    edit = reverse("strategies:edit", kwargs={"slug": strategy.slug})
    data = details(version=strategy.version, joint_leads=[ccg.pk])
    assert client_for(officer).post(edit, data).status_code == 302
    assert list(strategy.partner_links.values_list("organisation_id", "joint_lead")) == [
        (ccg.pk, True)
    ]


def test_officers_of_a_joint_lead_edit_plan_and_hear_of_it(strategy, officer, ccg, ccg_officer):
    assert content_edit_refusal(ccg_officer, strategy) is not None  # a plain partner: no
    strategy = make_joint(strategy, officer, ccg)
    assert content_edit_refusal(ccg_officer, strategy) is None
    edit = reverse("strategies:edit", kwargs={"slug": strategy.slug})
    data = details(version=strategy.version, vision="Written at the CCG")
    data.update(partners=[ccg.pk], joint_leads=[ccg.pk])
    assert client_for(ccg_officer).post(edit, data).status_code == 302
    board = Body.objects.create(organisation=ccg, name="Governing Body", kind="ccg_governing_body")
    gate = workflow.add_gate(strategy, board, Purpose.APPROVE, ccg_officer)
    assert gate.pk
    assert set(strategy.lead_officers()) == {officer, ccg_officer}
    assert set(Strategy.objects.filter(Strategy.objects.led_by_q(ccg.pk))) == {strategy}


def test_ending_a_joint_lead_takes_the_right_away(strategy, officer, ccg, ccg_officer):
    strategy = make_joint(strategy, officer, ccg)
    edit = reverse("strategies:edit", kwargs={"slug": strategy.slug})
    data = details(version=strategy.version, partners=[ccg.pk])
    assert client_for(officer).post(edit, data).status_code == 302
    strategy = Strategy.objects.get(pk=strategy.pk)
    assert not strategy.partner_links.get().joint_lead
    assert content_edit_refusal(ccg_officer, strategy) is not None
    assert set(strategy.lead_officers()) == {officer}


def test_the_form_offers_joint_leads_and_shows_them_ticked(strategy, officer, ccg):
    strategy = make_joint(strategy, officer, ccg)
    page = client_for(officer).get(reverse("strategies:edit", kwargs={"slug": strategy.slug}))
    html = page.content.decode()
    assert "Joint leads" in html
    assert f'name="joint_leads" value="{ccg.pk}"' in html and "checked" in html


def test_a_joint_lead_goes_through_export_and_import(strategy, officer, ccg, administrator):
    from portal.exchange.document import export_strategy, import_strategy

    strategy = make_joint(strategy, officer, ccg)
    document = export_strategy(strategy)
    document["strategies"]["strategy"]["slug"] = "joint-copy"
    imported, _ = import_strategy(document, by=administrator)
    assert imported.joint_lead_ids == {ccg.pk}


def test_the_admin_shows_and_sets_a_joint_lead(strategy, officer, ccg, administrator):
    strategy = make_joint(strategy, officer, ccg)
    link = strategy.partner_links.get()
    client = client_for(administrator)
    listing = client.get(reverse("admin:strategies_strategypartner_changelist"))
    assert "leads it jointly" in listing.content.decode().lower()
    change = client.get(reverse("admin:strategies_strategypartner_change", args=[link.pk]))
    assert 'name="joint_lead"' in change.content.decode()


def test_both_leads_are_named_on_its_pages_report_and_revisions(strategy, officer, ccg):
    from strategies.revisions import take_revision

    strategy = make_joint(strategy, officer, ccg)
    named = "Dudley Metropolitan Borough Council and NHS Dudley CCG (joint leads)"
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert named in page
    revision = take_revision(strategy, "For the record", officer)
    assert revision.content["strategy"]["lead_organisation"] == named
    assert revision.content["strategy"]["partners"] == ""  # the CCG leads; no other partner


def test_a_joint_lead_finds_it_as_its_own_in_the_list_and_dashboard(
    strategy, officer, ccg, ccg_officer
):
    strategy = make_joint(strategy, officer, ccg)
    listing = client_for(ccg_officer).get(reverse("strategies:list"), {"organisation": ccg.pk})
    assert strategy.title in listing.content.decode()
    from portal.dashboard.base import Dashboard
    from portal.dashboard.stages import stage_counts

    counts = {c.label: c.own for c in stage_counts(Dashboard(ccg_officer))}
    assert counts.get("Draft") == 1


def test_both_leads_are_named_in_the_list_and_the_timeline(strategy, officer, ccg, manager):
    strategy = make_joint(strategy, officer, ccg)
    named = "Dudley Metropolitan Borough Council and NHS Dudley CCG (joint leads)"
    listing = client_for(officer).get(reverse("strategies:list")).content.decode()
    assert named in listing
    board = Body.objects.create(organisation=ccg, name="Governing Body", kind="ccg_governing_body")
    workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    timeline = client_for(manager).get(reverse("timeline")).content.decode()
    assert named in timeline


def test_a_title_with_its_years_is_not_followed_by_the_period_again(lead_org, officer):
    from tests.factories import StrategyFactory

    strategy = StrategyFactory(
        lead_organisation=lead_org,
        title="Joint Health and Wellbeing Strategy 2025-2030",
        start_year=2025,
        end_year=2030,
    )
    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert "2025–2030 · Lead" not in page and "Lead: Dudley" in page


def test_the_gates_csv_names_both_leads(strategy, officer, ccg):
    strategy = make_joint(strategy, officer, ccg)
    board = Body.objects.create(organisation=ccg, name="Governing Body", kind="ccg_governing_body")
    workflow.add_gate(strategy, board, Purpose.APPROVE, officer)
    rows = downloaded(client_for(officer).get(reverse("governance:gates-csv")))
    assert "Dudley Metropolitan Borough Council and NHS Dudley CCG (joint leads)" in rows


def test_the_admin_refuses_partners_of_a_strategy_whose_content_is_closed(
    strategy, officer, ccg, administrator
):
    import html

    strategy = make_joint(strategy, officer, ccg)
    Strategy.objects.filter(pk=strategy.pk).update(stage=Strategy.Stage.ADOPTED)
    strategy.refresh_from_db()
    reason = strategy.content_closed_reason
    assert reason
    client = client_for(administrator)
    other = OrganisationFactory(name="Cornwall Council", slug="cornwall")
    added = client.post(
        reverse("admin:strategies_strategypartner_add"),
        {"strategy": strategy.pk, "organisation": other.pk, "joint_lead": "on"},
    )
    assert added.status_code == 200 and reason in html.unescape(added.content.decode())
    link = strategy.partner_links.get()
    gone = client.post(
        reverse("admin:strategies_strategypartner_delete", args=[link.pk]), {"post": "yes"}
    )
    assert gone.status_code == 302
    assert list(strategy.partner_links.values_list("organisation", flat=True)) == [ccg.pk]
