"""The API's documentation page (`/api/v1/docs`, portal/api/reference.py) is drawn from the
schema the API serves: it lists every operation the schema has, with its parameters and the
fields of its answers, so that an operation added to the API cannot be left out of it; it is a
page of Waymark's own, open to anyone, with no script of its own."""

from __future__ import annotations

import re
from itertools import pairwise

import lxml.html
import pytest
from django.test import Client

from portal.api.api import api
from portal.api.reference import reference
from strategies.models import Strategy

DOCS = "/api/v1/docs"


@pytest.fixture
def page(db) -> lxml.html.HtmlElement:
    response = Client().get(DOCS)  # anyone: no session, no token
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def text(element) -> str:
    return " ".join(element.text_content().split())


def operation(page, address: str) -> lxml.html.HtmlElement:
    """The section of the operation at `address` ("GET /api/v1/gates")."""
    (code,) = [code for code in addresses(page) if text(code) == address]
    return code.getparent().getparent()


def addresses(page) -> list:
    return page.xpath(
        "//section[contains(@class, 'api-operation')]//code[contains(@class, 'api-address')]"
    )


def tables(section, kind: str) -> list:
    return section.xpath(f".//table[contains(concat(' ', @class, ' '), ' {kind} ')]")


def test_the_page_lists_every_operation_in_the_schema(page):
    schema = api.get_openapi_schema()
    wanted = {
        f"{method.upper()} {path}": op["summary"]
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    }
    assert sorted(text(code) for code in addresses(page)) == sorted(wanted)
    for address, summary in wanted.items():
        assert text(operation(page, address).find("h3")) == summary
        # ... and in the contents at the top, linked to its section.
        anchor = operation(page, address).get("aria-labelledby")
        assert page.xpath(f"//nav//a[@href='#{anchor}']")


def test_an_operation_shows_its_parameters_from_the_schema(page):
    (table,) = tables(operation(page, "GET /api/v1/strategies"), "api-parameters")
    assert text(table.find("caption")) == "Parameters of GET /api/v1/strategies"
    rows = {
        text(row.find("th/code")): [text(cell) for cell in row.xpath("th/span|td")]
        for row in table.xpath("tbody/tr")
    }
    assert list(rows) == ["organisation", "stage", "updated_since", "limit", "offset"]
    where, kind, meaning = rows["stage"]
    assert (where, kind) == ("in the query, optional", "Text")
    for stage in Strategy.Stage.values:  # the enum's values, from its component
        assert f"{stage}," in meaning or f"{stage}." in meaning
    where, kind, meaning = rows["limit"]
    assert kind == "Whole number" and "From 1 to 100." in meaning and "If left out: 100." in meaning
    assert rows["updated_since"][1] == "Date/Time (ISO 8601)"
    (detail,) = tables(operation(page, "GET /api/v1/strategies/{slug}"), "api-parameters")
    assert [text(cell) for cell in detail.xpath("tbody/tr")[0]] == [
        "slug in the path, required", "Text", ""
    ]  # fmt: skip


def test_the_answers_fields_are_shown_and_every_record_they_name_has_its_section(page):
    answer = page.get_element_by_id("get-api-v1-strategies-slug-answer")
    fields = [text(th) for th in answer.xpath("tbody/tr/th")]
    assert fields[:3] == ["id", "slug", "title"] and "priorities" in fields
    # A list of priorities links to the priority's record, which links on to its objectives.
    assert answer.xpath(".//a[@href='#record-PriorityOut']")
    priority = page.get_element_by_id("record-PriorityOut").getparent()
    assert priority.xpath(".//a[@href='#record-ObjectiveOut']")
    targets = {a.get("href")[1:] for a in page.xpath("//main//a[starts-with(@href, '#')]")}
    assert targets and all(page.get_element_by_id(t, None) is not None for t in targets)
    # Only the records the answers hold: not the schema's others (its filters, say).
    assert page.get_element_by_id("record-Paging", None) is None


def test_the_page_says_how_to_get_a_token_and_links_the_schema(page):
    (main,) = page.xpath("//main")
    assert main.xpath(".//a[@href='/account/api-tokens/']")
    assert main.xpath(".//a[@href='/api/v1/openapi.json']")
    assert "Authorization: Bearer wmk_…" in text(main)
    assert "120 requests every 60 seconds" in text(main)  # settings.API_RATE_LIMIT
    assert "Get Data → From Web" in text(main)


def test_the_page_is_waymarks_own_with_no_script_of_its_own(db):
    response = Client().get(DOCS)
    html = response.content.decode()
    assert 'lang="en-GB"' in html and 'href="#main"' in html  # base.html's layout
    scripts = lxml.html.fromstring(response.content).xpath("//script")
    assert scripts and all(s.get("src", "").startswith("/static/vendor/") or
                           s.get("src", "").startswith("/static/js/") for s in scripts)  # fmt: skip
    assert "swagger" not in html.lower() and not re.search(r'\sstyle="', html)
    levels = "//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
    headings = [int(h.tag[1]) for h in lxml.html.fromstring(html).xpath(levels)]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in pairwise(headings))


def test_a_new_operation_in_the_schema_is_on_the_page():
    """The page reads whatever the schema holds: a made-up operation, its parameter's enum
    behind a $ref, and a record nested in its answer's record, all come out."""
    schema = api.get_openapi_schema()
    schema["paths"]["/api/v1/delivery/risks"] = {"get": {
        "summary": "List Risks",
        "tags": ["Delivery"],
        "parameters": [{"in": "query", "name": "level", "required": False,
                        "schema": {"anyOf": [{"$ref": "#/components/schemas/Level"},
                                             {"type": "null"}]}}],
        "responses": {200: {"description": "OK", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/RiskOut"}}}}},
    }}  # fmt: skip
    schema["components"]["schemas"] |= {
        "Level": {"enum": ["low", "high"], "type": "string"},
        "RiskOut": {"properties": {"owner": {"$ref": "#/components/schemas/Owner"}}},
        "Owner": {"properties": {"name": {"type": "string"}}, "description": "Who holds it."},
    }
    ref = reference(schema)
    delivery = next(group for group in ref.groups if group.name == "Delivery")
    risks = delivery.operations[-1]
    assert (risks.method, risks.path, risks.anchor) == (
        "GET", "/api/v1/delivery/risks", "get-api-v1-delivery-risks"
    )  # fmt: skip
    assert risks.parameters[0].values == ["low", "high"] and risks.needs_token is False
    assert [f.name for f in risks.fields] == ["owner"]
    assert risks.fields[0].type[0].anchor == "record-Owner"
    owner = next(shape for shape in ref.shapes if shape.name == "Owner")
    assert [f.name for f in owner.fields] == ["name"] and "Who holds it." in owner.description
