"""Governance fixtures: the lead organisation's Board (served by the `secretary` persona) and
Cabinet, another organisation's body, and a builder for meetings."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from governance import workflow
from governance.models import Body, BodySecretary, Meeting, Purpose
from strategies.models import User
from tests.factories import UserFactory


def at(days_ago: int, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def board(lead_org, secretary):
    body = Body.objects.create(organisation=lead_org, name="Health and Wellbeing Board", kind="hwb")
    BodySecretary.objects.create(body=body, user=secretary)
    return body


@pytest.fixture
def cabinet(lead_org):
    return Body.objects.create(
        organisation=lead_org, name="Cabinet", kind="cabinet", is_executive=True
    )


@pytest.fixture
def other_secretary(other_org):
    return UserFactory(username="sid", organisation=other_org, role=User.Role.SECRETARY)


@pytest.fixture
def cabinet_secretary(lead_org, cabinet):
    user = UserFactory(username="cass", organisation=lead_org, role=User.Role.SECRETARY)
    BodySecretary.objects.create(body=cabinet, user=user)
    return user


_minutes = itertools.count()


def meeting_of(body: Body, days_ago: int = 1, **kw) -> Meeting:
    """A new meeting of `body`, `days_ago` days back (each at its own minute)."""
    when = at(days_ago, hour=9) + datetime.timedelta(minutes=next(_minutes) % 600)
    return Meeting.objects.create(body=body, starts_at=when, **kw)


@pytest.fixture
def board_gate(strategy, board, officer):
    """A strategy whose first gate is with the Board, on a meeting held yesterday."""
    gate = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    return gate


def decide(gate, by, outcome="approved", **kw):
    meeting = meeting_of(gate.body, days_ago=kw.pop("days_ago", 1))
    workflow.schedule_gate(gate, meeting, by)
    kw.setdefault("resolution", "Agreed.")
    if outcome in {"deferred", "referred_back", "rejected"}:
        kw.setdefault("reasons", "Needs more work.")
    if gate.body.is_executive:  # an executive decision's record gives both (regs 12-13)
        kw.setdefault("reasons", "The strategy meets the needs the assessment found.")
        kw.setdefault("alternatives_considered", "None: the statutory duty requires one.")
    return workflow.record_decision(gate, by, outcome, **kw)
