from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = "Consultation"

    def ready(self) -> None:
        from strategies.extensions import Tab, register_tab

        register_tab(
            Tab(
                key="consultation", label="Consultation", url_name="consultation:strategy", order=20
            )
        )
