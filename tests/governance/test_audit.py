"""verify_audit finds tampering with decisions and revisions."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from governance.models import Decision
from strategies.models import Revision
from tests.governance.conftest import decide


def run() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_audit", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_intact_record_passes(board_gate, secretary):
    decide(board_gate, secretary)
    out, _ = run()
    assert "Audit intact: 1 revisions and 1 decisions checked." in out


def test_a_rewritten_resolution_is_reported(board_gate, secretary):
    decision = decide(board_gate, secretary)
    # Tampering bypasses the product (which refuses to change a decision): straight to the table.
    Decision.objects.filter(pk=decision.pk).update(resolution="Rejected, actually.")
    err = StringIO()
    with pytest.raises(CommandError, match="1 record"):
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    assert (
        f"Decision {decision.pk}" in err.getvalue() and "does not match its hash" in err.getvalue()
    )


def test_a_rewritten_revision_is_reported(board_gate, secretary):
    decision = decide(board_gate, secretary)
    content = decision.revision.content
    content["strategy"]["vision"] = "Quietly changed"
    Revision.objects.filter(pk=decision.revision.pk).update(content=content)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    assert "Revision 1" in err.getvalue() and "Decision" not in err.getvalue()


def test_a_rewritten_revision_with_a_fresh_hash_is_caught_by_its_decision(board_gate, secretary):
    from strategies.revisions import content_hash

    decision = decide(board_gate, secretary)
    content = decision.revision.content
    content["strategy"]["vision"] = "Quietly changed"
    Revision.objects.filter(pk=decision.revision.pk).update(
        content=content, content_hash=content_hash(content)
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    assert "Revision" not in err.getvalue()
    assert f"Decision {decision.pk}" in err.getvalue()  # its record holds the original hash


def test_a_deleted_decision_breaks_the_chain(strategy, board, officer, secretary):
    from governance import workflow
    from governance.models import Purpose

    first = workflow.add_gate(strategy, board, Purpose.REVIEW, officer)
    second = workflow.add_gate(strategy, board, Purpose.NOTE, officer, [first])
    decide(first, secretary)
    kept = decide(second, secretary, "noted", days_ago=0)
    Decision.objects.filter(gate=first).delete()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    assert f"Decision {kept.pk}" in err.getvalue() and "does not follow" in err.getvalue()
