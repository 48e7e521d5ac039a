from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit ledger: every entry of the record, chained and keyed so that any change made
    outside Waymark shows (docs/decisions/0016). It imports nothing of ours: it finds the rows it
    keeps by what the models say of themselves (`append_only`, or being a history table)."""

    name = "audit"
    verbose_name = "Audit ledger"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import ledger

        ledger.listen()
        post_migrate.connect(ledger.open_ledger, sender=self, dispatch_uid="audit-open-ledger")
