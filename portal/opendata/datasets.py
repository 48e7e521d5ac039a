"""The open datasets, each built from the rules of the public page it mirrors, so that the data
never says more than the pages do: the published strategies (strategies.publication and the
published strategy's page), the decisions that adopted them (portal.panels.shown_publicly) and
the published "you said, we did" (the consultation's public response page). No draft, no
internal decision or field, no consultation response ever reaches them.

Each builder says when what it shows last changed (the newest change, in the audit history, to
anything its rows show) and reads its rows when asked, a batch at a time: a fixed number of
queries a batch (pinned in tests/portal/test_open_data.py), and memory that holds one batch."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from consultation.models import ConsultationWindow, Theme, YouSaidWeDid
from governance.dates import iso
from governance.models import Body, Decision
from portal.panels import shown_publicly
from strategies.models import Organisation, Revision, Strategy, StrategyPartner
from strategies.publication import PUBLISHED_LABEL, published_strategies

# Turns a path into the address people reach it at (request.build_absolute_uri).
Absolute = Callable[[str], str]


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str


@dataclass
class Dataset:
    slug: str  # its address: /open-data/<slug>.json and .csv
    title: str
    description: str
    columns: list[Column]
    # The rows, read afresh at each call a batch at a time (BATCH), in a fixed number of queries
    # a batch: memory holds one batch however many rows there are.
    read: Callable[[], Iterator[dict]]
    last_updated: datetime.datetime | None

    @property
    def count(self) -> int:
        """How many rows it has (read through once)."""
        return sum(1 for _row in self.read())


# Strategies (or consultations) read at a time.
BATCH = 200


def _batches(queryset: QuerySet) -> Iterator[list]:
    """The objects of `queryset` BATCH at a time (each batch's prefetches read with it)."""
    objects = queryset.iterator(chunk_size=BATCH)
    while batch := list(islice(objects, BATCH)):
        yield batch


STRATEGY_COLUMNS = [
    Column("title", "The strategy's title."),
    Column("lead_organisations", "The lead organisation, then any joint leads (separated by ;)."),
    Column("partners", "The other partner organisations (separated by ;)."),
    Column("start_year", "The first year of its period."),
    Column("end_year", "The last year of its period."),
    Column("stage", "Published, In delivery, Under review or Superseded."),
    Column("published_on", "The day the text shown on its public page was published."),
    Column("public_page", "The address of its public page."),
    Column("replaces", "The earlier strategy it replaces, if any."),
    Column("replaces_page", "The public page of the strategy it replaces, if it has one."),
    Column("replaced_by", "The published strategy that replaced it, once superseded."),
    Column("replaced_by_page", "The public page of the strategy that replaced it."),
    Column("priorities", "How many priorities (or goals, or outcomes) the published text has."),
    Column("objectives", "How many objectives the published text has."),
    Column("actions", "How many actions the published text has."),
]
DECISION_COLUMNS = [
    Column("strategy", "The published strategy the decision approved or adopted."),
    Column("strategy_page", "The address of the strategy's public page."),
    Column("body", "The board, cabinet or committee that decided."),
    Column("organisation", "The organisation the body belongs to."),
    Column(
        "decided_on",
        "When: a day (2017-09-13), or a month (2017-09) when the minutes give only the month.",
    ),
    Column("date_precision", "day or month: how exactly decided_on is known."),
    Column("outcome", "Approved, Approved with amendments, Endorsed or Noted."),
    Column("resolution", "The resolution, as minuted (its latest corrected wording)."),
    Column("minute_reference", "The minute's reference, if given."),
    Column("decision_notice_reference", "The decision notice's reference, if given."),
    Column(
        "recorded_after_the_fact_from",
        "For a decision entered later from the council's records: where it was taken from.",
    ),
]
YOU_SAID_COLUMNS = [
    Column("consultation", "The consultation's title."),
    Column("consultation_page", "The address of the consultation's public page."),
    Column("response_page", 'The address of its published "you said, we did".'),
    Column("response_published_on", "The day the response was published."),
    Column("strategy", "The strategy consulted on."),
    Column("strategy_page", "The strategy's public page, once it is published."),
    Column("theme", "The theme of what people said."),
    Column("you_said", "What people said."),
    Column("changed", "Whether the strategy changed (true or false; yes or no in the CSV)."),
    Column("we_did", "What changed in the strategy, when it changed."),
    Column("why_not", "Why nothing changed, when it did not."),
    Column("corrected_on", "The day the entry was corrected after publication, if it was."),
]


def _iso_day(moment: datetime.datetime | None) -> str:
    return timezone.localdate(moment).isoformat() if moment else ""


def newest(*sources: tuple[QuerySet, str]) -> datetime.datetime | None:
    """The newest of the named date-and-time column of each query set, in one query."""
    first, *others = [
        queryset.order_by()
        .filter(**{f"{column}__isnull": False})
        .annotate(at=F(column))
        .values_list("at", flat=True)
        for queryset, column in sources
    ]
    return first.union(*others, all=True).order_by("-at").first()


def _published_texts(strategies: QuerySet) -> dict[int, Revision]:
    """Each strategy's text as its public page shows it: its latest "As published" revision."""
    texts: dict[int, Revision] = {}
    for revision in (
        Revision.objects.filter(strategy__in=strategies.values("pk"), label=PUBLISHED_LABEL)
        .only("strategy_id", "number", "content", "created_at")
        .order_by("strategy_id", "-number")
    ):
        texts.setdefault(revision.strategy_id, revision)
    return texts


def strategies(absolute: Absolute) -> Dataset:
    """One row per published strategy with a published text (the others' pages show nothing),
    by title."""
    published = published_strategies()

    def page(strategy: Strategy | None) -> str:
        if strategy is None or not strategy.has_public_page:
            return ""
        return absolute(reverse("published-strategy", args=[strategy.slug]))

    def read() -> Iterator[dict]:
        listed = published.for_list().select_related("replaces").order_by("title", "pk")
        for batch in _batches(listed):
            ids = [strategy.pk for strategy in batch]
            texts = _published_texts(published.filter(pk__in=ids))
            # The newest published strategy replacing each, as the superseded strategy's page
            # names it.
            replacing: dict[int, Strategy] = {}
            for strategy in published.filter(replaces_id__in=ids).order_by("pk"):
                replacing[strategy.replaces_id] = strategy
            for strategy in batch:
                text = texts.get(strategy.pk)
                if text is None:
                    continue
                yield _strategy_row(strategy, text, replacing.get(strategy.pk), page)

    ids = published.values("pk")
    organisations = Q(id__in=published.values("lead_organisation_id")) | Q(
        id__in=StrategyPartner.objects.filter(strategy__in=ids).values("organisation_id")
    )
    last_updated = newest(
        (Strategy.history.filter(id__in=ids), "history_date"),
        (StrategyPartner.history.filter(strategy_id__in=ids), "history_date"),
        (Organisation.history.filter(organisations), "history_date"),
        (Revision.objects.filter(strategy__in=ids, label=PUBLISHED_LABEL), "created_at"),
    )
    return Dataset(
        "strategies",
        "Published strategies",
        "Every strategy with a public page: published, in delivery, under review or replaced, "
        "with what it replaces and the size of its published text.",
        STRATEGY_COLUMNS,
        read,
        last_updated,
    )


def _strategy_row(
    strategy: Strategy, text: Revision, replacing: Strategy | None, page: Callable
) -> dict:
    priorities = text.content.get("priorities", [])
    objectives = [o for p in priorities for o in p.get("objectives", [])]
    replaced_by = replacing if strategy.stage == Strategy.Stage.SUPERSEDED else None
    return {
        "title": strategy.title,
        "lead_organisations": "; ".join(o.name for o in strategy.lead_organisations),
        "partners": "; ".join(o.name for o in strategy.other_partners),
        "start_year": strategy.start_year,
        "end_year": strategy.end_year,
        "stage": strategy.get_stage_display(),
        "published_on": _iso_day(text.created_at),
        "public_page": page(strategy),
        "replaces": strategy.replaces.title if strategy.replaces else "",
        "replaces_page": page(strategy.replaces),
        "replaced_by": replaced_by.title if replaced_by else "",
        "replaced_by_page": page(replaced_by),
        "priorities": len(priorities),
        "objectives": len(objectives),
        "actions": sum(len(o.get("actions", [])) for o in objectives),
    }


def decisions(absolute: Absolute) -> Dataset:
    """The decisions that approved and adopted each published strategy, as its public page
    shows them (portal.panels.shown_publicly), strategy by strategy in title order."""
    published = published_strategies()

    def shown() -> Iterator[tuple[Strategy, Decision]]:
        for batch in _batches(published.order_by("title", "pk")):
            ids = [strategy.pk for strategy in batch]
            texts = _published_texts(published.filter(pk__in=ids))
            recorded: dict[int, list[Decision]] = defaultdict(list)
            for decision in (
                Decision.objects.filter(gate__strategy__in=ids)
                .select_related("gate__body__organisation")
                .order_by("recorded_at", "pk")
            ):
                recorded[decision.gate.strategy_id].append(decision)
            for strategy in batch:
                text = texts.get(strategy.pk)
                if text is None:
                    continue
                before = [d for d in recorded[strategy.pk] if d.recorded_at <= text.created_at]
                for decision in shown_publicly(before):
                    yield strategy, decision

    def read() -> Iterator[dict]:
        for strategy, decision in shown():
            yield {
                "strategy": strategy.title,
                "strategy_page": absolute(reverse("published-strategy", args=[strategy.slug])),
                "body": decision.gate.body.name,
                "organisation": decision.gate.body.organisation.display_name,
                "decided_on": iso(decision.decided_on, decision.decided_precision),
                "date_precision": decision.decided_precision,
                "outcome": decision.get_outcome_display(),
                "resolution": decision.resolution,
                "minute_reference": decision.minute_cited,
                "decision_notice_reference": decision.decision_notice_reference,
                "recorded_after_the_fact_from": (
                    decision.recorded_from if decision.recorded_later else ""
                ),
            }

    # What the rows show last changed: read through the decisions shown once, keeping only the
    # bodies and organisations they name and the newest recorded.
    bodies, organisations, newest_recorded = set(), set(), None
    for _strategy, decision in shown():
        bodies.add(decision.gate.body_id)
        organisations.add(decision.gate.body.organisation_id)
        newest_recorded = max(filter(None, [newest_recorded, decision.recorded_at]))
    changed = newest(
        (Strategy.history.filter(id__in=published.values("pk")), "history_date"),
        (Body.history.filter(id__in=bodies), "history_date"),
        (Organisation.history.filter(id__in=organisations), "history_date"),
    )
    # A decision is never changed: the newest recorded of those shown (a correction is one).
    last_updated = max(filter(None, [changed, newest_recorded]), default=None)
    return Dataset(
        "decisions",
        "Decisions that adopted them",
        "The decisions that approved and adopted each published strategy, as its public page "
        "shows them: taken by bodies that meet in public, before it was published, each in its "
        "latest corrected wording.",
        DECISION_COLUMNS,
        read,
        last_updated,
    )


def you_said_we_did(absolute: Absolute) -> Dataset:
    """Every published "you said, we did" entry, consultation by consultation, as the
    consultation's public response page shows them; never the responses themselves."""
    windows = ConsultationWindow.objects.filter(state=ConsultationWindow.State.RESPONSE_PUBLISHED)

    def read() -> Iterator[dict]:
        listed = (
            windows.select_related("strategy")
            .prefetch_related(
                Prefetch("you_said_we_did", queryset=YouSaidWeDid.objects.select_related("theme"))
            )
            .order_by("closes_on", "pk")
        )
        for batch in _batches(listed):
            for window in batch:
                strategy = window.strategy
                for entry in window.you_said_we_did.all():
                    yield {
                        "consultation": window.title,
                        "consultation_page": absolute(window.get_public_url()),
                        "response_page": absolute(
                            reverse("consultation:public-response", args=[window.slug])
                        ),
                        "response_published_on": (
                            window.response_published_on.isoformat()
                            if window.response_published_on
                            else ""
                        ),
                        "strategy": strategy.title,
                        "strategy_page": (
                            absolute(reverse("published-strategy", args=[strategy.slug]))
                            if strategy.has_public_page
                            else ""
                        ),
                        "theme": entry.theme.name,
                        "you_said": entry.you_said,
                        "changed": entry.changed,
                        "we_did": entry.we_did if entry.changed else "",
                        "why_not": "" if entry.changed else entry.why_not,
                        "corrected_on": _iso_day(entry.corrected_at),
                    }

    ids = windows.values("pk")
    last_updated = newest(
        (YouSaidWeDid.history.filter(window_id__in=ids), "history_date"),
        (ConsultationWindow.history.filter(id__in=ids), "history_date"),
        (Theme.history.filter(window_id__in=ids), "history_date"),
        (Strategy.history.filter(id__in=windows.values("strategy_id")), "history_date"),
    )
    return Dataset(
        "you-said-we-did",
        "You said, we did",
        "What people said in each consultation whose response is published, and what changed "
        "in the strategy because of it, or why nothing did. Individual responses are never "
        "published.",
        YOU_SAID_COLUMNS,
        read,
        last_updated,
    )


# By address, in the order the open data page lists them.
DATASETS: dict[str, Callable[[Absolute], Dataset]] = {
    "strategies": strategies,
    "decisions": decisions,
    "you-said-we-did": you_said_we_did,
}
