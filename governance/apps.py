from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete, pre_save

        from strategies.approvals import add_approval_lookup
        from strategies.models import Priority
        from strategies.readers import add_reader_rule

        from .access import strategies_considered_by
        from .workflow import approved_parts

        # Secretaries read the strategies their bodies consider (strategies/readers.py says why
        # this one rule is added from here).
        add_reader_rule(strategies_considered_by)
        # The page that edits a priority warns when its words were approved, and the change is
        # marked in its history whichever door it comes through (strategies/approvals.py).
        add_approval_lookup(approved_parts.standing_approvals)
        pre_save.connect(approved_parts.mark_change, sender=Priority, dispatch_uid="approved-words")
        pre_delete.connect(
            approved_parts.mark_removal, sender=Priority, dispatch_uid="approved-removed"
        )
