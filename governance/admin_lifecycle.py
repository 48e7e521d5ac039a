"""A strategy's moves after publication as actions of the strategy admin, through the same
workflow functions and forms as its pages (governance/workflow/lifecycle.py): into delivery,
the review date, under review and back. (A refresh, which makes a new strategy, is started on
its route page.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin

from . import lifecycle_forms as forms
from . import workflow
from .admin import run_action_with_form


@dataclass(frozen=True)
class AdminMove:
    description: str  # in the actions menu
    form: type
    title: str
    intro: str
    submit: str
    move: Any  # (strategy, user, cleaned data) -> None
    done: str  # said of each strategy moved


MOVES = {
    "start_delivery": AdminMove(
        "Move the selected published strategies into delivery",
        forms.StartDeliveryForm,
        "Move into delivery",
        "Each published strategy moves into delivery, due for review on the day given.",
        "Move into delivery",
        lambda s, u, d: workflow.start_delivery(s, u, d["review_due_on"], d["reason"]),
        "in delivery",
    ),
    "set_review_date": AdminMove(
        "Set the review date of the selected strategies",
        forms.ReviewDateForm,
        "Set the review date",
        "The day each strategy is due for review, and why it is set or moved.",
        "Save the review date",
        lambda s, u, d: workflow.set_review_date(s, u, d["review_due_on"], d["reason"]),
        "review date saved",
    ),
    "start_review": AdminMove(
        "Start the review of the selected strategies",
        forms.StartReviewForm,
        "Start the review",
        "Each strategy goes under review: its text opens for change.",
        "Start the review",
        lambda s, u, d: workflow.start_review(s, u, d["reason"]),
        "under review",
    ),
    "end_review": AdminMove(
        "End the review of the selected strategies, keeping them",
        forms.EndReviewForm,
        "End the review, keeping the strategy",
        "Each strategy whose text is as published goes back into delivery.",
        "End the review",
        lambda s, u, d: workflow.end_review(s, u, d["review_due_on"], d["reason"]),
        "back in delivery",
    ),
}


def _action(name: str, move: AdminMove):
    def action(modeladmin, request, queryset):
        def apply(strategy, data):
            move.move(strategy, request.user, data)
            return move.done

        return run_action_with_form(
            modeladmin,
            request,
            queryset,
            move.form,
            title=move.title,
            intro=move.intro,
            submit_label=move.submit,
            apply=apply,
        )

    action.__name__ = name
    return admin.action(description=move.description)(action)


class LifecycleActionsMixin:
    actions = list(MOVES)


for _name, _move in MOVES.items():
    setattr(LifecycleActionsMixin, _name, _action(_name, _move))
