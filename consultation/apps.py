from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = "Consultation"

    def ready(self) -> None:
        from governance.gate_holders import add_gate_holder
        from governance.gate_runs import add_run_lookup

        from .gate_runs import windows_at
        from .workflow import consultation_at

        # A gate a consultation runs at stays on the route, and the route page and the CSV of
        # gates say when it runs and what came of it (governance/gate_holders.py and
        # gate_runs.py say why these are added from here).
        add_gate_holder(consultation_at)
        add_run_lookup(windows_at)
