"""The route page as rows with details on demand (issue 21): each gate's row says what it waits
for by number; a gate opens by itself where its move is this person's to make now; buttons
never look disabled; the template picker asks for a choice rather than showing "---------"."""

from __future__ import annotations

import re

from django.urls import reverse

from governance import workflow
from governance.models import Purpose, RouteTemplate
from tests.conftest import client_for
from tests.governance.conftest import meeting_of


def route_page(user, strategy) -> str:
    return client_for(user).get(reverse("governance:route", args=[strategy.slug])).text


def details_of(page: str) -> list[str]:
    """The opening tag of each gate's <details>."""
    return re.findall(r'<details class="route-gate[^>]*>', page)


def test_each_row_names_what_it_waits_for_by_number(officer, strategy, board, cabinet):
    review = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    workflow.add_gate(strategy, board, Purpose.CONSULT, officer, [review])
    adopt = workflow.add_gate(strategy, cabinet, Purpose.ADOPT, officer, [review])
    workflow.add_gate(strategy, board, Purpose.SIGN_OFF, officer, [adopt, review])
    page = route_page(officer, strategy)
    rows = re.findall(r'<details class="route-gate[^>]*>\s*<summary>(.*?)</summary>', page, re.S)
    words = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    assert [w.split(" Planned")[0] for w in words] == [
        "Gate 1 Health and Wellbeing Board: review",
        "Gate 2a Health and Wellbeing Board: consult",
        "Gate 2b Cabinet: adopt",
        "Gate 3 Health and Wellbeing Board: sign off",
    ]
    assert "Waits for" not in words[0] and "Waits for 1" in words[1]
    assert "Waits for 1, 2b No papers" in words[3]
    # The officer's moves (re-plan, remove) are there, behind each closed row.
    assert len(details_of(page)) == 4 and not any(" open" in d for d in details_of(page))
    assert page.count("Reason for removing") == 4
    assert "btn-secondary" not in page and "btn-outline-secondary" not in page


def test_a_gate_whose_decision_the_secretary_may_record_is_open(board_gate, board, secretary):
    workflow.schedule_gate(board_gate, meeting_of(board, days_ago=0), secretary)
    page = route_page(secretary, board_gate.strategy)
    opened = '<details class="route-gate route-gate-scheduled route-gate-next" open>'
    assert details_of(page) == [opened]
    assert reverse("governance:record-decision", args=[board_gate.pk]) in page


def test_the_template_picker_asks_for_a_choice(officer, strategy, board):
    route = RouteTemplate.objects.create(name="Simple", organisation=strategy.lead_organisation)
    route.gates.create(position=1, body=board, purpose="approve")
    page = route_page(officer, strategy)
    assert '<option value="" selected>Choose a route template</option>' in page
    assert "---------" not in page
    assert '<button class="btn btn-primary" type="submit">Apply the template</button>' in page
    # Pressing the button without choosing applies nothing, and says so beside the picker.
    url = reverse("governance:apply-route", args=[strategy.slug])
    response = client_for(officer).post(url, {"route": ""})
    assert response.status_code == 200 and "route" in response.context["apply_form"].errors
    assert not strategy.gates.exists()
