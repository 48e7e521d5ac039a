from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from strategies.extensions import (
            HistorySource,
            Tab,
            register_history_source,
            register_tab,
            register_visibility_rule,
        )

        from .access import strategies_considered_by
        from .models import Body, Gate

        register_tab(Tab(key="route", label="Route", url_name="governance:route", order=10))
        register_visibility_rule(strategies_considered_by)
        register_history_source(
            HistorySource(
                kind="gate",
                label="Gate",
                rows=lambda strategy: Gate.history.filter(strategy_id=strategy.pk),
                describe=lambda r, fmt: (
                    f"{fmt.name(Body, r.body_id)}: {r.get_purpose_display().lower()}"
                ),
            )
        )
