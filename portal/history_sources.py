"""The history tables of governance and consultation whose rows belong to a strategy, for its
merged history (history.py, which lists strategies' own tables itself).

`rows(strategy)` must depend on `strategy.pk` alone and run no query itself: the merged history
compiles every source's query set once, for a stand-in strategy, and reuses the SQL with each
strategy's id (history.py checks that each source's SQL names the stand-in's id). `describe`
names the item a row is about, with the formatter's `name(model, pk)` for what it points at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from consultation.models import (
    ConsultationWindow,
    Event,
    Response,
    ResponseTheme,
    Theme,
    WindowPartner,
    YouSaidWeDid,
)
from delivery.models import (
    IndicatorValue,
    IndicatorValueImport,
    Milestone,
    ProgressReport,
    ProgressUpdate,
)
from documents.models import Document, DocumentVersion
from governance.dates import long_date
from governance.models import (
    Body,
    CallIn,
    CommitteeReport,
    Decision,
    ExecutiveResponse,
    Gate,
    GateDependency,
)
from strategies.models import Action, Objective, Organisation, OutcomeIndicator, Priority


@dataclass(frozen=True)
class HistorySource:
    kind: str
    label: str
    rows: Callable  # (strategy) -> QuerySet of historical rows belonging to it
    describe: Callable  # (historical row, name lookup) -> what the row is about


def _gate_ids(strategy):
    """The strategy's gates (a subquery of ids), for the history of what hangs from them."""
    return Gate.objects.filter(strategy_id=strategy.pk).values("id")


def _indicator_ids(strategy):
    """The strategy's outcome indicators, deleted ones included (a subquery of ids)."""
    return OutcomeIndicator.history.filter(strategy_id=strategy.pk).values("id")


def _window_ids(strategy):
    """The strategy's consultation windows, deleted ones included (a subquery of ids)."""
    return ConsultationWindow.history.filter(strategy_id=strategy.pk).values("id")


SOURCES = [
    HistorySource(
        "gate",
        "Gate",
        lambda s: Gate.history.filter(strategy_id=s.pk),
        lambda r, fmt: f"{fmt.name(Body, r.body_id)}: {r.get_purpose_display().lower()}",
    ),
    HistorySource(
        "gate_dependency",
        "Dependency",
        lambda s: GateDependency.history.filter(from_gate_id__in=_gate_ids(s)),
        lambda r, fmt: f"{fmt.name(Gate, r.from_gate_id)} waits for {fmt.name(Gate, r.to_gate_id)}",
    ),
    HistorySource(
        "committee_report",
        "Committee report",
        lambda s: CommitteeReport.history.filter(gate_id__in=_gate_ids(s)),
        lambda r, fmt: f"Report to the {fmt.name(Gate, r.gate_id)}",
    ),
    HistorySource(
        "executive_response",
        "Executive response",
        lambda s: ExecutiveResponse.history.filter(decision__gate__strategy_id=s.pk),
        lambda r, fmt: (
            f"{fmt.name(Body, r.body_id)}'s response to {fmt.name(Decision, r.decision_id)}"
        ),
    ),
    HistorySource(
        "call_in",
        "Call-in",
        lambda s: CallIn.history.filter(decision__gate__strategy_id=s.pk),
        lambda r, fmt: f"Call-in of {fmt.name(Decision, r.decision_id)}",
    ),
    # A strategy's consultations: the staff's changes, each response as it came in (who added
    # it and how, never what it says: consultation/models/responses.py) and officers' tags.
    HistorySource(
        "consultation",
        "Consultation",
        lambda s: ConsultationWindow.history.filter(strategy_id=s.pk),
        lambda r, fmt: r.title,
    ),
    HistorySource(
        "consultation_event",
        "Consultation event",
        lambda s: Event.history.filter(window_id__in=_window_ids(s)),
        lambda r, fmt: r.title,
    ),
    HistorySource(
        "consultation_partner",
        "Consultation partner",
        lambda s: WindowPartner.history.filter(window_id__in=_window_ids(s)),
        lambda r, fmt: fmt.name(Organisation, r.organisation_id),
    ),
    HistorySource(
        "theme",
        "Theme",
        lambda s: Theme.history.filter(window_id__in=_window_ids(s)),
        lambda r, fmt: r.name,
    ),
    HistorySource(
        "response",
        "Response",
        lambda s: Response.history.filter(window_id__in=_window_ids(s)),
        lambda r, fmt: f"{fmt.name(Response, r.id)} ({r.get_channel_display().lower()})",
    ),
    HistorySource(
        "response_tag",
        "Response theme",
        lambda s: ResponseTheme.history.filter(
            response_id__in=Response.objects.filter(window__strategy=s).values("id")
        ),
        lambda r, fmt: f"{fmt.name(Theme, r.theme_id)} on {fmt.name(Response, r.response_id)}",
    ),
    HistorySource(
        "you_said_we_did",
        "“You said, we did”",
        lambda s: YouSaidWeDid.history.filter(window_id__in=_window_ids(s)),
        lambda r, fmt: fmt.name(Theme, r.theme_id),
    ),
    # An indicator's values over time and the files they were imported from (delivery/), the
    # imports first: a value's history refers to its import.
    HistorySource(
        "indicator_import",
        "Indicator import",
        lambda s: IndicatorValueImport.history.filter(indicator_id__in=_indicator_ids(s)),
        lambda r, fmt: f"{r.file_name} into {fmt.name(OutcomeIndicator, r.indicator_id)}",
    ),
    HistorySource(
        "indicator_value",
        "Indicator value",
        lambda s: IndicatorValue.history.filter(indicator_id__in=_indicator_ids(s)),
        lambda r, fmt: f"{fmt.name(OutcomeIndicator, r.indicator_id)}, {r.period}",
    ),
]


def _action_ids(strategy):
    """The strategy's actions, deleted ones included (a subquery of ids)."""
    priorities = Priority.history.filter(strategy_id=strategy.pk).values("id")
    objectives = Objective.history.filter(priority_id__in=priorities).values("id")
    return Action.history.filter(objective_id__in=objectives).values("id")


# A strategy's delivery plan: its actions' dated milestones and progress updates.
SOURCES += [
    HistorySource(
        "milestone",
        "Milestone",
        lambda s: Milestone.history.filter(action_id__in=_action_ids(s)),
        lambda r, fmt: f"{r.title} ({fmt.name(Action, r.action_id)})",
    ),
    HistorySource(
        "progress_update",
        "Progress update",
        lambda s: ProgressUpdate.history.filter(action_id__in=_action_ids(s)),
        lambda r, fmt: f"{fmt.name(Action, r.action_id)}, as of {long_date(r.as_of)}",
    ),
    HistorySource(
        "progress_report",
        "Progress report",
        lambda s: ProgressReport.history.filter(strategy_id=s.pk),
        lambda r, fmt: r.title,
    ),
]


def _document_ids(strategy):
    """The strategy's documents, of it and of its gates, decisions and consultations."""
    return Document.history.filter(strategy_id=strategy.pk).values("id")


# A strategy's documents and each version uploaded (its SHA-256 in the row).
SOURCES += [
    HistorySource(
        "document",
        "Document",
        lambda s: Document.history.filter(strategy_id=s.pk),
        lambda r, fmt: r.title,
    ),
    HistorySource(
        "document_version",
        "Document version",
        lambda s: DocumentVersion.history.filter(document_id__in=_document_ids(s)),
        lambda r, fmt: f"{fmt.name(Document, r.document_id)}, version {r.number}",
    ),
]
BY_KIND = {source.kind: source for source in SOURCES}
# Items whose rows name them by what the live item is called (a response by its reference,
# which its history does not keep): the formatter looks those names up with the rest.
NAMED_BY_THEMSELVES = {Response}
