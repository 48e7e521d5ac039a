"""Documents where people look for them, besides the strategy's Documents tab: the route page
counts each gate's papers (its own and its decisions') and links to them, a decision's page
lists its papers and offers to add one to those who keep them, and a consultation's staff page
lists its documents. Governance and consultation read them through the reverse accessors
(`gate.documents`, `decision.documents`, `window.documents`), importing nothing of the
documents app (tests/test_layout.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents import workflow
from governance import workflow as governance
from governance.models import Purpose
from tests.conftest import client_for
from tests.consultation.conftest import consult_gate, open_window, planned  # noqa: F401 (fixtures)
from tests.documents.conftest import pdf
from tests.governance.conftest import decide

pytestmark = pytest.mark.django_db


def add(user, target, title, kind, **details):
    return workflow.add_document(
        user, target, title=title, kind=kind, upload=pdf(f"{kind}.pdf"), **details
    )


def route_page(user, strategy) -> str:
    return client_for(user).get(reverse("governance:route", args=[strategy.slug])).content.decode()


def tab(strategy) -> str:
    return reverse("documents:strategy", args=[strategy.slug])


def decision_page(user, decision) -> str:
    response = client_for(user).get(reverse("governance:decision", args=[decision.pk]))
    assert response.status_code == 200
    return response.content.decode()


def add_link(strategy, to: str) -> str:
    return f"{reverse('documents:add', args=[strategy.slug])}?to={to}"


# The route page -------------------------------------------------------------------------------


def test_the_route_counts_a_gates_papers_and_its_decisions_and_links_to_them(
    strategy, board, officer, secretary
):
    gate = governance.add_gate(strategy, board, Purpose.REVIEW, officer)
    later = governance.add_gate(strategy, board, Purpose.ADOPT, officer, [gate])
    add(officer, gate, "Report to the Board", "report")
    old = add(officer, gate, "Appendix A", "appendix")
    workflow.withdraw(officer, old, "Replaced by the report's own appendix")
    decision = decide(gate, secretary)
    add(secretary, decision, "Decision notice", "decision_notice")
    page = route_page(officer, strategy)
    assert page.count("Papers: ") == 1  # none at the gate with no papers
    assert f'href="{tab(strategy)}#group-gate-{gate.pk}">Papers: 2<' in page
    assert f"#group-gate-{later.pk}" not in page


def test_papers_only_of_a_decision_link_to_the_decisions_group(
    strategy, board_gate, officer, secretary
):
    decision = decide(board_gate, secretary)
    add(secretary, decision, "Decision notice", "decision_notice")
    page = route_page(officer, strategy)
    # The Documents tab lists a decision's papers in a group of their own.
    assert f'href="{tab(strategy)}#group-decision-{decision.pk}">Papers: 1<' in page
    tab_page = client_for(officer).get(tab(strategy)).content.decode()
    assert f'id="group-decision-{decision.pk}"' in tab_page


def test_a_route_whose_papers_are_all_withdrawn_shows_none(strategy, board_gate, officer):
    report = add(officer, board_gate, "Report to the Board", "report")
    workflow.withdraw(officer, report, "Sent to the wrong committee")
    assert "Papers: " not in route_page(officer, strategy)


@pytest.mark.parametrize("papers", [1, 6])
def test_route_query_count_does_not_grow_with_papers(
    strategy, board, officer, secretary, papers, django_assert_num_queries
):
    previous = []
    for _ in range(3):
        gate = governance.add_gate(strategy, board, Purpose.DISCUSS, officer, previous[-1:])
        previous.append(gate)
    decision = decide(previous[0], secretary, "noted")
    for n in range(papers):
        add(officer, previous[n % 3], f"Appendix {n}", "appendix")
        add(secretary, decision, f"Notice {n}", "decision_notice")
    client = client_for(officer)
    url = reverse("governance:route", args=[strategy.slug])
    # tests/governance/test_views.py's nine: the papers are counted in the queries that read the
    # gates and their decisions.
    with django_assert_num_queries(9):
        response = client.get(url)
    # The first gate: its share of the appendices, and its decision's notices.
    assert f"Papers: {len(range(0, papers, 3)) + papers}<" in response.content.decode()


# A decision's page ----------------------------------------------------------------------------


@pytest.fixture
def decision(board_gate, secretary):
    return decide(board_gate, secretary)


def test_a_decisions_page_lists_its_papers_newest_first(decision, officer, secretary, strategy):
    notice = add(secretary, decision, "Decision notice", "decision_notice")
    appendix = add(officer, decision, "Appendix B: the action plan", "appendix")
    withdrawn = add(officer, decision, "Draft notice", "decision_notice")
    workflow.withdraw(officer, withdrawn, "Superseded by the published notice")
    add(officer, decision.gate, "Report to the Board", "report")  # the gate's, not the decision's
    page = decision_page(officer, decision)
    papers = page.split('id="papers-heading"')[1].split("</section>")[0]
    appendix_link = reverse("documents:document", args=[appendix.pk])
    notice_link = reverse("documents:document", args=[notice.pk])
    assert papers.index(appendix_link) < papers.index(notice_link)
    assert f'Appendix: <a href="{appendix_link}">Appendix B: the action plan</a>' in papers
    assert f"({appendix.latest.label})" in papers and "PDF" in appendix.latest.label
    assert "Draft notice" not in papers and "Report to the Board" not in papers


def test_a_decision_without_papers_says_so(decision, officer):
    assert "No papers have been added to this decision." in decision_page(officer, decision)


@pytest.mark.parametrize(
    ("persona", "offered"),
    [
        ("officer", True),  # a planner: an officer of the lead organisation
        ("second_officer", True),
        ("administrator", True),
        ("secretary", True),  # a secretary of the Board, whose decision it is
        ("cabinet_secretary", False),  # a secretary of another body
        ("manager", False),  # reads everything, keeps nothing
    ],
)
def test_the_add_link_is_offered_to_those_who_keep_the_decisions_papers(
    request, decision, strategy, persona, offered
):
    page = decision_page(request.getfixturevalue(persona), decision)
    link = add_link(strategy, f"decision-{decision.pk}")
    assert (link in page) is offered
    assert ("Add a paper to this decision" in page) is offered


def test_a_withdrawn_strategys_decision_offers_no_add_link(decision, strategy, officer):
    governance.withdraw(strategy, officer, "Merged into the joint strategy")
    assert "Add a paper to this decision" not in decision_page(officer, decision)


def test_the_add_link_chooses_the_decision_on_the_add_page(decision, strategy, secretary):
    response = client_for(secretary).get(add_link(strategy, f"decision-{decision.pk}"))
    assert response.context["form"].initial["to"] == f"decision-{decision.pk}"


# A consultation's staff page ------------------------------------------------------------------


def window_page(user, window) -> str:
    response = client_for(user).get(reverse("consultation:window", args=[window.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_consultation_page_lists_its_documents(open_window, officer):  # noqa: F811
    public = add(officer, open_window, "Consultation document", "consultation", public=True)
    internal = add(officer, open_window, "Notes for the drop-in sessions", "other", public=False)
    gone = add(officer, open_window, "Draft questions", "other")
    workflow.withdraw(officer, gone, "Replaced")
    page = window_page(officer, open_window)
    section = page.split('id="documents-heading"')[1].split("</section>")[0]
    for document in (public, internal):
        assert reverse("documents:document", args=[document.pk]) in section
    assert "Consultation document</a>: consultation document, PDF" in section
    assert "; public</li>" in section  # its public page is open: shown there now
    assert "; internal, for staff only</li>" in section
    assert "Draft questions" not in section


def test_a_planned_consultations_public_document_waits_for_its_page(planned, officer):  # noqa: F811
    add(officer, planned, "Consultation document", "consultation", public=True)
    assert "public once the consultation has its public page" in window_page(officer, planned)


@pytest.mark.parametrize(("persona", "offered"), [("officer", True), ("secretary", False)])
def test_the_consultation_page_offers_to_add_a_document_to_its_planners(
    request,
    open_window,  # noqa: F811
    strategy,
    persona,
    offered,
):
    page = window_page(request.getfixturevalue(persona), open_window)
    assert "None yet." in page.split('id="documents-heading"')[1].split("</section>")[0]
    assert (add_link(strategy, f"window-{open_window.pk}") in page) is offered
