from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from consultation import workflow
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


def test_a_window_that_cannot_close_does_not_stop_the_others(open_window, officer, lead_org):
    """A strategy withdrawn while its consultation is open loses its gate, and the window
    cannot close through it; the other consultations due that day still close, and the command
    says which one did not, and why, on its error stream for the scheduler's log."""
    from governance import workflow as governance
    from tests.factories import StrategyFactory

    other = StrategyFactory(lead_organisation=lead_org, title="Another strategy")
    board = Gate.objects.get(pk=open_window.gate_id).body
    gate = governance.add_gate(other, board, "consult", officer)
    second = ConsultationWindow.objects.create(
        strategy=other,
        gate=gate,
        title="Another consultation",
        slug="another-consultation",
        opens_on=days(0),
        closes_on=days(90),
        date_precision="day",
        minimum_days=open_window.minimum_days,
    )
    workflow.open_window(second, officer)
    governance.withdraw(open_window.strategy, officer, "Merged into the county's strategy")
    ConsultationWindow.objects.filter(pk__in=[open_window.pk, second.pk]).update(
        opens_on=days(-100), closes_on=days(-1)
    )
    out, err = StringIO(), StringIO()
    call_command("close_consultations", stdout=out, stderr=err)
    assert "1 consultation(s) closed." in out.getvalue()
    assert "Closed “Another consultation”" in out.getvalue()
    assert ConsultationWindow.objects.get(pk=second.pk).state == "closed"
    assert (
        "Not closed “Have your say on our strategy”: That consultation gate is not under way."
        in err.getvalue()
    )
    assert ConsultationWindow.objects.get(pk=open_window.pk).state == "open"
