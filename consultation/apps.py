from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    # Windows, events, responses and "you said, we did" arrive with the consultation issue.
    name = "consultation"
    verbose_name = "Consultation"
