"""Demo data for the strategies app: the organisations, people and content of the two seed
reports (shared/seeds). Where a report does not give a text, the demo says so rather than
inventing official-sounding words.

`manage.py load_demo` calls `load` here, then the same function of each later app's demo module.
Every step looks its rows up by a natural key first, so loading twice creates nothing new.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from strategies import editing
from strategies.models import EvidenceSource, Objective, Organisation, Priority, Strategy, User
from strategies.revisions import take_revision

REASON = "Demo data from the seed report"
NOT_GIVEN = "Not given in the source report"

ORGANISATIONS = [
    # slug, name, short name, kind
    ("milton-keynes-council", "Milton Keynes Council", "MK Council", Organisation.Kind.COUNCIL),
    (
        "milton-keynes-ccg",
        "Milton Keynes Clinical Commissioning Group",
        "MK CCG",
        Organisation.Kind.CCG,
    ),
    (
        "dudley-council",
        "Dudley Metropolitan Borough Council",
        "Dudley Council",
        Organisation.Kind.COUNCIL,
    ),
    ("dudley-ccg", "Dudley Clinical Commissioning Group", "Dudley CCG", Organisation.Kind.CCG),
    ("dudley-cvs", "Dudley Community Voluntary Service", "DCVS", Organisation.Kind.VOLUNTARY),
]

USERS = [
    # username, first, last, organisation slug, role, job title
    ("officer", "Olivia", "Officer", "dudley-council", User.Role.OFFICER, "Public health officer"),
    ("secretary", "Sam", "Secretary", "dudley-council", User.Role.SECRETARY, "Board secretary"),
    ("manager", "Morgan", "Manager", "dudley-council", User.Role.MANAGER, "Head of policy"),
    ("admin", "Alex", "Admin", None, User.Role.ADMINISTRATOR, "Waymark administrator"),
    (
        "mk-officer",
        "Mo",
        "Keynes",
        "milton-keynes-council",
        User.Role.OFFICER,
        "Commissioning officer",
    ),
]


def _organisations() -> dict[str, Organisation]:
    orgs = {}
    for slug, name, short_name, kind in ORGANISATIONS:
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            org = Organisation(slug=slug, name=name, short_name=short_name, kind=kind)
            editing.with_reason(org, REASON).save()
        orgs[slug] = org
    return orgs


def _users(orgs: dict[str, Organisation]) -> list[User]:
    users = []
    for username, first, last, org_slug, role, job_title in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@waymark.example",
                organisation=orgs.get(org_slug),
                role=role,
                job_title=job_title,
                is_staff=role == User.Role.ADMINISTRATOR,
                is_superuser=role == User.Role.ADMINISTRATOR,
            )
            user.set_password(settings.DEMO_PASSWORD)
            editing.with_reason(user, REASON).save()
        elif not user.check_password(settings.DEMO_PASSWORD):
            # The printed password must work; resetting it is not a change to the product's records.
            user.set_password(settings.DEMO_PASSWORD)
            user.skip_history_when_saving = True
            user.save(update_fields=["password"])
        users.append(user)
    return users


def _strategy(
    slug: str, lead: Organisation, partners: list[Organisation], **fields
) -> tuple[Strategy, bool]:
    strategy = Strategy.objects.filter(slug=slug).first()
    if strategy is not None:
        return strategy, False
    stage = fields.pop("stage")
    strategy = editing.create_strategy(Strategy(slug=slug, **fields), lead, partners, REASON)
    if stage != strategy.stage:
        # The earlier Dudley strategy's route is not in the reports; the demo states that it was
        # adopted, and the lifecycle's moves take it on from there (portal/demo/delivery.py).
        # Every other stage comes from the governance route (portal/demo/governance.py).
        strategy.stage = stage
        editing.with_reason(strategy, f"{REASON}: the stage the report describes").save(
            update_fields=["stage"]
        )
    return strategy, True


def _priority(strategy: Strategy, title: str, description: str = "") -> Priority:
    return editing.add_item(
        Priority(strategy=strategy, title=title, description=description), REASON
    )


def _objective(priority: Priority, title: str, description: str = "", level: str = "") -> Objective:
    return editing.add_item(
        Objective(priority=priority, title=title, description=description, commitment_level=level),
        REASON,
    )


def _evidence(strategy: Strategy, kind: str, title: str, year: str = "") -> None:
    editing.add_item(EvidenceSource(strategy=strategy, kind=kind, title=title, year=year), REASON)


def _milton_keynes(orgs: dict[str, Organisation]) -> None:
    strategy, created = _strategy(
        "milton-keynes-jhws-2012-2015",
        orgs["milton-keynes-council"],
        [orgs["milton-keynes-ccg"]],
        title="Milton Keynes Joint Health and Wellbeing Strategy",
        start_year=2012,
        end_year=2015,
        stage=Strategy.Stage.DRAFT,
        top_level_term=Strategy.TopLevelTerm.PRIORITY,
        vision=f"{NOT_GIVEN}: the report to the Shadow Health and Wellbeing Board does not quote "
        "the strategy's vision.",
        summary=(
            "A three year Joint Health and Wellbeing Strategy (JHWS), developed for the Shadow "
            "Health and Wellbeing Board by a Strategy Development Group from local assessments of"
            " need. Its nine objectives range from supporting people to engage in healthier "
            "lifestyles, reducing unnecessary hospital admissions through to taking steps to "
            "reduce poverty. An implementation plan (clear time scales, milestones, and the teams"
            " and organisations responsible) is to be developed following adoption, and "
            "measurable outcomes are being developed from the national outcomes frameworks for "
            "public health, the NHS and adult social care."
        ),
        author_name="Mick Hancock",
        author_title="Assistant Director Joint Commissioning",
    )
    if not created:
        return
    placement = (
        "The report gives the number of objectives (nine) and their range, but not their wording "
        "or how they sit under the priorities; the demo places three under each priority."
    )
    number = 0
    for title in (
        "Improve Wellbeing",
        "Reduce early deaths and tackle major diseases",
        "Reduce health inequalities",
    ):
        priority = _priority(strategy, title)
        for _ in range(3):
            number += 1
            _objective(
                priority, f"Wording {NOT_GIVEN.lower()} (objective {number} of 9)", placement
            )
    _evidence(strategy, EvidenceSource.Kind.JSNA, "Joint Strategic Needs Assessment", "2011/12")
    _evidence(strategy, EvidenceSource.Kind.SOCIAL_ATLAS, "MK Social Atlas", "2011")
    _evidence(strategy, EvidenceSource.Kind.PUBLIC_HEALTH_REPORT, "Public Health Report", "2010")
    take_revision(strategy, "First draft, as the seed report describes it (demo)")


def _dudley(orgs: dict[str, Organisation]) -> None:
    council = orgs["dudley-council"]
    previous, _ = _strategy(
        "dudley-hws-2012-2016",
        council,
        [],
        title="Dudley Health and Wellbeing Strategy",
        start_year=2012,
        end_year=2016,
        stage=Strategy.Stage.ADOPTED,
        summary="The strategy that the 2017–2022 strategy refreshes and replaces. The source "
        "report gives only its period: its delivery plan and figures in the demo are made up "
        "(portal/demo/delivery.py).",
    )
    strategy, created = _strategy(
        "dudley-hws-2017-2022",
        council,
        [orgs["dudley-ccg"], orgs["dudley-cvs"]],
        title="Dudley's Health and Wellbeing Strategy",
        start_year=2017,
        end_year=2022,
        stage=Strategy.Stage.DRAFT,
        top_level_term=Strategy.TopLevelTerm.GOAL,
        replaces=previous,
        vision=f"{NOT_GIVEN}: the Board agreed a new vision at its development session in March "
        "2017, but the report to Cabinet does not quote it.",
        summary=(
            "The refresh of the 2012–2016 strategy for the following five years, begun in "
            "September 2016. It commits to working differently, based on alliances between "
            "agencies and communities with people at the centre, and to a common language that "
            "everyone understands and uses. Its objectives describe what organisations will do, "
            "what can be done together with communities, and what individuals and communities can "
            "do for themselves and each other."
        ),
        author_name="Tony Oakman",
        author_title="Strategic Director People",
        contact_name="Karen Jackson",
        contact_phone="01384 816698",
        contact_email="Karen.jackson@dudley.gov.uk",
    )
    if not created:
        return
    levels = [
        (Objective.CommitmentLevel.ORGANISATIONS, "What we as organisations will do"),
        (Objective.CommitmentLevel.TOGETHER, "What we can do together with communities"),
        (
            Objective.CommitmentLevel.COMMUNITIES,
            "What individuals and communities can do for themselves and each other",
        ),
    ]
    for number in (1, 2, 3):
        goal = _priority(
            strategy,
            f"Name {NOT_GIVEN.lower()} (goal {number} of 3)",
            "One of the three goals the Board agreed at its development session in March 2017.",
        )
        for level, words in levels:
            _objective(goal, f"{words} (wording {NOT_GIVEN.lower()})", level=level)
    _evidence(strategy, EvidenceSource.Kind.JSNA, "Joint Strategic Needs Assessment")
    _evidence(strategy, EvidenceSource.Kind.ENGAGEMENT, "Feedback from the people's network")
    _evidence(strategy, EvidenceSource.Kind.ENGAGEMENT, "Feedback from the age alliance")
    take_revision(strategy, "First draft, as the seed report describes it (demo)")


@transaction.atomic
def load(stdout=None) -> list[User]:
    orgs = _organisations()
    users = _users(orgs)
    _milton_keynes(orgs)
    _dudley(orgs)
    return users
