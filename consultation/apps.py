from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = "Consultation"

    def ready(self) -> None:
        from governance.gate_holders import add_gate_holder

        from .workflow import consultation_at

        # A gate a consultation runs at stays on the route (governance/gate_holders.py says why
        # this one rule is added from here).
        add_gate_holder(consultation_at)
