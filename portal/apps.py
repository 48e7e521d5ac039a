from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The pages that show the domain apps together (docs/decisions/0014): the dashboard, the
    strategy page's tabs and panels, the merged history, the timeline, committee reports, the
    calendar feed, export and import, reminders, the public pages and the demo loader. The only
    app that imports strategies, governance and consultation all three."""

    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from .reminders import listeners

        listeners.connect()
