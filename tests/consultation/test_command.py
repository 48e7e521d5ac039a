from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from consultation.models import ConsultationWindow
from governance.models import Gate
from tests.consultation.conftest import days


def test_close_consultations_closes_due_windows_and_moves_their_gates(open_window):
    out = StringIO()
    call_command("close_consultations", stdout=out)
    assert "0 consultation(s) closed" in out.getvalue()
    open_window.closes_on = days(-1)
    open_window.save()
    call_command("close_consultations", stdout=out)
    assert (
        "Closed “Have your say on our strategy”: Consultation closed with 0 responses."
        in out.getvalue()
    )
    assert ConsultationWindow.objects.get().state == "closed"
    assert Gate.objects.get(pk=open_window.gate_id).state == "passed"
