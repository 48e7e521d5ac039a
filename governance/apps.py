from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from strategies.extensions import Tab, register_tab, register_visibility_rule

        from .access import strategies_considered_by

        register_tab(Tab(key="route", label="Route", url_name="governance:route", order=10))
        register_visibility_rule(strategies_considered_by)
