"""Creating a strategy and editing its details, including bad input and closed stages."""

from __future__ import annotations

from django.urls import reverse

from strategies.models import Strategy
from tests.conftest import client_for
from tests.factories import OrganisationFactory
from tests.ladder import EDITORS_ONLY, climb

CREATE = "/strategies/new/"


def details(**overrides) -> dict:
    data = {
        "title": "Carers Strategy",
        "start_year": "2024",
        "end_year": "2027",
        "top_level_term": "priority",
        "vision": "Carers are supported.",
        "summary": "",
        "author_name": "",
        "author_title": "",
        "contact_name": "Karen Jackson",
        "contact_phone": "01384 816698",
        "contact_email": "karen@example.org",
        "replaces": "",
        "reason": "",
    }
    data.update(overrides)
    return data


def edit_url(strategy) -> str:
    return reverse("strategies:edit", kwargs={"slug": strategy.slug})


def test_create_access_ladder(request, lead_org):
    climb(
        request,
        CREATE,
        {
            "officer": 200,
            "other_officer": 200,
            "secretary": 403,
            "manager": 403,
            "administrator": 403,
        },
    )


def test_edit_access_ladder(request, strategy):
    climb(request, edit_url(strategy), {**EDITORS_ONLY, "officer": 200})


def test_edit_post_is_refused_for_readers(request, strategy):
    climb(request, edit_url(strategy), {**EDITORS_ONLY}, method="post", data=details())
    strategy.refresh_from_db()
    assert strategy.title != "Carers Strategy"


def test_officer_creates_a_draft_of_their_organisation(officer, lead_org):
    partner = OrganisationFactory(name="Dudley CCG")
    response = client_for(officer).post(CREATE, details(partners=[partner.pk]))
    strategy = Strategy.objects.get(title="Carers Strategy")
    # to the new draft's page in edit mode, where its content is added next
    assert response.status_code == 302
    assert response["Location"] == f"{strategy.get_absolute_url()}?edit=1"
    assert strategy.lead_organisation == lead_org
    assert strategy.stage == Strategy.Stage.DRAFT
    assert list(strategy.partners.all()) == [partner]
    assert strategy.history.first().history_user == officer


def test_bad_input_is_shown_beside_its_field_and_kept(officer, lead_org):
    response = client_for(officer).post(
        CREATE, details(title="", end_year="2020", contact_email="not-an-email", vision="Kept text")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"title", "end_year", "contact_email"}
    assert "The last year must be after the first year." in form.errors["end_year"]
    page = response.content.decode()
    assert "Kept text" in page and 'value="not-an-email"' in page
    assert 'id="error_1_id_end_year"' in page or "invalid-feedback" in page
    assert not Strategy.objects.exists()


def test_non_numeric_years_are_errors_not_crashes(officer, lead_org):
    response = client_for(officer).post(
        CREATE, details(start_year="twenty", end_year="99999999999")
    )
    assert response.status_code == 200
    assert {"start_year", "end_year"} <= set(response.context["form"].errors)


def test_editing_changes_details_and_records_the_reason(officer, strategy):
    response = client_for(officer).post(
        edit_url(strategy),
        details(title=strategy.title, version=strategy.version, reason="Board feedback"),
    )
    assert response.status_code == 302
    strategy.refresh_from_db()
    assert strategy.vision == "Carers are supported." and strategy.version == 2
    latest = strategy.history.first()
    assert latest.history_change_reason == "Board feedback" and latest.history_user == officer


def test_a_strategy_cannot_replace_one_of_another_organisation(officer, other_org, strategy):
    from tests.factories import StrategyFactory

    theirs = StrategyFactory(lead_organisation=other_org, stage=Strategy.Stage.ADOPTED)
    response = client_for(officer).post(
        edit_url(strategy), details(version=strategy.version, replaces=theirs.pk)
    )
    assert response.status_code == 200
    assert "replaces" in response.context["form"].errors


def test_closed_stage_refuses_edits_with_the_reason(officer, strategy):
    strategy.stage = Strategy.Stage.ADOPTED
    strategy.save()
    response = client_for(officer).get(edit_url(strategy))
    assert response.status_code == 403
    assert "closed for editing" in response.content.decode()
