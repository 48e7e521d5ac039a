"""The admin of a strategy shows it whole: its details and content (strategies) with the moves of
its route (governance), and its stage named as every page names it ("Adopted, subject to
call-in" while it is; governance.deadlines.note_call_in)."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList

from governance.admin import RouteActionsMixin
from governance.admin_lifecycle import LifecycleActionsMixin
from governance.deadlines import note_call_in
from strategies import admin as strategies_admin
from strategies.models import Strategy


class StagesNamedChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        note_call_in(self.result_list)  # the page's adopted strategies, in one query


@admin.register(Strategy)
class StrategyAdmin(RouteActionsMixin, LifecycleActionsMixin, strategies_admin.StrategyAdmin):
    actions = RouteActionsMixin.actions + LifecycleActionsMixin.actions

    def get_list_display(self, request):
        names = super().get_list_display(request)
        return ["stage_named" if name == "stage" else name for name in names]

    def get_changelist(self, request, **kwargs):
        return StagesNamedChangeList

    @admin.display(description="stage", ordering="stage")
    def stage_named(self, strategy: Strategy) -> str:
        return strategy.stage_label
