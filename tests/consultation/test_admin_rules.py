"""The admin goes through the same rules as the browser: each change form of a consultation
window, its events and partners, a theme or a "you said, we did" entry refuses what the browser
refuses, with the same message beside the same field, nothing saved and what was typed kept."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation import workflow
from consultation.models import ConsultationWindow, Theme, WindowPartner, YouSaidWeDid
from governance import workflow as governance
from governance.models import Purpose
from strategies.models import Strategy
from tests.admin_forms import admin_form_data
from tests.conftest import client_for
from tests.consultation.conftest import days
from tests.factories import StrategyFactory

SHORT_11 = (
    "This window is 11 days, shorter than the 84-day minimum in the organisation's policy. "
    "Record why."
)
FIXED = "Fixed once the consultation has opened."


def typed(day) -> str:
    """A date as the admin's date inputs show and take it (the site's British format)."""
    return f"{day:%d/%m/%Y}"


def change_url(obj) -> str:
    return reverse(f"admin:consultation_{obj._meta.model_name}_change", args=[obj.pk])


def beside(response, field: str) -> list[str]:
    """The errors the admin page shows in the row of `field` of its main form."""
    page = response.content.decode()
    start = page.find(f'class="form-row errors field-{field}"')
    if start == -1:
        return []
    row = page[start : page.find("</ul>", start)]
    return [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", row)]


def above(response) -> list[str]:
    """The errors the admin shows above its main form."""
    return list(response.context["adminform"].form.non_field_errors())


def inline_errors(response, prefix: str) -> list[dict]:
    """Each row's errors in the inline `prefix` (events, partner_links), by field."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return [dict(form.errors) for form in inline.formset.forms if form.errors]
    raise AssertionError(f"no inline {prefix}")


def stored(window: ConsultationWindow) -> tuple:
    window = ConsultationWindow.objects.get(pk=window.pk)
    return (window.title, window.slug, window.opens_on, window.closes_on, window.version)


# Windows -----------------------------------------------------------------------------------------


def test_an_open_window_shortened_to_11_days_against_84_without_a_reason_is_refused(
    administrator, open_window
):
    """The known bypass: opened 10 days ago with an 84-day minimum, closing today is 11 days."""
    policy = open_window.strategy.lead_organisation.consultation_minimum_days
    assert open_window.minimum_days == 84 == policy
    before, history = stored(open_window), open_window.history.count()
    client = client_for(administrator)
    url = change_url(open_window)
    data = admin_form_data(client, url)
    data.update(closes_on=typed(days(0)), title="Have your say, shortened")
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, not a redirect
    assert beside(response, "short_window_reason") == [SHORT_11]
    assert beside(response, "closes_on") == [FIXED]  # its dates were given to the public
    assert stored(open_window) == before and open_window.history.count() == history
    page = response.content.decode()
    assert f'value="{typed(days(0))}"' in page and "Have your say, shortened" in page


@pytest.mark.parametrize("door", ["browser", "admin"])
def test_both_doors_refuse_a_short_planned_window_without_a_reason_alike(
    officer, administrator, planned, door
):
    planned.opens_on = days(10)
    planned.save()
    eleven_days_later = days(20)
    if door == "browser":
        url = reverse("consultation:edit", kwargs={"pk": planned.pk})
        response = client_for(officer).post(
            url,
            {
                "title": planned.title,
                "slug": planned.slug,
                "gate": planned.gate_id,
                "opens_on": f"{days(10):%Y-%m-%d}",
                "closes_on": f"{eleven_days_later:%Y-%m-%d}",
                "date_precision": "day",
                "version": planned.version,
            },
        )
        errors = response.context["form"].errors["short_window_reason"]
    else:
        client = client_for(administrator)
        data = admin_form_data(client, change_url(planned))
        data["closes_on"] = typed(eleven_days_later)
        response = client.post(change_url(planned), data)
        errors = beside(response, "short_window_reason")
    assert errors == [SHORT_11]
    assert ConsultationWindow.objects.get().closes_on == days(80)


def test_a_short_planned_window_with_its_reason_is_saved_by_the_workflow(administrator, planned):
    client = client_for(administrator)
    data = admin_form_data(client, change_url(planned))
    data.update(closes_on=typed(days(0)), short_window_reason="Agreed by the Board")
    assert client.post(change_url(planned), data).status_code == 302
    window = ConsultationWindow.objects.get()
    assert (window.closes_on, window.short_window_reason) == (days(0), "Agreed by the Board")
    assert window.version == planned.version + 1
    assert window.history.first().history_change_reason == "Consultation changed"


def test_a_window_closing_before_it_opens_is_refused_beside_its_closing_date(
    administrator, planned
):
    client = client_for(administrator)
    data = admin_form_data(client, change_url(planned))
    data["closes_on"] = typed(days(-20))
    response = client.post(change_url(planned), data)
    assert beside(response, "closes_on") == ["A window cannot close before it opens."]
    assert above(response) == []  # said once, beside the field
    assert ConsultationWindow.objects.get().closes_on == days(80)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("slug", "moved"),
        ("gate", ""),
        ("opens_on", typed(days(-5))),
        ("date_precision", "month"),
        ("period_note", "over the spring"),
    ],
)
def test_what_an_open_window_gave_the_public_stays_fixed(administrator, open_window, field, value):
    client = client_for(administrator)
    data = admin_form_data(client, change_url(open_window))
    data.update({field: value, "summary": "A clearer summary"})
    response = client.post(change_url(open_window), data)
    assert beside(response, field) == [FIXED]
    assert "A clearer summary" in response.content.decode()
    window = ConsultationWindow.objects.get()
    assert window.summary == "" and window.slug == "our-strategy" and window.gate_id


def test_an_open_window_still_takes_what_may_change(administrator, open_window):
    client = client_for(administrator)
    data = admin_form_data(client, change_url(open_window))
    data["summary"] = "A clearer summary"
    assert client.post(change_url(open_window), data).status_code == 302
    assert ConsultationWindow.objects.get().summary == "A clearer summary"


def test_only_the_gates_the_browser_offers_can_be_chosen(administrator, planned, lead_org, board):
    other = StrategyFactory(lead_organisation=lead_org, title="Another strategy")
    elsewhere = governance.add_gate(other, board, Purpose.CONSULT, administrator)
    client = client_for(administrator)
    data = admin_form_data(client, change_url(planned))
    data["gate"] = str(elsewhere.pk)  # a gate of another strategy's route
    response = client.post(change_url(planned), data)
    assert beside(response, "gate") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]  # as the browser's form says it
    assert ConsultationWindow.objects.get().gate_id == planned.gate_id

    add = reverse("admin:consultation_consultationwindow_add")
    data = admin_form_data(client, add)
    data.update(strategy=str(planned.strategy_id), gate=str(elsewhere.pk), title="T", slug="t")
    response = client.post(add, data)
    assert beside(response, "gate") == [
        "Choose a consultation gate of this strategy's route that no other consultation runs at."
    ]
    assert ConsultationWindow.objects.count() == 1


def test_a_new_window_takes_the_policy_minimum_and_keeps_its_strategy(
    administrator, planned, lead_org
):
    lead_org.consultation_minimum_days = 90
    lead_org.save()
    client = client_for(administrator)
    add = reverse("admin:consultation_consultationwindow_add")
    data = admin_form_data(client, add)
    data.update(
        strategy=str(planned.strategy_id),
        title="A second look",
        slug="second-look",
        minimum_days="10",  # not a field: the policy's
        date_precision="day",
    )
    assert client.post(add, data).status_code == 302
    window = ConsultationWindow.objects.get(slug="second-look")
    assert window.minimum_days == 90
    assert window.history.get().history_change_reason == "Consultation planned"

    other = StrategyFactory(lead_organisation=lead_org, title="Another strategy")
    data = admin_form_data(client, change_url(window))
    data.update(strategy=str(other.pk), minimum_days="10")
    assert client.post(change_url(window), data).status_code == 302
    window.refresh_from_db()
    assert (window.strategy_id, window.minimum_days) == (planned.strategy_id, 90)


def test_a_window_of_a_withdrawn_strategy_cannot_change(administrator, planned):
    Strategy.objects.filter(pk=planned.strategy_id).update(stage=Strategy.Stage.WITHDRAWN)
    client = client_for(administrator)
    data = admin_form_data(client, change_url(planned))
    data["title"] = "Renamed after the withdrawal"
    response = client.post(change_url(planned), data)
    assert above(response) == ["This strategy is withdrawn; its route is closed."]
    assert "Renamed after the withdrawal" in response.content.decode()
    assert ConsultationWindow.objects.get().title == planned.title


def test_a_published_response_makes_the_details_final_at_both_doors(
    officer, administrator, open_window
):
    window = workflow.close_window(open_window, officer, "Enough responses")
    theme = Theme.objects.create(window=window, name="Access")
    YouSaidWeDid.objects.create(
        window=window, theme=theme, you_said="x", changed=False, why_not="y"
    )
    window = workflow.publish_response(window, officer)
    edit = reverse("consultation:edit", kwargs={"pk": window.pk})
    assert client_for(officer).get(edit).status_code == 403
    client = client_for(administrator)
    data = admin_form_data(client, change_url(window))
    data["title"] = "Renamed after publishing"
    response = client.post(change_url(window), data)
    assert above(response) == [
        "The response to this consultation has been published: its details are final."
    ]
    assert ConsultationWindow.objects.get().title == window.title


# Events and partners, in the window's change form ------------------------------------------------


def _with_event(data: dict, **event) -> dict:
    row = {"title": "Drop-in", "date_precision": "day", "place": "", "starts_at_1": "18:00"}
    row |= event
    return {
        **data,
        "events-TOTAL_FORMS": "1",
        **{f"events-0-{k}": v for k, v in row.items()},
    }


@pytest.mark.parametrize(
    ("event", "field", "message"),
    [
        ({"starts_at_0": typed(days(-10 - 3 * 365)), "place": "Library"}, "starts_at",
         "That is more than a year from the consultation"),
        ({"starts_at_0": "10/01/1900", "place": "Library"}, "starts_at",
         "Give a date between 1990 and 2100."),
        ({"starts_at_0": typed(days(20))}, "place", "Give the place, or tick “online”."),
        ({"starts_at_0": typed(days(20)), "ends_on": typed(days(18)), "place": "Library"},
         "ends_on", "An event cannot end before it starts."),
        ({"starts_at_0": typed(days(20)), "date_precision": "month", "place": "Library"},
         "starts_at", "Only the month is known, so leave the time empty"),
    ],
)  # fmt: skip
def test_an_event_is_refused_as_the_browser_refuses_it(
    administrator, planned, event, field, message
):
    client = client_for(administrator)
    data = _with_event(admin_form_data(client, change_url(planned)), **event)
    response = client.post(change_url(planned), data)
    assert response.status_code == 200
    [errors] = inline_errors(response, "events")
    assert list(errors) == [field] and errors[field][0].startswith(message)
    assert 'value="Drop-in"' in response.content.decode()
    assert not planned.events.exists()


def test_an_event_the_rules_allow_is_added(administrator, planned):
    client = client_for(administrator)
    data = _with_event(
        admin_form_data(client, change_url(planned)), starts_at_0=typed(days(20)), online="on"
    )
    assert client.post(change_url(planned), data).status_code == 302
    assert planned.events.get().online


def test_an_event_with_no_time_over_several_days_is_added(administrator, planned):
    client = client_for(administrator)
    data = _with_event(
        admin_form_data(client, change_url(planned)),
        starts_at_0=typed(days(20)), starts_at_1="", ends_on=typed(days(22)), place="Library",
    )  # fmt: skip
    assert client.post(change_url(planned), data).status_code == 302
    event = planned.events.get()
    assert (event.time_known, event.ends_on) == (False, days(22))
    assert timezone.localtime(event.starts_at).time() == datetime.time(0)
    # Shown again with its time box empty, and saved again unchanged with the window.
    data = admin_form_data(client, change_url(planned))
    assert data["events-0-starts_at_1"] == "" and data["events-0-ends_on"] == typed(days(22))
    assert client.post(change_url(planned), data).status_code == 302


def test_a_partner_is_named_once(administrator, planned, other_org):
    WindowPartner.objects.create(window=planned, organisation=other_org, role="Drop-ins")
    client = client_for(administrator)
    data = admin_form_data(client, change_url(planned))
    data.update(
        {
            "partner_links-TOTAL_FORMS": "2",
            "partner_links-1-organisation": str(other_org.pk),
            "partner_links-1-role": "Again",
        }
    )
    response = client.post(change_url(planned), data)
    assert inline_errors(response, "partner_links") == [
        {"organisation": ["That partner is already there."]}
    ]
    assert planned.partner_links.count() == 1


# Themes and "you said, we did" -------------------------------------------------------------------


def test_a_theme_is_not_added_twice_under_other_capitals(administrator, planned):
    Theme.objects.create(window=planned, name="Mental health")
    client = client_for(administrator)
    add = reverse("admin:consultation_theme_add")
    data = admin_form_data(client, add)
    data.update(window=str(planned.pk), name="mental  health", description="Kept")
    response = client.post(add, data)
    assert beside(response, "name") == ["There is already a theme “Mental health”."]
    assert "Kept" in response.content.decode()
    data["name"] = "  Active   travel "
    assert client.post(add, data).status_code == 302
    names = sorted(Theme.objects.values_list("name", flat=True))
    assert names == ["Active travel", "Mental health"]


def test_a_theme_of_a_withdrawn_strategy_cannot_change(administrator, planned):
    theme = Theme.objects.create(window=planned, name="Access")
    Strategy.objects.filter(pk=planned.strategy_id).update(stage=Strategy.Stage.WITHDRAWN)
    client = client_for(administrator)
    data = admin_form_data(client, change_url(theme))
    data["name"] = "Getting there"
    response = client.post(change_url(theme), data)
    assert above(response) == ["This strategy is withdrawn; its route is closed."]
    assert Theme.objects.get().name == "Access"


def _entry_data(client, window, theme, **changes) -> dict:
    add = reverse("admin:consultation_yousaidwedid_add")
    data = admin_form_data(client, add)
    data.update(window=str(window.pk), theme=str(theme.pk), you_said="Buses", **changes)
    return data


def test_an_entry_is_written_only_between_closing_and_publishing(administrator, open_window):
    theme = Theme.objects.create(window=open_window, name="Access")
    client = client_for(administrator)
    data = _entry_data(client, open_window, theme, why_not="Not ours to run")
    data.pop("changed", None)
    response = client.post(reverse("admin:consultation_yousaidwedid_add"), data)
    assert above(response) == [
        "“You said, we did” is written after the consultation closes and before it is published."
    ]
    assert not YouSaidWeDid.objects.exists()


def test_an_entry_says_what_changed_or_why_nothing_did(administrator, officer, open_window):
    window = workflow.close_window(open_window, officer, "Enough responses")
    theme = Theme.objects.create(window=window, name="Access")
    client = client_for(administrator)
    add = reverse("admin:consultation_yousaidwedid_add")
    response = client.post(add, _entry_data(client, window, theme, changed="on"))
    assert beside(response, "we_did") == [workflow.CHANGED_OR_WHY_NOT]
    assert beside(response, "revision") == ["Choose the revision that made the change."]
    data = _entry_data(client, window, theme)
    data.pop("changed", None)
    response = client.post(add, data)
    assert beside(response, "why_not") == [workflow.CHANGED_OR_WHY_NOT]
    assert not YouSaidWeDid.objects.exists()
    assert client.post(add, {**data, "why_not": "Not ours to run"}).status_code == 302
    assert YouSaidWeDid.objects.get().why_not == "Not ours to run"


# Deletes -----------------------------------------------------------------------------------------


def test_a_window_that_has_opened_is_never_deleted(administrator, open_window):
    client = client_for(administrator)
    delete = reverse("admin:consultation_consultationwindow_delete", args=[open_window.pk])
    response = client.post(delete, {"post": "yes"}, follow=True)
    assert "A consultation that has opened stays on the record" in response.content.decode()
    assert ConsultationWindow.objects.exists()
    changelist = reverse("admin:consultation_consultationwindow_changelist")
    assert "delete_selected" not in client.get(changelist).content.decode()


def test_a_planned_window_may_be_deleted(administrator, planned):
    delete = reverse("admin:consultation_consultationwindow_delete", args=[planned.pk])
    assert client_for(administrator).post(delete, {"post": "yes"}).status_code == 302
    assert not ConsultationWindow.objects.exists()


def test_a_published_entry_is_not_deleted(administrator, officer, open_window):
    window = workflow.close_window(open_window, officer, "Enough responses")
    theme = Theme.objects.create(window=window, name="Access")
    entry = YouSaidWeDid.objects.create(
        window=window, theme=theme, you_said="x", changed=False, why_not="y"
    )
    workflow.publish_response(window, officer)
    delete = reverse("admin:consultation_yousaidwedid_delete", args=[entry.pk])
    response = client_for(administrator).post(delete, {"post": "yes"}, follow=True)
    assert "written after the consultation closes and before it is published" in (
        response.content.decode()
    )
    assert YouSaidWeDid.objects.exists()


def test_a_window_closing_before_it_opens_gets_no_negative_length_beside_it():
    import datetime

    from consultation.workflow.rules import window_problems

    window = ConsultationWindow(
        opens_on=datetime.date(2025, 1, 20), closes_on=datetime.date(2024, 12, 2), minimum_days=90
    )
    messages = [str(problem) for problem in window_problems(window, opening=False)]
    assert messages == ["A window cannot close before it opens."]


def test_a_window_that_ran_before_is_planned_with_its_real_short_dates_without_a_reason():
    import datetime

    from consultation.workflow.rules import window_problems

    window = ConsultationWindow(
        opens_on=datetime.date(2024, 12, 2), closes_on=datetime.date(2025, 1, 20), minimum_days=90
    )
    assert window_problems(window, opening=False) == []  # asked when it is recorded instead
    assert [p.field for p in window_problems(window, opening=True)] == ["short_window_reason"]
