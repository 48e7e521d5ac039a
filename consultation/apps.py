from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = "Consultation"

    def ready(self) -> None:
        from strategies.extensions import (
            DashboardSection,
            HistorySource,
            Tab,
            register_calendar_source,
            register_dashboard_section,
            register_history_source,
            register_tab,
        )
        from strategies.models import Organisation

        from . import access
        from .models import (
            ConsultationWindow,
            Event,
            Response,
            ResponseTheme,
            Theme,
            WindowPartner,
            YouSaidWeDid,
        )

        register_tab(
            Tab(
                key="consultation",
                label="Consultation",
                url_name="consultation:strategy",
                order=20,
                shown_to=access.can_read,
            )
        )

        def windows(strategy):
            return ConsultationWindow.history.filter(strategy_id=strategy.pk).values("id")

        # Staff changes to a strategy's consultations join its History tab. The responses
        # themselves are never changed, so only officers' tags of them appear.
        from governance.extensions import GateSpan, register_gate_spans

        def window_spans(gate_ids):
            windows = ConsultationWindow.objects.filter(gate_id__in=gate_ids).only(
                "pk", "gate_id", "title", "opens_on", "closes_on", "date_precision", "minimum_days"
            )
            return {
                w.gate_id: GateSpan(
                    gate_id=w.gate_id,
                    label=w.title,
                    starts_on=w.opens_on,
                    ends_on=w.closes_on,
                    precision=w.date_precision,
                    url=w.get_absolute_url(),
                    minimum_days=w.minimum_days,
                )
                for w in windows
            }

        register_gate_spans(window_spans)

        from governance.extensions import register_gate_summaries

        from .summaries import window_summaries

        register_gate_summaries(window_summaries)

        from .dashboard import consultations_section

        register_dashboard_section(
            DashboardSection(
                "consultations",
                "consultation/_dashboard_consultations.html",
                consultations_section,
                20,
            )
        )

        from . import calendar

        register_calendar_source(calendar.calendar_entries)

        for source in [
            HistorySource(
                "consultation",
                "Consultation",
                lambda s: ConsultationWindow.history.filter(strategy_id=s.pk),
                lambda r, fmt: r.title,
            ),
            HistorySource(
                "consultation_event",
                "Consultation event",
                lambda s: Event.history.filter(window_id__in=windows(s)),
                lambda r, fmt: r.title,
            ),
            HistorySource(
                "consultation_partner",
                "Consultation partner",
                lambda s: WindowPartner.history.filter(window_id__in=windows(s)),
                lambda r, fmt: fmt.name(Organisation, r.organisation_id),
            ),
            HistorySource(
                "theme",
                "Theme",
                lambda s: Theme.history.filter(window_id__in=windows(s)),
                lambda r, fmt: r.name,
            ),
            HistorySource(
                "response_tag",
                "Response theme",
                lambda s: ResponseTheme.history.filter(
                    response_id__in=Response.objects.filter(window__strategy=s).values("id")
                ),
                lambda r, fmt: (
                    f"{fmt.name(Theme, r.theme_id)} on {fmt.name(Response, r.response_id)}"
                ),
            ),
            HistorySource(
                "you_said_we_did",
                "“You said, we did”",
                lambda s: YouSaidWeDid.history.filter(window_id__in=windows(s)),
                lambda r, fmt: fmt.name(Theme, r.theme_id),
            ),
        ]:
            register_history_source(source)

        from strategies.extensions import (
            ExchangePart,
            Panel,
            register_exchange_part,
            register_public_panel,
        )

        from . import exchange
        from .public import public_response_panel

        register_exchange_part(
            ExchangePart(
                key="consultation",
                order=20,
                export=exchange.export_part,
                import_=exchange.import_part,
            )
        )
        register_public_panel(
            Panel("you-said", "consultation/_public_you_said.html", public_response_panel, 20)
        )

        from strategies.extensions import ReminderSource, register_reminder_source
        from strategies.models import ReminderKind

        from .reminders import build_consultation_closed

        register_reminder_source(
            ReminderSource(ReminderKind.CONSULTATION_CLOSED, build_consultation_closed)
        )
