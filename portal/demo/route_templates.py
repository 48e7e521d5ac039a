"""The demo's route templates: the two seed reports' routes, step by step, and a starting point
for any council built from kinds of body.

Each seed template names its organisation's bodies (the Milton Keynes one also the CCG's
governing body, which is another organisation's) in the order and with the dependencies the
demo routes (governance.py) have, and its usual days between are the gaps between the seed's
own dates: applied with the seed's first date, a template plans each gate in the month the
report gives. Where a report gives no date (Dudley's corporate board, "date to be
determined"; Milton Keynes' adoption by Cabinet and the CCG) the step has no usual gap, so its
gate is planned when its date is known. tests/governance/test_route_templates.py checks them
against the seeds.
"""

from __future__ import annotations

from governance.models import Body, GateTemplate, Purpose, RouteTemplate
from strategies.models import Organisation

from .records import found_or_made

REASON = "Demo data: the route of the seed report"

# (step, body as (its organisation, its name) or None, kind of body, purpose, steps it waits
# for, usual days after)
Step = tuple[int, tuple[str, str] | None, str, str, tuple[int, ...], int | None]

DUDLEY_BOARD = ("dudley-council", "Dudley Health and Wellbeing Board")
DUDLEY = (
    "Dudley refresh 2017",
    "dudley-council",
    "The route of Dudley's Health and Wellbeing Strategy 2017-2022, from the report to Cabinet "
    "of 13 September 2017 (paragraphs 4 and 8 to 11). First date: the Board's development "
    "session, March 2017. The corporate board's date was “to be determined”, so it has no usual "
    "gap; the engagement with partners runs over the summer and autumn; the Board signs off in "
    "December 2017.",
    [
        (1, DUDLEY_BOARD, Body.Kind.HEALTH_AND_WELLBEING_BOARD, Purpose.DEVELOP, (), 0),
        (2, DUDLEY_BOARD, Body.Kind.HEALTH_AND_WELLBEING_BOARD, Purpose.REVIEW, (1,), 119),
        (
            3,
            ("dudley-council", "Portfolio holders, People Directorate"),
            Body.Kind.PORTFOLIO_HOLDERS,
            Purpose.DISCUSS,
            (2,),
            12,
        ),
        (
            4,
            ("dudley-council", "Informal Cabinet"),
            Body.Kind.INFORMAL_CABINET,
            Purpose.DISCUSS,
            (3,),
            14,
        ),
        (
            5,
            ("dudley-council", "Wider Corporate Board"),
            Body.Kind.CORPORATE_BOARD,
            Purpose.DISCUSS,
            (4,),
            None,
        ),
        (6, ("dudley-council", "Cabinet"), Body.Kind.CABINET, Purpose.ENDORSE, (4,), 51),
        (
            7,
            ("dudley-council", "Health and Adult Social Care Scrutiny Committee"),
            Body.Kind.SCRUTINY,
            Purpose.SCRUTINISE,
            (6,),
            14,
        ),
        (8, DUDLEY_BOARD, Body.Kind.HEALTH_AND_WELLBEING_BOARD, Purpose.CONSULT, (2,), 150),
        (9, DUDLEY_BOARD, Body.Kind.HEALTH_AND_WELLBEING_BOARD, Purpose.SIGN_OFF, (5, 7, 8), 14),
    ],
)

MK_BOARD = ("milton-keynes-council", "Milton Keynes Shadow Health and Wellbeing Board")
MILTON_KEYNES = (
    "Milton Keynes JHWS 2012",
    "milton-keynes-council",
    "The route of Milton Keynes' Joint Health and Wellbeing Strategy 2012-2015, from the report "
    "to the Shadow Health and Wellbeing Board asking approval of a 90 day consultation. First "
    "date: the Board's inaugural meeting, 1 December 2011. The Strategy Development Group's "
    "draft (March 2012) and the Board's meeting on the consultation (June 2012) are the demo's "
    "reading of the report; final approval on 27 September 2012; the report gives no dates for "
    "adoption by the Council's Cabinet and the Clinical Commissioning Group, in parallel.",
    [
        (1, MK_BOARD, Body.Kind.SHADOW_BOARD, Purpose.DEVELOP, (), 0),
        (
            2,
            ("milton-keynes-council", "JHWS Strategy Development Group"),
            Body.Kind.STRATEGY_GROUP,
            Purpose.DEVELOP,
            (1,),
            91,
        ),
        (3, MK_BOARD, Body.Kind.SHADOW_BOARD, Purpose.APPROVE_CONSULTATION, (2,), 92),
        (4, MK_BOARD, Body.Kind.SHADOW_BOARD, Purpose.CONSULT, (3,), 90),
        (5, MK_BOARD, Body.Kind.SHADOW_BOARD, Purpose.APPROVE, (4,), 28),
        (
            6,
            ("milton-keynes-council", "Milton Keynes Council Cabinet"),
            Body.Kind.CABINET,
            Purpose.ADOPT,
            (5,),
            None,
        ),
        (
            7,
            ("milton-keynes-ccg", "Milton Keynes CCG Governing Body"),
            Body.Kind.CCG_GOVERNING_BODY,
            Purpose.ADOPT,
            (5,),
            None,
        ),
    ],
)

GENERIC = (
    "Health and Wellbeing Strategy: Board, Cabinet, consultation, scrutiny",
    None,
    "A starting point for any council, from kinds of body (its own Health and Wellbeing Board, "
    "Cabinet and scrutiny committee), drawn from both seed reports: the Board develops the "
    "strategy and approves a 90 day consultation (as Milton Keynes'); after it Cabinet endorses "
    "the draft and scrutiny considers it, side by side (Dudley's met in turn); then the Board "
    "gives final approval. Change the steps to the council's own route.",
    [
        (1, None, Body.Kind.HEALTH_AND_WELLBEING_BOARD, Purpose.DEVELOP, (), 0),
        (2, None, Body.Kind.HEALTH_AND_WELLBEING_BOARD, Purpose.APPROVE_CONSULTATION, (1,), 90),
        (3, None, Body.Kind.HEALTH_AND_WELLBEING_BOARD, Purpose.CONSULT, (2,), 90),
        (4, None, Body.Kind.CABINET, Purpose.ENDORSE, (3,), 28),
        (5, None, Body.Kind.SCRUTINY, Purpose.SCRUTINISE, (3,), 28),
        (6, None, Body.Kind.HEALTH_AND_WELLBEING_BOARD, Purpose.APPROVE, (4, 5), 28),
    ],
)

TEMPLATES = [DUDLEY, MILTON_KEYNES, GENERIC]


def _template(name: str, org_slug: str | None, description: str, steps: list[Step]) -> None:
    org = Organisation.objects.get(slug=org_slug) if org_slug else None
    template = found_or_made(
        RouteTemplate, REASON, {"name": name}, organisation=org, description=description
    )
    if template.gates.exists():
        return
    # A template made before it had steps (the demo's first Dudley one) gains them, and its text.
    if template.description != description:
        template.description = description
        template._change_reason = REASON
        template.save(update_fields=["description"])
    made: dict[int, GateTemplate] = {}
    for position, named, kind, purpose, waits, offset in steps:
        # A seed's step names its body (by its kind, should the demo not have made it).
        body = (
            Body.objects.filter(organisation__slug=named[0], name=named[1]).first()
            if named
            else None
        )
        step = GateTemplate(
            route=template,
            position=position,
            body=body,
            body_kind="" if body else kind,
            purpose=purpose,
            offset_days=offset,
        )
        step._change_reason = REASON
        step.save()
        step.waits_for.set([made[w] for w in waits])
        made[position] = step


def load(stdout=None) -> None:
    for name, org_slug, description, steps in TEMPLATES:
        _template(name, org_slug, description, steps)
