from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Backup and restore as commands. It imports nothing of ours: it finds our models through
    the app registry (the apps whose package is in the project's folder) and leaves checking the
    audit record to `manage.py verify_audit`, named, never imported."""

    name = "backups"
    verbose_name = "Backups"
