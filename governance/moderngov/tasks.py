"""The background task the schedule queues: `manage.py sync_moderngov --queue` (cron or a
systemd timer, README "Background work") puts one per enabled site on the queue, and
`manage.py db_worker` runs them, as it sends the reminders."""

from __future__ import annotations

from django_tasks import task

from ..models import ModernGovSite
from .sync import sync_site


@task()
def sync_moderngov_site(site_id: int) -> str:
    """Bring in one site's meetings (the default window); returns the run's summary, which is
    also the site's `last_result`. A site since disabled or deleted is left alone."""
    site = ModernGovSite.objects.select_related("organisation").filter(pk=site_id).first()
    if site is None or not site.enabled:
        return "Not synced: the site is disabled or gone."
    return sync_site(site).summary()


def queue_enabled_sites(organisation: str | None = None) -> int:
    """Queue a sync of each enabled site (of one organisation, by slug, if given)."""
    sites = ModernGovSite.objects.filter(enabled=True)
    if organisation:
        sites = sites.filter(organisation__slug=organisation)
    count = 0
    for pk in sites.values_list("pk", flat=True):
        sync_moderngov_site.enqueue(pk)
        count += 1
    return count
