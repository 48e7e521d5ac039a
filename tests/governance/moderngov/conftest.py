"""A fake Modern.gov site served from the fixtures, and Dudley's site mapped to it: committee
101 is its Cabinet, 102 its Health and Wellbeing Board (tests/governance/conftest.py)."""

from __future__ import annotations

import datetime

import pytest

from governance.models import CommitteeLink, ModernGovSite
from governance.moderngov.sync import sync_site

from .fake_server import FakeModernGov

# The fixtures' meetings are in 2031 (4001, of 2020, lies outside and is never asked for).
WINDOW = (datetime.date(2031, 1, 1), datetime.date(2031, 12, 31))


@pytest.fixture
def fake_moderngov():
    with FakeModernGov() as fake:
        yield fake


@pytest.fixture
def site(lead_org, fake_moderngov, cabinet, board):
    site = ModernGovSite.objects.create(organisation=lead_org, base_url=fake_moderngov.url)
    CommitteeLink.objects.create(site=site, committee_id=101, body=cabinet)
    CommitteeLink.objects.create(site=site, committee_id=102, body=board)
    return site


@pytest.fixture
def run(site):
    """Run the sync over the fixtures' window; returns its report."""

    def run_sync(**kw):
        site.refresh_from_db()
        return sync_site(site, *WINDOW, **kw)

    return run_sync
