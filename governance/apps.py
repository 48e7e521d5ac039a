from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from strategies.extensions import (
            CalendarFilter,
            DashboardSection,
            HistorySource,
            Panel,
            Tab,
            register_calendar_filter,
            register_calendar_source,
            register_dashboard_section,
            register_history_source,
            register_panel,
            register_tab,
            register_visibility_rule,
        )

        from . import calendar
        from .access import strategies_considered_by
        from .dashboard import gates_section, outlook_section
        from .models import Body, CommitteeReport, Gate, GateDependency
        from .panels import adoption_panel
        from .timeline import timeline_panel

        register_tab(Tab(key="route", label="Route", url_name="governance:route", order=10))
        register_tab(
            Tab(key="report", label="Report", url_name="governance:strategy-report", order=15)
        )
        register_visibility_rule(strategies_considered_by)
        register_dashboard_section(
            DashboardSection("gates", "governance/_dashboard_gates.html", gates_section, 10)
        )
        register_dashboard_section(
            DashboardSection("outlook", "governance/_dashboard_outlook.html", outlook_section, 30)
        )
        register_panel(
            Panel(
                key="adoption",
                template="governance/_adoption_panel.html",
                context=adoption_panel,
                order=10,
            )
        )
        register_panel(
            Panel(
                key="timeline",
                template="governance/_timeline_panel.html",
                context=timeline_panel,
                order=20,
            )
        )

        def gate_ids(strategy):
            """The strategy's gates (a subquery of ids), for the history of what hangs from them."""
            return Gate.objects.filter(strategy_id=strategy.pk).values("id")

        register_history_source(
            HistorySource(
                kind="gate",
                label="Gate",
                rows=lambda strategy: Gate.history.filter(strategy_id=strategy.pk),
                describe=lambda r, fmt: (
                    f"{fmt.name(Body, r.body_id)}: {r.get_purpose_display().lower()}"
                ),
            )
        )
        register_history_source(
            HistorySource(
                kind="gate_dependency",
                label="Dependency",
                rows=lambda strategy: GateDependency.history.filter(
                    from_gate_id__in=gate_ids(strategy)
                ),
                describe=lambda r, fmt: (
                    f"{fmt.name(Gate, r.from_gate_id)} waits for {fmt.name(Gate, r.to_gate_id)}"
                ),
            )
        )
        register_history_source(
            HistorySource(
                kind="committee_report",
                label="Committee report",
                rows=lambda strategy: CommitteeReport.history.filter(
                    gate_id__in=gate_ids(strategy)
                ),
                describe=lambda r, fmt: f"Report to the {fmt.name(Gate, r.gate_id)}",
            )
        )
        register_calendar_source(calendar.calendar_entries)
        register_calendar_filter(
            CalendarFilter(
                key="body",
                label="Body",
                empty_label="Every body",
                choices=calendar.body_choices,
                order=10,
            )
        )

        from strategies.extensions import (
            ExchangePart,
            register_exchange_part,
            register_public_panel,
        )

        from . import exchange
        from .panels import public_decisions_panel

        register_exchange_part(
            ExchangePart(
                key="governance",
                order=10,
                export=exchange.export_part,
                import_=exchange.import_part,
                export_shared=exchange.export_shared,
                import_shared=exchange.import_shared,
            )
        )
        register_public_panel(
            Panel("decisions", "governance/_public_decisions.html", public_decisions_panel, 10)
        )

        from strategies.extensions import ReminderSource, register_reminder_source
        from strategies.models import ReminderKind

        from . import reminders

        for source in [
            ReminderSource(ReminderKind.GATE_SCHEDULED, reminders.build_gate_scheduled),
            ReminderSource(ReminderKind.DECISION_RECORDED, reminders.build_decision_recorded),
            ReminderSource(
                ReminderKind.AGENDA_DEADLINE,
                reminders.build_agenda_deadline,
                due=reminders.due_agenda_deadlines,
            ),
            ReminderSource(
                ReminderKind.GATE_OVERDUE,
                reminders.build_gate_overdue,
                due=reminders.due_overdue_gates,
            ),
        ]:
            register_reminder_source(source)
