"""A form sent back with problems lists them all above it (the GOV.UK error summary,
templates/_error_summary.html): each field's problem as a link to that field's input, the
form's own problems as text, and what was typed kept in the form."""

from __future__ import annotations

import lxml.html
import pytest
from django import forms
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from consultation.models import Response, Theme
from governance import workflow as governance
from governance.models import Purpose
from governance.workflow.common import WorkflowError
from strategies.models import Strategy
from strategies.templatetags.error_summary import Problem, error_summary
from tests.conftest import client_for
from tests.consultation.conftest import consult_gate, open_window, planned  # noqa: F401
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def summary(response) -> tuple[lxml.html.HtmlElement, list[tuple[str, str | None]]]:
    """The page's error summary, and each problem it lists as (text, the id it links to)."""
    page = lxml.html.fromstring(response.content)
    [box] = page.xpath("//main//*[contains(concat(' ', @class, ' '), ' error-summary ')]")
    items = []
    for item in box.xpath(".//li"):
        [link] = item.xpath("./a") or [None]
        href = link.get("href") if link is not None else None
        items.append((item.text_content().strip(), href[1:] if href else None))
    return box, items


def assert_lists_every_problem(response, form=None) -> list[tuple[str, str | None]]:
    """The summary is a focusable alert headed "There is a problem", lists the form's own
    problems as text and each field's as "Label: message" linking to an input on the page."""
    form = form or response.context["form"]
    page = lxml.html.fromstring(response.content)
    box, items = summary(response)
    assert box.get("role") == "alert" and box.get("tabindex") == "-1"
    assert box.xpath("string(.//*[self::h2 or self::h3 or self::h4])").strip() == (
        "There is a problem"
    )
    for message in form.non_field_errors():
        assert (message, None) in items
    for name, messages in form.errors.items():
        if name == "__all__":
            continue
        label = str(form[name].label)
        for message in messages:
            said = {f"{label}: {message}", f"{label} {message}"}  # "Is it public? Tick…"
            [target] = [i for text, i in items if text in said]
            [element] = page.xpath(f"//*[@id='{target}']")
            assert element.tag in {"input", "select", "textarea"}
            assert element.get("name") == form[name].html_name
    return items


# Over whole pages ----------------------------------------------------------------------------


def test_the_strategy_form_links_each_problem_to_its_field(officer, lead_org):
    OrganisationFactory(name="Dudley CCG")  # a partner to choose: the list has a first box
    response = client_for(officer).post(
        "/strategies/new/",
        {"title": "", "start_year": "2024", "end_year": "2020", "top_level_term": "priority",
         "vision": "Kept text", "contact_email": "not-an-email", "joint_leads": ["99999"]},
    )  # fmt: skip
    assert response.status_code == 200
    items = assert_lists_every_problem(response)
    targets = {target for _, target in items}
    assert {"id_title", "id_end_year", "id_contact_email", "id_joint_leads_0"} <= targets
    assert ("Title: This field is required.", "id_title") in items
    page = response.content.decode()
    assert "Kept text" in page and 'value="not-an-email"' in page  # what was typed is kept
    assert "Please correct the problems" not in page
    assert not Strategy.objects.exists()


def test_a_gate_form_links_the_body_and_the_date(officer, strategy, board):
    response = client_for(officer).post(
        reverse("governance:add-gate", kwargs={"slug": strategy.slug}),
        {"body": "", "purpose": "adopt", "planned_precision": "month", "planned_date": "",
         "note": "Kept note"},
    )  # fmt: skip
    assert response.status_code == 200
    items = assert_lists_every_problem(response)
    assert {"id_body", "id_planned_date"} <= {target for _, target in items}
    assert 'value="Kept note"' in response.content.decode()


def test_a_gate_form_lists_a_problem_of_the_whole_form_as_text(officer, strategy, cabinet):
    gate = governance.add_gate(strategy, cabinet, Purpose.ADOPT, officer)
    url = reverse("governance:replan-gate", kwargs={"slug": strategy.slug, "pk": gate.pk})
    response = client_for(officer).post(
        url,
        {"planned_date": "2031-03-12", "planned_precision": "day", "comment": "March",
         "seen_plan": "a plan no one saw"},
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    items = assert_lists_every_problem(response)
    assert items[0] == (form.non_field_errors()[0], None)  # the form's own problems first
    assert 'value="2031-03-12"' in response.content.decode()


def test_the_public_response_form_links_choices_to_their_first_option(open_window):  # noqa: F811
    cache.clear()  # the rate limit counts by address
    first = open_window.revision.content["priorities"][0]["id"]
    response = Client().post(
        reverse("consultation:public", kwargs={"slug": open_window.slug}),
        {"respondent_type": "", "consent": "", "general_comments": "Keep me",
         f"agree_{first}": "9", f"comment_{first}": ""},
    )  # fmt: skip
    assert response.status_code == 200
    items = assert_lists_every_problem(response)
    assert {"id_respondent_type_0", "id_consent", f"id_agree_{first}"} <= {t for _, t in items}
    page = lxml.html.fromstring(response.content)
    assert page.get_element_by_id("id_respondent_type_0").get("type") == "radio"
    assert ("I am responding as: This field is required.", "id_respondent_type_0") in items
    assert "Keep me" in response.content.decode()
    assert not Response.objects.exists()


def test_the_public_response_form_lists_a_refusal_of_the_whole_response(
    open_window,  # noqa: F811
    monkeypatch,
):
    cache.clear()

    def closed(*args, **kwargs):
        raise WorkflowError("The consultation closed a moment ago.")

    monkeypatch.setattr("consultation.views.public.workflow.submit_response", closed)
    response = Client().post(
        reverse("consultation:public", kwargs={"slug": open_window.slug}),
        {"respondent_type": "individual", "consent": "on", "general_comments": "Keep me"},
    )
    assert response.status_code == 200
    assert ("The consultation closed a moment ago.", None) in assert_lists_every_problem(response)
    assert "Keep me" in response.content.decode()


def test_the_document_upload_form_links_the_file_and_asks_for_it_again(officer, strategy):
    response = client_for(officer).post(
        reverse("documents:add", kwargs={"slug": strategy.slug}),
        {"to": "strategy", "title": "Easy read strategy", "kind": "", "language": "en",
         "description": "", "note": ""},  # and no file
    )  # fmt: skip
    assert response.status_code == 200
    items = assert_lists_every_problem(response)
    assert {"id_kind", "id_file"} <= {target for _, target in items}
    page = response.content.decode()
    assert "choose the file again" in page and 'value="Easy read strategy"' in page


def test_the_bulk_tagging_form_links_to_the_inputs_its_template_draws(officer, open_window):  # noqa: F811
    Theme.objects.create(window=open_window, name="Buses")
    response = client_for(officer).post(
        reverse("consultation:bulk-tag", kwargs={"pk": open_window.pk}),
        {"scope": "ticked", "action": "add", "theme": ""},
    )
    assert response.status_code == 200
    bulk = response.context["bulk"]
    assert {"theme", "scope"} <= set(bulk.errors)
    items = assert_lists_every_problem(response, bulk)
    assert {"bulk_theme", "scope-ticked"} <= {target for _, target in items}


# The list itself -----------------------------------------------------------------------------


class Sample(forms.Form):
    name = forms.CharField(label="Full name")
    public = forms.BooleanField(label="Is it public?")
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect)
    when = forms.SplitDateTimeField(label="Meeting date")
    version = forms.IntegerField(widget=forms.HiddenInput)
    scope = forms.CharField(label="Which responses")

    def clean(self):
        raise forms.ValidationError("Someone else saved this first.")


def test_each_kind_of_field_links_to_the_input_a_person_fills_in_first():
    form = Sample(data={"when_0": "31/02/2026", "when_1": "", "version": "x"})
    problems = error_summary(form, "scope=scope-ticked")
    assert problems[0] == Problem("Someone else saved this first.")
    by_text = {p.text.split(" ")[0]: p.target for p in problems[1:]}
    assert by_text == {
        "Full": "id_name",
        "Is": "id_public",
        "Colour:": "id_colour_0",
        "Meeting": "id_when_0",
        "Enter": "",  # the hidden field's problem: text, with nothing to link to
        "Which": "scope-ticked",  # drawn by hand: the id its template names
    }
    assert Problem("Is it public? This field is required.", "id_public") in problems


def test_an_anchor_left_empty_lists_the_problem_as_text():
    form = Sample(data={})
    [scope] = [p for p in error_summary(form, "scope=") if p.text.startswith("Which")]
    assert scope.target == ""


def test_the_include_shows_nothing_for_a_form_without_problems():
    assert render_to_string("_error_summary.html", {"form": Sample()}).strip() == ""
    shown = render_to_string("_error_summary.html", {"form": Sample(data={}), "level": 3})
    assert '<h3 class="h5">There is a problem</h3>' in shown
    assert '<a class="link-danger fw-semibold" href="#id_name">Full name: ' in shown
