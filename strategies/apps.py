from django.apps import AppConfig


class StrategiesConfig(AppConfig):
    name = "strategies"
    verbose_name = "Strategies"

    def ready(self) -> None:
        from .dashboard import stages_section
        from .extensions import DashboardSection, register_dashboard_section

        register_dashboard_section(
            DashboardSection(
                key="stages",
                template="strategies/_dashboard_stages.html",
                context=stages_section,
                order=0,
            )
        )
