"""A malformed answer, a timeout, an HTTP error and an unknown committee each give a clear
message and leave the data as it was; and the command's output (sync_moderngov)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from governance.models import AgendaItem, CommitteeLink, Meeting


def _state() -> tuple:
    return (
        list(Meeting.objects.values_list("pk", "starts_at", "venue", "status")),
        list(AgendaItem.objects.values_list("pk", "title", "minute_number")),
        Meeting.history.count(),
        AgendaItem.history.count(),
    )


@pytest.fixture
def after_a_first_run(run, fake_moderngov):
    run()
    # Modern.gov has changed since: a good answer would update the Cabinet's meeting.
    fake_moderngov.answers["GetMeetings_101"] = (fake_moderngov_file("GetMeetings_101")).replace(
        b"18:30", b"19:00"
    )
    return _state()


def fake_moderngov_file(name: str) -> bytes:
    from .fake_server import HERE

    return (HERE / f"{name}.xml").read_bytes()


def test_a_malformed_answer_is_named_and_changes_nothing_of_its_committee(
    run, fake_moderngov, after_a_first_run
):
    fake_moderngov.answers["GetMeeting_5001"] = b"<meeting><meetingid>5001</meetingid><agenda"
    report = run()
    assert _state() == after_a_first_run
    [error] = report.errors
    assert error.startswith("Cabinet: The answer of http://127.0.0.1:")
    assert "to GetMeeting for meeting 5001 is malformed: it is not well-formed XML" in error
    assert error.endswith("Nothing of the Cabinet was changed.")
    assert report.unchanged == 1  # the Board's meeting was read and is as it was


def test_an_html_page_or_a_meeting_without_a_date_is_malformed(run, fake_moderngov):
    fake_moderngov.answers["GetMeeting_5001"] = b"<html><body>Service unavailable</body></html>"
    fake_moderngov.answers["GetMeeting_5003"] = fake_moderngov_file("GetMeeting_5003").replace(
        b"24/06/2031", b"next June"
    )
    report = run()
    assert "it is <html>, not <meeting>" in report.errors[0]
    assert "<meetingdate> is 'next June', not a date as dd/mm/yyyy" in report.errors[1]
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()


def test_a_timeout_is_named_and_changes_nothing(run, fake_moderngov, settings, after_a_first_run):
    settings.MODERNGOV_TIMEOUT = 0.3
    fake_moderngov.answers["GetMeeting_5002"] = ("sleep", 1.5)
    report = run()
    assert _state() == after_a_first_run
    assert "did not answer GetMeeting for meeting 5002 within 0.3 seconds" in report.errors[0]


def test_an_http_error_is_named_and_changes_nothing(run, fake_moderngov, after_a_first_run):
    fake_moderngov.answers["GetMeetings_101"] = 500
    report = run()
    assert _state() == after_a_first_run
    assert "answered GetMeetings with HTTP 500" in report.errors[0]


def test_when_the_committees_cannot_be_read_nothing_is_asked_further(run, fake_moderngov):
    fake_moderngov.answers["GetCommittees"] = 503
    report = run()
    assert report.errors[0].endswith("with HTTP 503 Service Unavailable. Nothing was changed.")
    assert fake_moderngov.requests == ["GetCommittees"]
    assert not Meeting.objects.exists()


def test_an_unknown_or_deleted_committee_is_named_and_the_others_go_on(run, site, cabinet):
    CommitteeLink.objects.filter(body=cabinet).update(committee_id=999)
    report = run()
    assert report.errors == [
        f"Committee 999 (mapped to the Cabinet) is not among the committees of {site.base_url}: "
        "check its number in the admin. Nothing of the Cabinet was changed."
    ]
    assert not Meeting.objects.filter(body=cabinet).exists()
    assert Meeting.objects.filter(moderngov_id=5003).exists()
    CommitteeLink.objects.filter(body=cabinet).update(committee_id=103)
    assert "is deleted from the committees" in run().errors[0]


def test_the_command_prints_what_it_created_updated_and_skipped(site, fake_moderngov):
    out = StringIO()
    call_command("sync_moderngov", "--organisation", "dudley", "--from", "2031-01-01",
                 "--to", "2031-12-31", stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "Dudley Metropolitan Borough Council (http://127.0.0.1:" in text
    assert "1 Jan 2031 to 31 Dec 2031" in text
    assert "  created: Cabinet — 12 March 2031 (Modern.gov meeting 5001)\n" in text
    assert "  created: Cabinet — 23 April 2031 (Modern.gov meeting 5002) (cancelled)\n" in text
    assert "Created 3, updated 0, unchanged 0, skipped 0, errors 0." in text

    out = StringIO()
    call_command("sync_moderngov", "--from", "2031-01-01", "--to", "2031-12-31", stdout=out)
    assert "Created 0, updated 0, unchanged 3, skipped 0, errors 0." in out.getvalue()


def test_the_command_fails_loudly_on_an_error_and_on_bad_arguments(site, fake_moderngov):
    fake_moderngov.answers["GetCommittees"] = b"not xml"
    out = StringIO()
    with pytest.raises(CommandError, match="could not be brought in"):
        call_command("sync_moderngov", "--from", "2031-01-01", "--to", "2031-12-31", stdout=out)
    assert "error: The answer of" in out.getvalue()
    with pytest.raises(CommandError, match="not a date as YYYY-MM-DD"):
        call_command("sync_moderngov", "--from", "12/03/2031")
    with pytest.raises(CommandError, match="No enabled Modern.gov site"):
        call_command("sync_moderngov", "--organisation", "nowhere")


def test_the_schedule_queues_a_task_per_enabled_site_that_the_worker_runs(site, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = StringIO()
    call_command("sync_moderngov", "--queue", stdout=out)
    assert "1 Modern.gov site(s) queued." in out.getvalue()
    site.refresh_from_db()
    assert site.last_synced_at is not None and "errors 0" in site.last_result


def test_the_command_refuses_a_day_that_is_not_one(db):
    with pytest.raises(CommandError, match="'2025-13-01' is not a date as YYYY-MM-DD"):
        call_command("sync_moderngov", "--from", "2025-13-01", stdout=StringIO())
