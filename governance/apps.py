from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from strategies.readers import add_reader_rule

        from .access import strategies_considered_by

        # Secretaries read the strategies their bodies consider (strategies/readers.py says why
        # this one rule is added from here).
        add_reader_rule(strategies_considered_by)
