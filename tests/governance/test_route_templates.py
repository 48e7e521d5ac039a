"""Route templates: the demo's hold the seed reports' routes; applying one builds the whole route
(gates, what each waits for, planned months) through every door, names a step whose body is
missing, and refuses a route already begun; the admin's template form and its steps."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import workflow
from governance.dates import Precision
from governance.models import Body, Gate, GateTemplate, Purpose, RouteTemplate, Transition
from governance.route import in_route_order
from governance.workflow import WorkflowError
from portal.demo import governance as demo_governance
from portal.demo import route_templates as demo_templates
from portal.demo import strategies as demo_strategies
from strategies.models import Organisation, Strategy, User
from tests.conftest import client_for
from tests.factories import StrategyFactory

DUDLEY = "Dudley refresh 2017"
MILTON_KEYNES = "Milton Keynes JHWS 2012"
GENERIC = "Health and Wellbeing Strategy: Board, Cabinet, consultation, scrutiny"

# The seeds' routes in their own order (shared/seeds): which body considered the strategy, to
# do what, and what it waited for (by step).
DUDLEY_SEED = [
    ("Dudley Health and Wellbeing Board", "develop", set()),  # development session, March
    ("Dudley Health and Wellbeing Board", "review", {1}),  # reviewed and refined, 28 June
    ("Portfolio holders, People Directorate", "discuss", {2}),  # 10 July
    ("Informal Cabinet", "discuss", {3}),  # 24 July
    ("Wider Corporate Board", "discuss", {4}),  # date to be determined
    ("Cabinet", "endorse", {4}),  # 13 September: "that Cabinet endorse"
    ("Health and Adult Social Care Scrutiny Committee", "scrutinise", {6}),  # 27 September
    ("Dudley Health and Wellbeing Board", "consult", {2}),  # summer and autumn
    ("Dudley Health and Wellbeing Board", "sign_off", {5, 7, 8}),  # December 2017
]
MK_SEED = [
    ("Milton Keynes Shadow Health and Wellbeing Board", "develop", set()),  # 1 December 2011
    ("JHWS Strategy Development Group", "develop", {1}),
    ("Milton Keynes Shadow Health and Wellbeing Board", "approve_consultation", {2}),
    ("Milton Keynes Shadow Health and Wellbeing Board", "consult", {3}),  # 90 days
    ("Milton Keynes Shadow Health and Wellbeing Board", "approve", {4}),  # 27 September 2012
    ("Milton Keynes Council Cabinet", "adopt", {5}),  # then Cabinet and the CCG, in parallel
    ("Milton Keynes CCG Governing Body", "adopt", {5}),
]


@pytest.fixture
def demo(db):
    """The seed strategies with their routes (as the demo builds them) and the templates."""
    demo_strategies.load()
    demo_governance.load()
    return {t.name: t for t in RouteTemplate.objects.all()}


def steps_of(template: RouteTemplate) -> list[tuple[str, str, set[int]]]:
    return [
        (s.body.name if s.body else s.body_kind, s.purpose, {w.position for w in s.waits_for.all()})
        for s in template.gates.select_related("body").prefetch_related("waits_for")
    ]


def route_of(gates: list[Gate]) -> list[tuple[str, str, set[int]]]:
    """A route as its steps: body, purpose and the numbers (1, 2, …) of the gates it waits for."""
    number = {g.pk: n for n, g in enumerate(gates, start=1)}
    return [(g.body.name, g.purpose, {number[w.pk] for w in g.waits_for.all()}) for g in gates]


def fresh(org_slug: str, **kw) -> Strategy:
    return StrategyFactory(lead_organisation=Organisation.objects.get(slug=org_slug), **kw)


def planned(gates: list[Gate]) -> list[str]:
    return [g.planned for g in gates]


# The demo's templates against the seeds ---------------------------------------------------------


def test_the_demo_templates_hold_the_seeds_routes(demo):
    assert set(demo) == {DUDLEY, MILTON_KEYNES, GENERIC}
    assert steps_of(demo[DUDLEY]) == DUDLEY_SEED
    assert steps_of(demo[MILTON_KEYNES]) == MK_SEED
    assert demo[DUDLEY].organisation.slug == "dudley-council"
    assert demo[GENERIC].organisation is None
    # The CCG that adopts Milton Keynes' strategy is another organisation's body, named.
    ccg_step = demo[MILTON_KEYNES].gates.get(position=7)
    assert ccg_step.body.organisation.slug == "milton-keynes-ccg"


@pytest.mark.parametrize(
    "slug, name, seed",
    [
        ("dudley-hws-2017-2022", DUDLEY, DUDLEY_SEED),
        ("milton-keynes-jhws-2012-2015", MILTON_KEYNES, MK_SEED),
    ],
)
def test_the_demo_routes_are_the_templates_routes(demo, slug, name, seed):
    gates = list(Strategy.objects.get(slug=slug).gates.prefetch_related("waits_for"))
    assert route_of(gates) == seed


def test_the_generic_template_is_built_from_kinds_of_body(demo):
    steps = list(demo[GENERIC].gates.all())
    assert all(s.body is None and s.body_kind for s in steps)
    assert [(s.body_kind, s.purpose) for s in steps] == [
        ("hwb", "develop"),
        ("hwb", "approve_consultation"),
        ("hwb", "consult"),
        ("cabinet", "endorse"),
        ("scrutiny", "scrutinise"),
        ("hwb", "approve"),
    ]


def test_loading_the_demo_twice_adds_no_steps(demo):
    demo_templates.load()
    demo_governance.load()
    assert GateTemplate.objects.count() == 9 + 7 + 6


# Applying a template ----------------------------------------------------------------------------


def test_applying_dudleys_template_from_its_first_date_plans_the_seeds_months(demo):
    officer = User.objects.get(username="officer")
    strategy = fresh("dudley-council")
    applied = workflow.apply_route(
        strategy, demo[DUDLEY], officer, starts_on=datetime.date(2017, 3, 1)
    )
    gates = in_route_order(applied.gates, lambda g: [w.pk for w in g.waits_for.all()])
    assert [g.position for g in applied.gates] == list(range(1, 10))
    assert route_of(applied.gates) == DUDLEY_SEED
    assert planned(applied.gates) == [
        "March 2017",
        "June 2017",  # 28 June
        "July 2017",  # 10 July
        "July 2017",  # 24 July
        "date to be set",  # the corporate board: "date to be determined"
        "September 2017",  # 13 September
        "September 2017",  # 27 September
        "November 2017",  # the summer and autumn engagement closes
        "December 2017",  # sign-off
    ]
    assert [g.planned_date for g in applied.gates][5:7] == [
        datetime.date(2017, 9, 13),
        datetime.date(2017, 9, 27),
    ]
    assert {g.planned_precision for g in gates} == {Precision.MONTH, Precision.NOT_SET}
    assert applied.message == "9 gates added from “Dudley refresh 2017”."
    assert Transition.objects.filter(strategy=strategy, to_state="planned").count() == 9
    strategy.refresh_from_db()
    assert strategy.stage == Strategy.Stage.DRAFT


def test_applying_milton_keynes_template_uses_the_ccgs_own_body(demo):
    strategy = fresh("milton-keynes-council")
    mk_officer = User.objects.get(username="mk-officer")
    applied = workflow.apply_route(
        strategy, demo[MILTON_KEYNES], mk_officer, starts_on=datetime.date(2011, 12, 1)
    )
    assert route_of(applied.gates) == MK_SEED
    assert planned(applied.gates) == [
        "December 2011",
        "March 2012",
        "June 2012",
        "August 2012",  # 90 days of consultation
        "September 2012",
        "date to be set",
        "date to be set",
    ]
    assert applied.gates[4].planned_date == datetime.date(2012, 9, 27)


def test_without_a_first_date_no_gate_is_planned(demo):
    applied = workflow.apply_route(
        fresh("dudley-council"), demo[DUDLEY], User.objects.get(username="officer")
    )
    assert {g.planned_precision for g in applied.gates} == {Precision.NOT_SET}


def test_a_missing_body_is_named_and_nothing_is_added(demo):
    # Milton Keynes in 2012 had a Shadow Board, no Health and Wellbeing Board nor scrutiny one.
    strategy = fresh("milton-keynes-council")
    mk_officer = User.objects.get(username="mk-officer")
    with pytest.raises(WorkflowError) as refusal:
        workflow.apply_route(strategy, demo[GENERIC], mk_officer)
    assert refusal.value.message == (
        "Nothing was added: Milton Keynes Council has no Health and Wellbeing Board (step 1, "
        "develop; step 2, approve consultation; step 3, consult; step 6, approve) and no "
        "Scrutiny committee (step 5, scrutinise). Add the bodies in the admin, or build the rest "
        "without them."
    )
    assert not strategy.gates.exists() and not Transition.objects.filter(strategy=strategy)


def test_the_rest_is_built_without_missing_bodies_when_asked(demo):
    strategy = fresh("milton-keynes-council")
    applied = workflow.apply_route(
        strategy,
        demo[GENERIC],
        User.objects.get(username="mk-officer"),
        starts_on=datetime.date(2012, 1, 1),
        skip_missing=True,
    )
    assert route_of(applied.gates) == [("Milton Keynes Council Cabinet", "endorse", set())]
    assert [s.position for s in applied.skipped] == [1, 2, 3, 5, 6]
    # Planned as the template would have it: 90 + 90 + 28 days after the first date.
    assert applied.gates[0].planned_date == datetime.date(2012, 7, 27)
    assert applied.message.startswith("1 gate added from “Health and Wellbeing Strategy")
    assert applied.message.endswith(
        "Not added, as Milton Keynes Council has no Health and Wellbeing Board (step 1, develop; "
        "step 2, approve consultation; step 3, consult; step 6, approve) and no Scrutiny "
        "committee (step 5, scrutinise)."
    )


def test_a_gate_after_a_skipped_one_waits_for_what_it_waited_for(strategy, board, officer):
    route = RouteTemplate.objects.create(name="Through scrutiny")
    first = route.gates.create(position=1, body_kind="hwb", purpose=Purpose.REVIEW)
    missing = route.gates.create(position=2, body_kind="scrutiny", purpose=Purpose.SCRUTINISE)
    last = route.gates.create(position=3, body_kind="hwb", purpose=Purpose.APPROVE)
    missing.waits_for.add(first)
    last.waits_for.add(missing)
    applied = workflow.apply_route(strategy, route, officer, skip_missing=True)
    review, approve = applied.gates
    assert list(approve.waits_for.all()) == [review]


def test_a_step_may_wait_for_a_later_numbered_one(strategy, board, cabinet, officer):
    route = RouteTemplate.objects.create(name="Cabinet first")
    board_step = route.gates.create(position=1, body=board, purpose=Purpose.APPROVE, offset_days=7)
    cabinet_step = route.gates.create(position=2, body=cabinet, purpose=Purpose.ENDORSE)
    board_step.waits_for.add(cabinet_step)
    applied = workflow.apply_route(strategy, route, officer, starts_on=datetime.date(2030, 1, 30))
    approve, endorse = applied.gates
    assert list(approve.waits_for.all()) == [endorse]
    assert endorse.planned_date == datetime.date(2030, 1, 30)
    assert approve.planned_date == datetime.date(2030, 2, 6)


def test_a_route_already_begun_is_not_built_again(demo):
    officer = User.objects.get(username="officer")
    strategy = Strategy.objects.get(slug="dudley-hws-2017-2022")
    refusal = workflow.apply_route_refusal(officer, strategy)
    assert refusal.startswith("This strategy's route already has 9 gates.")
    with pytest.raises(WorkflowError, match="already has 9 gates"):
        workflow.apply_route(strategy, demo[DUDLEY], officer)
    assert strategy.gates.count() == 9


def test_applying_twice_is_refused_and_removed_gates_do_not_count(demo):
    officer = User.objects.get(username="officer")
    strategy = fresh("dudley-council")
    applied = workflow.apply_route(strategy, demo[GENERIC], officer)
    with pytest.raises(WorkflowError, match="already has 6 gates"):
        workflow.apply_route(strategy, demo[GENERIC], officer)
    for gate in applied.gates:
        workflow.remove_gate(gate, officer, "Wrong template")
    assert len(workflow.apply_route(strategy, demo[DUDLEY], officer).gates) == 9


def test_another_organisations_template_is_refused(demo):
    strategy = fresh("dudley-council")
    with pytest.raises(WorkflowError, match="is Milton Keynes Council's route template"):
        workflow.apply_route(strategy, demo[MILTON_KEYNES], User.objects.get(username="admin"))
    assert not strategy.gates.exists()


def test_an_empty_template_is_refused(strategy, officer):
    route = RouteTemplate.objects.create(name="Empty")
    with pytest.raises(WorkflowError, match="has no steps yet"):
        workflow.apply_route(strategy, route, officer)


def test_a_huge_gap_plans_no_date_rather_than_failing(strategy, board, officer):
    route = RouteTemplate.objects.create(name="Forever")
    route.gates.create(position=1, body=board, purpose=Purpose.APPROVE, offset_days=10**8)
    (gate,) = workflow.apply_route(strategy, route, officer, datetime.date(2030, 1, 1)).gates
    assert gate.planned_precision == Precision.NOT_SET


def test_steps_in_circle_names_only_the_circle():
    assert workflow.steps_in_circle({1: set(), 2: {1, 4}, 3: {2}, 4: {3}, 5: {4}}) == [2, 3, 4]
    assert workflow.steps_in_circle({1: set(), 2: {1}, 3: {1, 2}}) == []


# The route page ---------------------------------------------------------------------------------


def route_page(client, strategy):
    return client.get(reverse("governance:route", kwargs={"slug": strategy.slug}))


def apply_url(strategy) -> str:
    return reverse("governance:apply-route", kwargs={"slug": strategy.slug})


def test_the_picker_names_each_template_with_its_gates(demo):
    strategy = fresh("dudley-council")
    text = route_page(client_for(User.objects.get(username="officer")), strategy).content.decode()
    assert "Dudley refresh 2017 (9 gates)</option>" in text
    assert f"{GENERIC} (6 gates)</option>" in text
    assert "Milton Keynes JHWS 2012" not in text  # another organisation's
    assert "---------" not in text
    assert 'name="starts_on"' in text and 'name="skip_missing"' in text


def test_the_officer_applies_a_template_on_the_route_page(demo):
    strategy = fresh("dudley-council")
    client = client_for(User.objects.get(username="officer"))
    data = {"route": demo[DUDLEY].pk, "starts_on": "2017-03-01"}
    response = client.post(apply_url(strategy), data, follow=True)
    assert strategy.gates.count() == 9
    assert "9 gates added from “Dudley refresh 2017”." in response.content.decode()
    assert "Apply the template" not in response.content.decode()  # the route is built


def test_a_missing_body_comes_back_beside_the_form_with_what_was_chosen(demo):
    strategy = fresh("milton-keynes-council")
    client = client_for(User.objects.get(username="mk-officer"))
    data = {"route": demo[GENERIC].pk, "starts_on": "2012-01-01"}
    response = client.post(apply_url(strategy), data)
    assert response.status_code == 200 and not strategy.gates.exists()
    form = response.context["apply_form"]
    assert (
        "Nothing was added: Milton Keynes Council has no Health and Wellbeing Board (step 1"
        in (form.non_field_errors()[0])
    )
    assert form["starts_on"].value() == "2012-01-01"
    response = client.post(apply_url(strategy), {**data, "skip_missing": "on"}, follow=True)
    assert strategy.gates.count() == 1
    assert "1 gate added from" in response.content.decode()
    assert "Not added, as Milton Keynes Council has no Health and Wellbeing Board (step 1," in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "data, field",
    [
        ({"route": "999999"}, "route"),
        ({"route": "not a number"}, "route"),
        ({"route": ""}, "route"),
        ({"starts_on": "2017-02-30"}, "starts_on"),
        ({"starts_on": "9999-01-01"}, "starts_on"),
        ({"starts_on": "1066-10-14"}, "starts_on"),
    ],
)
def test_bad_input_comes_back_as_the_form_not_an_error(demo, data, field):
    strategy = fresh("dudley-council")
    client = client_for(User.objects.get(username="officer"))
    response = client.post(apply_url(strategy), {"route": demo[DUDLEY].pk, **data})
    assert response.status_code == 200
    assert field in response.context["apply_form"].errors
    assert not strategy.gates.exists()


def test_another_organisations_template_posted_is_not_a_choice(demo):
    strategy = fresh("dudley-council")
    client = client_for(User.objects.get(username="officer"))
    response = client.post(apply_url(strategy), {"route": demo[MILTON_KEYNES].pk})
    assert "route" in response.context["apply_form"].errors
    assert not strategy.gates.exists()


def test_applying_again_after_the_route_is_built_says_why(demo):
    strategy = Strategy.objects.get(slug="dudley-hws-2017-2022")
    client = client_for(User.objects.get(username="officer"))
    response = client.post(apply_url(strategy), {"route": demo[DUDLEY].pk}, follow=True)
    assert "already has 9 gates" in response.content.decode()
    assert strategy.gates.count() == 9
    assert client.get(apply_url(strategy)).status_code == 405


def test_only_planners_apply_a_template(demo, as_user):
    strategy = fresh("dudley-council")
    for username in ("secretary", "manager", "mk-officer"):
        response = as_user(User.objects.get(username=username)).post(
            apply_url(strategy), {"route": demo[GENERIC].pk}
        )
        assert response.status_code in (403, 404)
    assert not strategy.gates.exists()


# The admin --------------------------------------------------------------------------------------


def inline_data(template: RouteTemplate | None, steps: list[dict], **fields) -> dict:
    existing = list(template.gates.all()) if template else []
    data = {
        "name": template.name if template else "New route",
        "organisation": "",
        "description": "",
        "gates-TOTAL_FORMS": str(len(steps)),
        "gates-INITIAL_FORMS": str(len(existing)),
        "gates-MIN_NUM_FORMS": "0",
        "gates-MAX_NUM_FORMS": "1000",
        **({"version": str(template.version)} if template else {}),
        **fields,
    }
    for n, step in enumerate(steps):
        row = {"body": "", "body_kind": "", "waits_for_steps": "", "offset_days": "", **step}
        if n < len(existing):
            row["id"] = existing[n].pk
            row["route"] = template.pk
        data.update({f"gates-{n}-{key}": value for key, value in row.items()})
    return data


def admin_url(template: RouteTemplate | None = None) -> str:
    if template is None:
        return reverse("admin:governance_routetemplate_add")
    return reverse("admin:governance_routetemplate_change", args=[template.pk])


def test_the_admin_saves_a_new_template_whose_steps_wait_for_each_other(administrator):
    steps = [
        {"position": "1", "purpose": "review", "body_kind": "hwb", "offset_days": "0"},
        {"position": "2", "purpose": "endorse", "body_kind": "cabinet", "waits_for_steps": "1"},
        {"position": "3", "purpose": "approve", "body_kind": "hwb", "waits_for_steps": "1, 2"},
    ]
    response = client_for(administrator).post(admin_url(), inline_data(None, steps))
    assert response.status_code == 302, response.context["errors"]
    template = RouteTemplate.objects.get(name="New route")
    assert [(k, p, w) for k, p, w in steps_of(template)] == [
        ("hwb", "review", set()),
        ("cabinet", "endorse", {1}),
        ("hwb", "approve", {1, 2}),
    ]


def test_the_admin_refuses_steps_that_wait_in_a_circle(administrator):
    steps = [
        {"position": "1", "purpose": "review", "body_kind": "hwb"},
        {"position": "2", "purpose": "endorse", "body_kind": "cabinet", "waits_for_steps": "3"},
        {"position": "3", "purpose": "approve", "body_kind": "hwb", "waits_for_steps": "1; 2"},
    ]
    response = client_for(administrator).post(admin_url(), inline_data(None, steps))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Steps 2 and 3 wait for each other in a circle" in text
    assert 'value="1; 2"' in text  # what was typed is kept
    assert not RouteTemplate.objects.exists()


@pytest.mark.parametrize(
    "waits, error",
    [
        ("2", "A step cannot wait for itself."),
        ("7", "This template has no step 7."),
        ("one", "numbers separated by commas, e.g. “2, 3”."),
    ],
)
def test_the_admin_refuses_a_step_waiting_for_what_is_not_there(administrator, waits, error):
    steps = [
        {"position": "1", "purpose": "review", "body_kind": "hwb"},
        {"position": "2", "purpose": "approve", "body_kind": "hwb", "waits_for_steps": waits},
    ]
    response = client_for(administrator).post(admin_url(), inline_data(None, steps))
    assert response.status_code == 200 and error in response.content.decode()
    assert not RouteTemplate.objects.exists()


@pytest.mark.parametrize(
    "step, error",
    [
        ({"body_kind": "", "body": ""}, "Name a body or a kind of body."),
        ({"offset_days": "-3"}, "greater than or equal to 0"),
        ({"offset_days": "99999999999999"}, "less than or equal to 3650"),
        ({"position": "1"}, "Two steps have the same number: give each its own."),
    ],
)
def test_the_admin_refuses_a_bad_step_beside_it(administrator, step, error):
    steps = [
        {"position": "1", "purpose": "review", "body_kind": "hwb"},
        {"position": "2", "purpose": "approve", "body_kind": "hwb", **step},
    ]
    response = client_for(administrator).post(admin_url(), inline_data(None, steps))
    assert response.status_code == 200 and error in response.content.decode()


def test_the_admin_renumbers_steps_and_keeps_what_they_wait_for(administrator, board, cabinet):
    template = RouteTemplate.objects.create(name="Swap")
    first = template.gates.create(position=1, body=board, purpose=Purpose.REVIEW)
    template.gates.create(position=2, body=cabinet, purpose=Purpose.ENDORSE).waits_for.add(first)
    steps = [
        {"position": "2", "purpose": "review", "body": board.pk, "waits_for_steps": "1"},
        {"position": "1", "purpose": "endorse", "body": cabinet.pk},
    ]
    response = client_for(administrator).post(admin_url(template), inline_data(template, steps))
    assert response.status_code == 302
    assert steps_of(template) == [
        ("Cabinet", "endorse", set()),
        ("Health and Wellbeing Board", "review", {1}),
    ]


def test_the_admin_pages_show_the_steps_labelled(demo, administrator):
    client = client_for(administrator)
    listing = client.get(reverse("admin:governance_routetemplate_changelist")).content.decode()
    assert "Dudley refresh 2017" in listing
    page = client.get(admin_url(demo[DUDLEY]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'for="id_gates-8-waits_for_steps">Waits for steps:</label>' in text
    assert 'value="5, 7, 8"' in text
    assert 'for="id_gates-0-offset_days">Usual days after:</label>' in text
    assert client.get(admin_url(demo[DUDLEY]).replace(str(demo[DUDLEY].pk), "0")).status_code in (
        302,
        404,
    )


def test_the_admins_apply_action_says_what_it_built_and_skipped(demo, administrator):
    dudley, mk = fresh("dudley-council"), fresh("milton-keynes-council")
    client = client_for(administrator)
    url = reverse("admin:strategies_strategy_changelist")
    data = {
        "action": "apply_route",
        "_selected_action": [dudley.pk, mk.pk],
        "route": demo[GENERIC].pk,
        "starts_on": "2030-01-01",
        "apply": "1",
    }
    response = client.post(url, data, follow=True)
    text = response.content.decode()
    assert f"{dudley}: 6 gates added from" in text
    assert "Nothing was added: Milton Keynes Council has no Health and Wellbeing Board" in text
    assert dudley.gates.count() == 6 and not mk.gates.exists()
    assert Body.objects.filter(organisation=dudley.lead_organisation, kind="hwb").exists()


def test_the_pickers_queries_do_not_grow_with_templates_and_steps(strategy, board, officer):
    client = client_for(officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert "Apply the template" in route_page(client, strategy).content.decode()
        return len(captured)

    def add_template(n: int) -> None:
        template = RouteTemplate.objects.create(name=f"Route {n}")
        for position in range(1, 6):
            template.gates.create(position=position, body=board, purpose=Purpose.REVIEW)

    add_template(0)
    few = queries()
    assert few > 5  # the page itself
    for n in range(1, 6):
        add_template(n)
    assert queries() == few


def test_two_administrators_editing_one_template_are_told_not_overwritten(
    administrator, board, cabinet
):
    template = RouteTemplate.objects.create(name="Shared")
    template.gates.create(position=1, body=board, purpose=Purpose.REVIEW)
    opened = inline_data(template, [{"position": "1", "purpose": "review", "body": board.pk}])
    first = inline_data(template, [{"position": "1", "purpose": "endorse", "body": cabinet.pk}])
    client = client_for(administrator)
    assert client.post(admin_url(template), first).status_code == 302
    late = client.post(admin_url(template), {**opened, "description": "Mine"})
    assert late.status_code == 200
    assert "saved a change to this item while you were editing it" in late.content.decode()
    template.refresh_from_db()
    assert template.description == "" and steps_of(template) == [("Cabinet", "endorse", set())]


def test_what_a_step_waits_for_is_in_its_history(administrator, board, cabinet):
    template = RouteTemplate.objects.create(name="Linked")
    template.gates.create(position=1, body=board, purpose=Purpose.REVIEW)
    second = template.gates.create(position=2, body=cabinet, purpose=Purpose.ENDORSE)
    steps = [
        {"position": "1", "purpose": "review", "body": board.pk},
        {"position": "2", "purpose": "endorse", "body": cabinet.pk, "waits_for_steps": "1"},
    ]
    client = client_for(administrator)
    assert client.post(admin_url(template), inline_data(template, steps)).status_code == 302
    row = second.history.first()
    assert row.history_change_reason == "Waits for step 1 (before: no step)"
    assert row.history_user == administrator
    template.refresh_from_db()
    steps[1]["waits_for_steps"] = ""
    assert client.post(admin_url(template), inline_data(template, steps)).status_code == 302
    assert second.history.first().history_change_reason == "Waits for no step (before: step 1)"
    # Saved again unchanged: nothing more in its history.
    count = second.history.count()
    template.refresh_from_db()
    client.post(admin_url(template), inline_data(template, steps))
    assert second.history.count() == count
