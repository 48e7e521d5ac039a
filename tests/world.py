"""One of everything, for the tests that walk the whole project (every URL, every form).

The lead organisation's draft strategy has content at every level, a route with a decided gate,
a gate on an upcoming meeting and a consultation gate whose window is open with an event, a
theme, a response and a "you said, we did" entry. Its people: an officer, a secretary serving
its Board, a manager of another organisation, an administrator; plus an officer and a secretary
of another organisation (whose Board considers nothing of ours).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from consultation import workflow as consultation
from consultation.models import ConsultationWindow, Event, Theme, YouSaidWeDid
from governance import workflow
from governance.models import Body, BodySecretary, Decision, Gate, Meeting, Purpose
from strategies import editing
from strategies.models import EvidenceSource, Organisation, Revision, Strategy, User
from strategies.revisions import take_revision
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    StrategyFactory,
    UserFactory,
    add_action,
    add_indicator,
    add_objective,
    add_priority,
)


def _day(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _at(days: int, hour: int = 10) -> datetime.datetime:
    day = _day(days)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@dataclass
class World:
    lead_org: Organisation
    other_org: Organisation
    people: dict[str, User | None]
    strategy: Strategy
    board: Body
    other_board: Body
    decided_gate: Gate
    scheduled_gate: Gate
    open_gate: Gate
    meeting: Meeting
    decision: Decision
    revision: Revision
    window: ConsultationWindow
    event: Event
    theme: Theme
    entry: YouSaidWeDid
    items: dict[str, object]

    def url_values(self) -> dict[str, object]:
        """Values for every URL parameter name used in the project's patterns."""
        return {
            "slug": self.strategy.slug,
            "number": self.revision.number,
            "parent_pk": self.items["priorities"].pk,
            "event_pk": self.event.pk,
            "entry_pk": self.entry.pk,
            "response_pk": self.window.responses.first().pk,
        }


def build() -> World:
    lead = OrganisationFactory(name="Dudley Metropolitan Borough Council", slug="dudley")
    other = OrganisationFactory(name="Milton Keynes Council", slug="mk")
    people = {
        "anonymous": None,
        "officer": UserFactory(username="olivia", organisation=lead, role="officer"),
        "other_officer": UserFactory(username="mo", organisation=other, role="officer"),
        "secretary": UserFactory(username="sam", organisation=lead, role="secretary"),
        "other_secretary": UserFactory(username="sid", organisation=other, role="secretary"),
        "manager": UserFactory(username="morgan", organisation=other, role="manager"),
        "administrator": UserFactory(
            username="alex",
            organisation=None,
            role="administrator",
            is_staff=True,
            is_superuser=True,
            password=PASSWORD,
        ),  # fmt: skip
    }
    officer = people["officer"]
    board = Body.objects.create(organisation=lead, name="Health and Wellbeing Board", kind="hwb")
    BodySecretary.objects.create(body=board, user=people["secretary"])
    other_board = Body.objects.create(organisation=other, name="MK Board", kind="hwb")
    BodySecretary.objects.create(body=other_board, user=people["other_secretary"])

    strategy = StrategyFactory(lead_organisation=lead, title="Dudley Health and Wellbeing Strategy")
    priority = add_priority(strategy, "Improve wellbeing")
    objective = add_objective(priority, "Healthier lifestyles")
    action = add_action(objective, "Run a campaign")
    indicator = add_indicator(strategy, "Healthy life expectancy")
    evidence = editing.add_item(
        EvidenceSource(strategy=strategy, title="Joint Strategic Needs Assessment", kind="jsna")
    )
    revision = take_revision(strategy, "Draft for the Board", by=officer)

    decided = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    held = Meeting.objects.create(body=board, starts_at=_at(-3))
    workflow.schedule_gate(decided, held, people["secretary"])
    decision = workflow.record_decision(
        decided, people["secretary"], "endorsed", "Endorsed for consultation."
    )
    consult_gate = workflow.add_gate(strategy, board, Purpose.CONSULT, officer, [decided])
    scheduled = workflow.add_gate(strategy, board, Purpose.APPROVE, officer, [consult_gate])
    meeting = Meeting.objects.create(body=board, starts_at=_at(30))
    workflow.schedule_gate(scheduled, meeting, people["secretary"])

    window = ConsultationWindow.objects.create(
        strategy=strategy, gate=consult_gate, title="Have your say", slug="have-your-say",
        opens_on=_day(-5), closes_on=_day(85), minimum_days=84,
    )  # fmt: skip
    window = consultation.open_window(window, officer)
    event = Event.objects.create(window=window, title="Drop-in", starts_at=_at(10), place="Hall")
    theme = Theme.objects.create(window=window, name="Carers")
    consultation.submit_response(
        window, "individual", [(priority.pk, priority.title, 4, "Yes")], "More for carers."
    )
    entry = YouSaidWeDid.objects.create(
        window=window, theme=theme, you_said="More for carers.", changed=False,
        why_not="Already in the plan.",
    )  # fmt: skip
    strategy.refresh_from_db()
    return World(
        lead_org=lead,
        other_org=other,
        people=people,
        strategy=strategy,
        board=board,
        other_board=other_board,
        decided_gate=decided,
        scheduled_gate=scheduled,
        open_gate=scheduled,
        meeting=meeting,
        decision=decision,
        revision=revision,
        window=window,
        event=event,
        theme=theme,
        entry=entry,
        items={
            "priorities": priority,
            "objectives": objective,
            "actions": action,
            "indicators": indicator,
            "evidence": evidence,
        },
    )
