"""A strategy's moves after publication as actions of the strategy admin, through the same
workflow functions and forms as its pages (governance/workflow/lifecycle.py): into delivery,
the review date, under review and back. (A refresh, which makes a new strategy, is started on
its route page.)"""

from __future__ import annotations

from django.contrib import admin

from . import lifecycle_forms as forms
from . import workflow
from .admin import run_action_with_form


class LifecycleActionsMixin:
    actions = ["start_delivery", "set_review_date", "start_review", "end_review"]

    def _lifecycle(self, request, queryset, form, title, intro, submit, apply):
        return run_action_with_form(
            self,
            request,
            queryset,
            form,
            title=title,
            intro=intro,
            submit_label=submit,
            apply=apply,
        )

    @admin.action(description="Move the selected published strategies into delivery")
    def start_delivery(self, request, queryset):
        def apply(strategy, data):
            workflow.start_delivery(strategy, request.user, data["review_due_on"], data["reason"])
            return "in delivery"

        return self._lifecycle(
            request,
            queryset,
            forms.StartDeliveryForm,
            "Move into delivery",
            "Each published strategy moves into delivery, due for review on the day given.",
            "Move into delivery",
            apply,
        )

    @admin.action(description="Set the review date of the selected strategies")
    def set_review_date(self, request, queryset):
        def apply(strategy, data):
            workflow.set_review_date(strategy, request.user, data["review_due_on"], data["reason"])
            return "review date saved"

        return self._lifecycle(
            request,
            queryset,
            forms.ReviewDateForm,
            "Set the review date",
            "The day each strategy is due for review, and why it is set or moved.",
            "Save the review date",
            apply,
        )

    @admin.action(description="Start the review of the selected strategies")
    def start_review(self, request, queryset):
        def apply(strategy, data):
            workflow.start_review(strategy, request.user, data["reason"])
            return "under review"

        return self._lifecycle(
            request,
            queryset,
            forms.StartReviewForm,
            "Start the review",
            "Each strategy goes under review: its text opens for change.",
            "Start the review",
            apply,
        )

    @admin.action(description="End the review of the selected strategies, keeping them")
    def end_review(self, request, queryset):
        def apply(strategy, data):
            workflow.end_review(strategy, request.user, data["review_due_on"], data["reason"])
            return "back in delivery"

        return self._lifecycle(
            request,
            queryset,
            forms.EndReviewForm,
            "End the review, keeping the strategy",
            "Each strategy whose text is as published goes back into delivery.",
            "End the review",
            apply,
        )
