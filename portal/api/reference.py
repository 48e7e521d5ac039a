"""The API's documentation page at `/api/v1/docs` (URL name `api:openapi-view`): a page in
Waymark's own layout, drawn on the server from the OpenAPI schema that django-ninja builds for
`/api/v1/openapi.json`, so that it lists every operation, parameter and field the API has and
nothing it has not (docs/decisions/0035-api-reference-page.md).

It replaces Swagger UI, which fails WCAG 2.2 AA (contrast, controls inside controls, small
targets) and needs JavaScript. `reference(schema)` reads the schema into plain records for the
template; `ReferencePage` is the docs class that `NinjaAPI(docs=...)` serves at its docs URL."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

# Types in the words Power Query uses for a column's type, which is where an analyst meets them.
TYPE_WORDS = {"string": "Text", "integer": "Whole number", "number": "Decimal number",
              "boolean": "True/False", "object": "Record", "null": "null"}  # fmt: skip
FORMAT_WORDS = {"date": "Date (YYYY-MM-DD)", "date-time": "Date/Time (ISO 8601)"}
# What each refusal means for someone reading the API from a report (the schema says only
# "Unauthorized" and so on).
STATUS_MEANING = {
    "200": "Success.",
    "401": "No valid token: it is missing, mistyped, revoked or past its last day.",
    "403": "Your token's person may not read this (as in Waymark itself).",
    "404": "Not there, or not for you to read.",
    "422": "A parameter was refused: the answer names it and says why.",
    "429": "Too many requests with this token: wait as Retry-After says, then go on.",
}
# An upper bound this large only guards the database's integers; it is no limit to a reader.
NO_REAL_MAXIMUM = 2**31 - 1


@dataclass(frozen=True)
class Segment:
    """A piece of a type's description; `anchor` links it to a record's section."""

    text: str
    anchor: str = ""


@dataclass
class Field:
    name: str
    type: list[Segment]
    description: str = ""
    required: bool = False
    where: str = ""  # a parameter's place: query or path
    values: list[str] = field(default_factory=list)  # the values an enum allows
    notes: list[str] = field(default_factory=list)  # default, range


@dataclass
class Answer:
    status: str
    meaning: str
    body: list[Segment]


@dataclass
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: SafeString
    needs_token: bool
    parameters: list[Field]
    answers: list[Answer]
    fields: list[Field]  # those of a successful answer


@dataclass
class Group:
    name: str
    anchor: str
    operations: list[Operation]


@dataclass
class Shape:
    """A record that answers hold: one of the schema's components."""

    name: str
    anchor: str
    description: SafeString
    fields: list[Field]


@dataclass
class Reference:
    title: str
    version: str
    groups: list[Group]
    shapes: list[Shape]
    bearer: bool  # whether the operations take a Bearer token


def prose(text: str | None) -> SafeString:
    """The schema's descriptions, escaped, with their few marks of Markdown (`code`, **strong**,
    *emphasis*) as HTML and each blank-line paragraph as a <p>."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        html = str(escape(" ".join(block.split())))
        html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html)
        html = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", html)
        html = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", html)
        if html:
            paragraphs.append(f"<p>{html}</p>")
    return mark_safe("".join(paragraphs))  # noqa: S308 - escaped above, then marked up


class _Reader:
    def __init__(self, schema: dict) -> None:
        self.components = schema.get("components", {}).get("schemas", {})
        self.linked: list[str] = []  # records a field links to, in the order first met

    def component(self, ref: str) -> tuple[str, dict]:
        name = ref.rsplit("/", 1)[-1]
        return name, self.components.get(name, {})

    def display_name(self, name: str) -> str:
        title = self.components.get(name, {}).get("title") or name
        return re.sub(r"^(\w+)\[(\w+)\]$", r"\1 of \2", title)  # Page[Gate]: Page of Gate

    def type_of(self, schema: dict) -> tuple[list[Segment], list[str]]:
        """A schema's type as words (records linked to their sections), and its enum values."""
        if "$ref" in schema:
            name, target = self.component(schema["$ref"])
            if "properties" in target:
                if name not in self.linked:
                    self.linked.append(name)
                return [Segment(self.display_name(name), anchor=f"record-{name}")], []
            return self.type_of(target)
        choices = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
        if choices:
            segments, values = [], []
            for i, choice in enumerate(choices):
                part, part_values = self.type_of(choice)
                segments += ([Segment(", or ")] if i else []) + part
                values += part_values
            return segments, values
        kind = schema.get("type", "object")
        if kind == "array":
            items, values = self.type_of(schema.get("items", {}))
            return [Segment("List of ")] + items, values
        word = FORMAT_WORDS.get(schema.get("format"), TYPE_WORDS.get(kind, kind))
        return [Segment(word)], [str(value) for value in schema.get("enum", [])]

    def notes(self, schema: dict) -> list[str]:
        notes = []
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None and high < NO_REAL_MAXIMUM:
            notes.append(f"From {low} to {high}.")
        elif low is not None:
            notes.append(f"At least {low}.")
        if "default" in schema:
            notes.append(f"If left out: {schema['default']}.")
        return notes

    def parameter(self, parameter: dict) -> Field:
        schema = parameter.get("schema", {})
        kind, values = self.type_of(_without_null(schema))
        return Field(
            name=parameter["name"],
            type=kind,
            description=parameter.get("description") or schema.get("description", ""),
            required=bool(parameter.get("required")),
            where=parameter.get("in", ""),
            values=values,
            notes=self.notes(schema),
        )

    def fields(self, schema: dict) -> list[Field]:
        required = set(schema.get("required", []))
        found = []
        for name, prop in schema.get("properties", {}).items():
            kind, values = self.type_of(prop)
            found.append(
                Field(name=name, type=kind, description=prop.get("description", ""),
                      required=name in required, values=values)
            )  # fmt: skip
        return found

    def body(self, response: dict) -> dict:
        content = response.get("content", {})
        media = content.get("application/json") or next(iter(content.values()), {})
        return media.get("schema", {})


def _without_null(schema: dict) -> dict:
    """A parameter that may be left out is `X or null` in the schema; a reader sends X."""
    choices = schema.get("anyOf")
    if choices:
        kept = [choice for choice in choices if choice.get("type") != "null"]
        if len(kept) == 1:
            return kept[0]
    return schema


def reference(schema: dict) -> Reference:
    """The schema as the page shows it: the operations grouped by their tag (in the order the
    schema first names each), then every record the answers hold, each once."""
    reader = _Reader(schema)
    default_security = schema.get("security", [])
    groups: dict[str, Group] = {}
    later: list[tuple[Answer, dict]] = []  # other answers: their records follow the data's
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            tag = (op.get("tags") or ["Other"])[0]
            group = groups.setdefault(tag, Group(tag, f"group-{slugify(tag)}", []))
            anchor = slugify(f"{method} {path}".replace("/", " "))  # get-api-v1-gates
            answers, fields = [], []
            responses = op.get("responses", {})
            for code in sorted(responses, key=str):
                status, response = str(code), responses[code]  # an int before it is JSON
                shape = reader.body(response)
                name, target = reader.component(shape.get("$ref", ""))
                meaning = STATUS_MEANING.get(status, response.get("description", ""))
                answer = Answer(status, meaning, [])
                answers.append(answer)
                if status.startswith("2") and not fields and "properties" in target:
                    # A successful answer's own record is shown with its operation.
                    answer.body = [Segment(reader.display_name(name), anchor=f"{anchor}-answer")]
                    fields = reader.fields(target)
                elif shape:
                    later.append((answer, shape))
            group.operations.append(
                Operation(
                    anchor=anchor,
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary") or f"{method.upper()} {path}",
                    description=prose(op.get("description")),
                    needs_token=bool(op.get("security", default_security)),
                    parameters=[reader.parameter(p) for p in op.get("parameters", [])],
                    answers=answers,
                    fields=fields,
                )
            )
    # Every record the answers and their fields link to, and the records inside those, once:
    # those of the data first, then those of the other answers (refusals).
    shapes: list[Shape] = []

    def expand() -> None:
        while len(shapes) < len(reader.linked):
            name = reader.linked[len(shapes)]
            target = reader.components[name]
            fields = reader.fields(target)  # may link to further records
            shapes.append(Shape(reader.display_name(name), f"record-{name}",
                                prose(target.get("description")), fields))  # fmt: skip

    expand()
    for answer, shape in later:
        answer.body = reader.type_of(shape)[0]
    expand()
    schemes = schema.get("components", {}).get("securitySchemes", {}).values()
    info = schema.get("info", {})
    return Reference(
        title=info.get("title", "API"),
        version=info.get("version", ""),
        groups=list(groups.values()),
        shapes=shapes,
        bearer=any(s.get("type") == "http" and s.get("scheme") == "bearer" for s in schemes),
    )


class ReferencePage(DocsBase):
    """django-ninja's docs view renders this at the API's docs URL, with the same URL name and
    the same access (anyone: the page describes the API and holds no data)."""

    template = "portal/api/reference.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        ref = reference(api.get_openapi_schema(path_params=kwargs))
        first = next((op for g in ref.groups for op in g.operations if "{" not in op.path), None)
        return render(
            request,
            self.template,
            {
                "ref": ref,
                "openapi_url": self.get_openapi_url(api, kwargs),
                "tokens_url": reverse("account-api-tokens"),
                "example_url": request.build_absolute_uri(first.path) if first else "",
                "rate_limit": settings.API_RATE_LIMIT,
                "rate_window": settings.API_RATE_WINDOW,
            },
        )
