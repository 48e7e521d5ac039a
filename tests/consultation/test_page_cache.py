"""The page cache (strategies/page_cache.py) with consultation responses, which keep no history:
a new response and the anonymising of old ones still render the analysis again."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from consultation import workflow as consultation
from consultation.retention import anonymise_due_responses
from tests.conftest import client_for
from tests.consultation.conftest import answers_for
from tests.strategies.test_page_cache import kept


def test_a_new_response_and_anonymising_render_the_analysis_again(officer, open_window, settings):
    client = client_for(officer)
    url = reverse("consultation:analysis", kwargs={"pk": open_window.pk})
    consultation.submit_response(
        open_window, "individual", answers_for(open_window, 4, "My neighbour Mrs Smith")
    )
    assert "Mrs Smith" in kept(client, url)
    consultation.submit_response(open_window, "group", answers_for(open_window, 2))
    assert client.get(url).context["total"] == 2  # rendered again: a response keeps no history
    consultation.close_window(open_window, officer, reason="Closed for the test")
    assert "Mrs Smith" in kept(client, url)
    settings.RESPONSE_RETENTION_DAYS = 0
    assert anonymise_due_responses(now=timezone.now() + datetime.timedelta(seconds=1)) == 2
    assert "Mrs Smith" not in client.get(url).content.decode()
