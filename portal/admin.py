"""The admin of a strategy shows it whole: its details and content (strategies) with the moves of
its route (governance)."""

from django.contrib import admin

from governance.admin import RouteActionsMixin
from strategies import admin as strategies_admin
from strategies.models import Strategy


@admin.register(Strategy)
class StrategyAdmin(RouteActionsMixin, strategies_admin.StrategyAdmin):
    pass
