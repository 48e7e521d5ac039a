"""How a meeting and the people serving a body are named in words: a month-only meeting is "in
May 2021", never "on May 2021", in the message that confirms it; the admin lists "body
secretaries" (issue 21's text slips)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.messages import get_messages
from django.urls import reverse

from governance.models import BodySecretary, Meeting
from tests.conftest import client_for

CREATE = reverse("governance:meeting-create")


def typed(body, day: str, precision: str) -> dict:
    return {"body": body.pk, "starts_at_0": day, "starts_at_1": "", "date_precision": precision}


def confirmation(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_month_only_meeting_is_created_in_its_month(secretary, board):
    response = client_for(secretary).post(CREATE, typed(board, "2021-05-01", "month"))
    assert confirmation(response) == f"Meeting of the {board} in May 2021 created."
    assert Meeting.objects.get().on_or_in == "in May 2021"


def test_a_meeting_on_a_known_day_is_created_on_it(secretary, board):
    response = client_for(secretary).post(CREATE, typed(board, "2021-05-13", "day"))
    assert confirmation(response) == f"Meeting of the {board} on 13 May 2021 created."


def test_body_secretaries_are_spelt_as_a_plural():
    assert BodySecretary._meta.verbose_name_plural == "body secretaries"


def test_no_model_is_named_with_a_made_up_plural():
    """Django adds an "s" to a model's name unless told otherwise: "secretarys", "entrys"."""
    wrong = [
        f"{model._meta.label}: {model._meta.verbose_name_plural}"
        for model in apps.get_models()
        if str(model._meta.verbose_name_plural).endswith(("ys", "sss", "chs", "shs", "xs"))
        and not str(model._meta.verbose_name_plural).endswith(("ays", "eys", "oys"))
    ]
    assert not wrong
