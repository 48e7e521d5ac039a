"""What the API answers, field by field: the OpenAPI schema is built from these, and every
answer is checked against them before it leaves. Values of a choice come as the stored value
(`stage: "in_governance"`) with its label beside it (`stage_label: "In governance"`), so a
report can filter on the one and show the other. Dates are ISO 8601; times carry their offset
from UTC; numbers are JSON numbers."""

from __future__ import annotations

import datetime

from ninja import Field, Schema


class Message(Schema):
    detail: str = Field(description="What went wrong, in words.")


class Problems(Schema):
    detail: list[dict] = Field(description="Each parameter refused, where it was and why.")


def answers(schema, *also: int) -> dict:
    """An operation's answers: `schema` with a 200, and the refusals every operation can give
    (no valid token, parameters refused, too many requests), with those in `also`."""
    return {
        200: schema,
        401: Message,
        422: Problems,
        429: Message,
        **dict.fromkeys(also, Message),
    }


class OrganisationRef(Schema):
    slug: str
    name: str


class BodyRef(Schema):
    id: int
    name: str
    organisation: OrganisationRef


class StrategySummary(Schema):
    id: int
    slug: str
    title: str
    start_year: int
    end_year: int
    stage: str
    stage_label: str
    lead_organisation: OrganisationRef
    partners: list[OrganisationRef] = Field(description="Partner organisations, joint leads too.")
    top_level_term: str = Field(description="What it calls its top level: priority, goal…")
    published_on: datetime.date | None
    review_due_on: datetime.date | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str = Field(description="Its page in Waymark.")


class ActionOut(Schema):
    id: int
    position: int
    title: str
    lead_organisation: OrganisationRef | None
    lead_team: str
    due_date: datetime.date | None
    milestone: str
    status: str
    status_label: str
    rag: str = Field(description="red, amber, green, or empty when not rated.")


class ObjectiveOut(Schema):
    id: int
    position: int
    title: str
    description: str
    commitment_level: str
    actions: list[ActionOut]


class PriorityOut(Schema):
    id: int
    position: int
    title: str
    description: str
    objectives: list[ObjectiveOut]


class IndicatorOut(Schema):
    id: int
    position: int
    framework: str
    framework_label: str
    code: str
    title: str
    unit: str
    polarity: str
    baseline: float | None
    baseline_date: datetime.date | None
    target: float | None
    target_date: datetime.date | None
    latest_value: float | None
    latest_date: datetime.date | None
    objective_ids: list[int] = Field(description="The objectives it measures.")


class StrategyDetail(StrategySummary):
    vision: str
    summary: str
    priorities: list[PriorityOut]
    indicators: list[IndicatorOut]


class GateOut(Schema):
    id: int
    strategy: str = Field(description="The strategy's slug.")
    position: int
    body: BodyRef
    purpose: str
    purpose_label: str
    state: str
    state_label: str
    planned_date: datetime.date | None
    planned_precision: str = Field(description="day, month, quarter, season or not_set.")
    meeting_id: int | None
    meeting_starts_at: datetime.datetime | None
    due_on: datetime.date | None = Field(description="Its meeting's day, or the plan's last.")
    key_decision: bool
    forward_plan_reference: str
    report_number: str
    agenda_item: str


class DecisionOut(Schema):
    id: int
    gate_id: int
    strategy: str = Field(description="The strategy's slug.")
    body: BodyRef
    meeting_id: int
    decided_on: datetime.date
    decided_precision: str = Field(description="day, or month when the minutes give only it.")
    outcome: str
    outcome_label: str
    resolution: str
    reasons: str
    minute_reference: str
    decision_notice_reference: str
    published_on: datetime.date | None
    recorded_at: datetime.datetime
    recorded_later: bool
    corrects_id: int | None = Field(description="The decision this one corrects.")
    corrected: bool = Field(description="A later decision corrects this one.")


class MeetingOut(Schema):
    id: int
    body: BodyRef
    starts_at: datetime.datetime
    date_precision: str
    time_known: bool
    venue: str
    agenda_published_on: datetime.date | None
    status: str
    status_label: str


class RespondentTypeCount(Schema):
    respondent_type: str
    label: str
    responses: int


class AgreementCount(Schema):
    agreement: int | None = Field(
        description="1 strongly disagree … 5 strongly agree; null for no answer."
    )
    label: str
    answers: int


class PriorityAgreement(Schema):
    priority_id: int
    title: str = Field(description="The priority as the text consulted on named it.")
    counts: list[AgreementCount]


class ConsultationResults(Schema):
    responses: int
    by_respondent_type: list[RespondentTypeCount]
    agreement_by_priority: list[PriorityAgreement]


class ConsultationOut(Schema):
    id: int
    slug: str
    title: str
    strategy: str = Field(description="The strategy's slug.")
    state: str
    state_label: str
    opens_on: datetime.date | None
    closes_on: datetime.date | None
    date_precision: str
    recorded_later: bool
    reported_responses: int | None = Field(
        description="For one recorded after the fact: the responses its report gives."
    )
    response_published_on: datetime.date | None
    results: ConsultationResults | None = Field(
        description="Counts only, never what anyone wrote or who they are; null for a person "
        "who does not read this consultation's responses."
    )


class ProgressOut(Schema):
    as_of: datetime.date
    status: str
    rag: str
    commentary: str


class DeliveryActionOut(Schema):
    id: int
    strategy: str = Field(description="The strategy's slug.")
    priority_id: int
    objective_id: int
    position: int
    title: str
    due_date: datetime.date | None
    status: str
    rag: str
    latest_update: ProgressOut | None


class IndicatorValueOut(Schema):
    id: int
    strategy: str = Field(description="The strategy's slug.")
    indicator_id: int
    indicator_code: str
    indicator_title: str
    period: str
    period_start: datetime.date
    period_end: datetime.date
    value: float
    lower_ci: float | None
    upper_ci: float | None
    source: str
    published_on: datetime.date | None
