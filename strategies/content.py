"""The kinds of item inside a strategy that officers add, edit, move and remove in the browser.

Views and URLs are written once for all of them; this table says how each kind is found within
its strategy, which form edits it and what it is called.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, QuerySet

from . import forms
from .models import Action, EvidenceSource, Objective, OutcomeIndicator, Priority, Strategy
from .models.strategy import with_article


@dataclass(frozen=True)
class ContentKind:
    key: str  # URL segment
    model: type[Model]
    form_class: type[forms.ContentForm]
    label: str
    strategy_path: str  # lookup from the item to its strategy
    parent_key: str | None = None  # the kind this one is added under, if any
    anchor_prefix: str = ""

    def label_for(self, strategy: Strategy) -> str:
        return strategy.top_level_label if self.key == "priorities" else self.label

    def with_article(self, strategy: Strategy) -> str:
        """ "a priority", "an objective": for headings and buttons."""
        return with_article(self.label_for(strategy))

    def items_of(self, strategy: Strategy) -> QuerySet:
        return self.model._default_manager.filter(**{self.strategy_path: strategy})

    def was_in(self, strategy: Strategy, pk: int) -> bool:
        """Whether the item `pk` was ever in `strategy` (it may have been removed since), from
        the history, which the person may read anyway: so that an id from elsewhere, or from
        nowhere, gets the same answer and never tells whether it exists."""
        return self.model.history.filter(id=pk, id__in=self.ever_in(strategy)).exists()

    def ever_in(self, strategy: Strategy):
        """The ids of every item of this kind ever in `strategy` (a subquery, from history)."""
        if self.parent_key is None:
            return self.model.history.filter(strategy_id=strategy.pk).values("id")
        parents = KINDS[self.parent_key].ever_in(strategy)
        return self.model.history.filter(
            **{f"{self.model.position_parent}_id__in": parents}
        ).values("id")

    def new_item(self, strategy: Strategy, parent: Model | None) -> Model:
        if self.parent_key is None:
            return self.model(strategy=strategy)
        return self.model(**{self.model.position_parent: parent})

    def form_kwargs(self, strategy: Strategy) -> dict:
        return {"strategy": strategy} if self.model is OutcomeIndicator else {}


KINDS: dict[str, ContentKind] = {
    kind.key: kind
    for kind in [
        ContentKind("priorities", Priority, forms.PriorityForm, "Priority", "strategy"),
        ContentKind(
            "objectives",
            Objective,
            forms.ObjectiveForm,
            "Objective",
            "priority__strategy",
            parent_key="priorities",
        ),
        ContentKind(
            "actions",
            Action,
            forms.ActionForm,
            "Action",
            "objective__priority__strategy",
            parent_key="objectives",
        ),
        ContentKind(
            "indicators", OutcomeIndicator, forms.OutcomeIndicatorForm, "Indicator", "strategy"
        ),
        ContentKind(
            "evidence", EvidenceSource, forms.EvidenceSourceForm, "Evidence source", "strategy"
        ),
    ]
}
