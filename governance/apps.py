from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    # Bodies, meetings, routes, gates, decisions and the workflow arrive with the governance issue.
    name = "governance"
    verbose_name = "Governance"
