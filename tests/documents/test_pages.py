"""The documents' pages: a strategy's Documents tab, adding a document or a meeting's paper, and a
document's page with its forms (a new version, the details, withdrawing), each for those allowed
and those refused, with every refusal shown beside its field."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import workflow
from documents.models import Document, DocumentVersion
from governance import workflow as governance
from governance.models import Purpose
from tests.documents.conftest import docx_bytes, pdf, upload

pytestmark = pytest.mark.django_db


def add(user, target, title="Dudley Health and Wellbeing Strategy", kind="strategy", **kw):
    return workflow.add_document(
        user, target, title=title, kind=kind, upload=kw.pop("file", None) or pdf(), **kw
    )


def tab(strategy):
    return reverse("documents:strategy", kwargs={"slug": strategy.slug})


def add_url(strategy):
    return reverse("documents:add", kwargs={"slug": strategy.slug})


def page(document):
    return reverse("documents:document", kwargs={"pk": document.pk})


def form_data(**changes):
    return {"to": "strategy", "title": "Easy read strategy", "kind": "easy_read",
            "language": "en", "description": "", "note": "", "file": pdf("easy read.pdf"),
            **changes}  # fmt: skip


def errors_beside(response, field):
    """The errors shown beside `field` on the page's form."""
    return response.context["form"].errors.get(field, [])


# The Documents tab --------------------------------------------------------------------------


def test_the_tab_groups_documents_by_what_they_belong_to(as_user, strategy, officer, board_gate):
    add(officer, strategy, public=True)
    add(officer, board_gate, title="Report to the Board", kind="report")
    withdrawn = add(officer, strategy, title="Old summary", kind="summary")
    workflow.withdraw(officer, withdrawn, "Replaced by the new summary")
    response = as_user(officer).get(tab(strategy))
    text = response.content.decode()
    assert [g["heading"] for g in response.context["groups"]] == [
        "The strategy itself",
        f"Gate: {board_gate}",
    ]
    assert "Public</td>" in text and "Internal</td>" in text  # in words, not colour only
    assert "PDF, " in text and "by " in text
    assert '<details class="mb-4">' in text and "Replaced by the new summary" in text
    assert f'href="{add_url(strategy)}"' in text
    assert f"{add_url(strategy)}?to=gate-{board_gate.pk}" in text
    assert reverse("documents:strategy", kwargs={"slug": strategy.slug}) in text  # the tab


def test_readers_see_the_documents_without_the_add_button(as_user, strategy, officer, manager):
    add(officer, strategy)
    response = as_user(manager).get(tab(strategy))
    assert response.status_code == 200
    assert "Dudley Health and Wellbeing Strategy" in response.content.decode()
    assert add_url(strategy) not in response.content.decode()


def test_another_organisation_cannot_see_a_draft_s_documents(as_user, strategy, other_officer):
    assert as_user(other_officer).get(tab(strategy)).status_code == 404


def test_a_closed_strategy_says_why_nothing_can_be_added(as_user, strategy, officer):
    strategy.stage = strategy.Stage.WITHDRAWN
    strategy.save(update_fields=["stage"])
    text = as_user(officer).get(tab(strategy)).content.decode()
    assert "its record is closed" in text and add_url(strategy) not in text


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_tab_s_queries_do_not_grow_with_documents_or_versions(
    as_user, strategy, officer, board, board_gate, django_assert_num_queries
):
    client = as_user(officer)
    add(officer, strategy)
    few = queries_of(client, tab(strategy))
    for n in range(4):
        document = add(officer, board_gate, title=f"Appendix {n}", kind="appendix")
        workflow.add_version(officer, document, pdf(body=b"2"), "Second")
    workflow.withdraw(officer, add(officer, strategy, title="Old", kind="summary"), "Old")
    second = governance.add_gate(strategy, board, Purpose.APPROVE, officer, [board_gate])
    add(officer, second, title="Report", kind="report")
    with django_assert_num_queries(few):
        client.get(tab(strategy))


# Adding a document ---------------------------------------------------------------------------


def test_the_add_form_offers_what_the_person_keeps(as_user, strategy, officer, board_gate):
    response = as_user(officer).get(add_url(strategy) + f"?to=gate-{board_gate.pk}")
    form = response.context["form"]
    text = response.content.decode()
    assert form.initial == {"to": f"gate-{board_gate.pk}", "kind": "report"}
    assert 'enctype="multipart/form-data"' in text
    assert 'accept=".pdf,.docx,' in text and "application/pdf" in text
    assert "up to 25.0\xa0MB" in text
    assert '<optgroup label="Committee papers (of a gate or decision)">' in text


def test_a_board_secretary_adds_only_to_the_board_s_gates(as_user, strategy, secretary, board_gate):
    form = as_user(secretary).get(add_url(strategy)).context["form"]
    assert [value for value, _ in form.fields["to"].choices[0][1]] == [f"gate-{board_gate.pk}"]
    response = as_user(secretary).post(add_url(strategy), form_data(to="strategy"))
    assert "to" in response.context["form"].errors


def test_a_person_who_reads_but_does_not_keep_is_refused(as_user, strategy, manager, other_officer):
    assert as_user(manager).get(add_url(strategy)).status_code == 403
    assert as_user(manager).post(add_url(strategy), form_data()).status_code == 403
    assert as_user(other_officer).post(add_url(strategy), form_data()).status_code == 404
    assert Document.objects.count() == 0


def test_an_officer_adds_a_document_from_the_page(as_user, strategy, officer, media_root):
    response = as_user(officer).post(add_url(strategy), form_data(public="on"))
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == page(document)
    assert (document.kind, document.public, document.strategy) == ("easy_read", True, strategy)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["“Easy read strategy” added. Its file (PDF, version 1) is kept as "
                    "“easy read.pdf”."]  # fmt: skip
    assert document.latest.file.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("file", "field", "says"),
    [
        (lambda: upload("report.pdf", docx_bytes()), "file", "it is a Word file"),
        (lambda: upload("empty.pdf", b""), "file", "The file is empty"),
        (lambda: upload("setup.pdf", b"MZ\x90\x00" + b"\x00" * 300), "file", "Windows program"),
        (lambda: None, "file", "Choose the file to upload."),
    ],
)
def test_a_refused_file_is_shown_beside_the_field(as_user, strategy, officer, file, field, says):
    data = form_data(file=file()) if file() is not None else form_data()
    if file() is None:
        del data["file"]
    response = as_user(officer).post(add_url(strategy), data)
    assert response.status_code == 200
    assert any(says in e for e in errors_beside(response, field)), response.context["form"].errors
    text = response.content.decode()
    assert "choose the file again" in text and 'value="Easy read strategy"' in text
    assert Document.objects.count() == 0 and DocumentVersion.objects.count() == 0


def test_a_file_over_the_limit_is_refused_beside_the_field(as_user, strategy, officer, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    response = as_user(officer).post(add_url(strategy), form_data(file=pdf(body=b"x" * 200)))
    assert any("Waymark keeps files up to 100" in e for e in errors_beside(response, "file"))
    assert Document.objects.count() == 0


def test_a_kind_that_does_not_fit_is_refused_beside_the_kind(
    as_user, strategy, officer, board_gate
):
    response = as_user(officer).post(
        add_url(strategy), form_data(to=f"gate-{board_gate.pk}", kind="easy_read")
    )
    assert any("A document of a gate is one of" in e for e in errors_beside(response, "kind"))
    assert Document.objects.count() == 0


def test_a_missing_title_and_kind_are_shown_beside_their_fields(as_user, strategy, officer):
    response = as_user(officer).post(add_url(strategy), form_data(title=" ", kind=""))
    assert errors_beside(response, "title") and errors_beside(response, "kind")


# A meeting's papers --------------------------------------------------------------------------


def paper_url(meeting):
    return reverse("documents:add-meeting-paper", kwargs={"pk": meeting.pk})


def test_a_secretary_adds_the_minutes_to_the_meeting(as_user, world_meeting, secretary):
    client = as_user(secretary)
    form = client.get(paper_url(world_meeting)).context["form"]
    assert "to" not in form.fields and "public" not in form.fields
    assert [v for v, _ in form.fields["kind"].widget.choices] == ["agenda_pack", "minutes", "other"]
    response = client.post(
        paper_url(world_meeting),
        {"title": "Minutes", "kind": "minutes", "language": "en", "file": pdf("minutes.pdf")},
    )
    paper = Document.objects.get()
    assert response["Location"] == page(paper) and paper.meeting == world_meeting
    text = client.get(world_meeting.get_absolute_url()).content.decode()
    assert "Papers</h2>" in text and page(paper) in text and paper_url(world_meeting) in text


def test_a_meeting_takes_only_a_meeting_s_kinds(as_user, world_meeting, secretary):
    response = as_user(secretary).post(
        paper_url(world_meeting),
        {"title": "Report", "kind": "report", "language": "en", "file": pdf()},
    )
    assert any("A document of a meeting is one of" in e for e in errors_beside(response, "kind"))
    assert Document.objects.count() == 0


def test_only_the_body_s_secretaries_add_papers(
    as_user, world_meeting, officer, manager, other_secretary
):
    assert as_user(officer).get(paper_url(world_meeting)).status_code == 403
    assert as_user(manager).get(paper_url(world_meeting)).status_code == 403
    assert as_user(other_secretary).get(paper_url(world_meeting)).status_code == 404


# A document's page ---------------------------------------------------------------------------


def test_the_page_shows_every_version_latest_first(as_user, strategy, officer):
    document = add(officer, strategy)
    workflow.add_version(officer, document, pdf("v2.pdf", b"two"), "Figures for 2024 added")
    response = as_user(officer).get(page(document))
    text = response.content.decode()
    assert [v.number for v in response.context["versions"]] == [2, 1]
    assert f'<code class="text-break">{document.versions.get(number=2).sha256}</code>' in text
    assert "Figures for 2024 added" in text and "Upload a new version" in text
    assert reverse("strategy-history", kwargs={"slug": strategy.slug}) in text


def test_readers_see_the_page_without_its_forms(as_user, strategy, officer, manager):
    document = add(officer, strategy)
    response = as_user(manager).get(page(document))
    assert response.status_code == 200 and "Upload a new version" not in response.content.decode()
    assert as_user(manager).post(page(document), {"move": "withdraw"}).status_code == 403


def test_another_organisation_cannot_see_the_page(as_user, strategy, officer, other_officer):
    assert as_user(other_officer).get(page(add(officer, strategy))).status_code == 404


def test_a_new_version_from_the_page(as_user, strategy, officer):
    document = add(officer, strategy)
    response = as_user(officer).post(
        page(document),
        {"move": "upload", "upload-file": pdf("v2.pdf", b"2"), "upload-note": "Corrected"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.latest.number, document.latest.note) == (2, "Corrected")


def test_a_new_version_of_the_wrong_type_is_refused_beside_the_file(as_user, strategy, officer):
    document = add(officer, strategy)
    response = as_user(officer).post(
        page(document),
        {"move": "upload", "upload-file": upload("v2.pdf", docx_bytes()), "upload-note": "x"},
    )
    assert any("Word file" in e for e in response.context["forms"]["upload"].errors["file"])
    assert document.versions.count() == 1


def details(document, **changes):
    """The details form as the page shows it, with `changes` typed in."""
    shown = {"title": document.title, "kind": document.kind, "language": document.language,
             "description": "", "version": document.version}  # fmt: skip
    if document.public:
        shown["public"] = "on"
    return {"move": "details", **{f"details-{k}": v for k, v in {**shown, **changes}.items()}}


def test_details_changed_from_the_page(as_user, strategy, officer):
    document = add(officer, strategy)
    response = as_user(officer).post(page(document), details(document, title="The strategy"))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "The strategy"


def test_stale_details_are_refused_with_both_versions_shown(
    as_user, strategy, officer, second_officer
):
    document = add(officer, strategy)
    opened = details(document, title="Mine")
    workflow.change_details(second_officer, document, expected_version=document.version,
                            title="Theirs")  # fmt: skip
    response = as_user(officer).post(page(document), opened)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this document while you were editing it" in text
    assert response.context["conflict"] == [("Title", "Theirs", "Mine")]
    assert 'value="Theirs"' in text  # the form now shows what is saved, at its version
    document.refresh_from_db()
    assert document.title == "Theirs"
    assert f'name="details-version" value="{document.version}"' in text


def test_a_gate_s_paper_cannot_be_made_public(as_user, strategy, officer, board_gate):
    document = add(officer, board_gate, title="Report", kind="report")
    response = as_user(officer).post(page(document), details(document, public="on"))
    assert response.context["forms"]["details"].errors["public"]


def test_withdrawing_needs_a_reason(as_user, strategy, officer):
    document = add(officer, strategy)
    response = as_user(officer).post(page(document), {"move": "withdraw", "withdraw-reason": ""})
    assert response.context["forms"]["withdraw"].errors["reason"] == ["Say why it is withdrawn."]
    document.refresh_from_db()
    assert not document.is_withdrawn


def test_a_withdrawn_document_says_who_when_and_why(as_user, strategy, officer):
    document = add(officer, strategy)
    client = as_user(officer)
    client.post(page(document), {"move": "withdraw", "withdraw-reason": "Replaced by 2025"})
    text = client.get(page(document)).content.decode()
    assert "Withdrawn</strong> on" in text and "Replaced by 2025" in text
    assert officer.display_name in text and "Upload a new version" not in text
    assert client.post(page(document), details(document, title="X")).status_code == 403
    listed = client.get(tab(strategy)).context
    assert listed["groups"] == [] and listed["withdrawn"] == [document]


def test_the_page_s_queries_do_not_grow_with_versions(
    as_user, strategy, officer, django_assert_num_queries
):
    document = add(officer, strategy)
    client = as_user(officer)
    few = queries_of(client, page(document))
    for n in range(5):
        workflow.add_version(officer, document, pdf(body=str(n).encode()), f"Version {n}")
    with django_assert_num_queries(few):
        client.get(page(document))


# The size of a request that carries a file ------------------------------------------------------


def test_an_upload_may_be_larger_than_other_requests(as_user, strategy, officer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # the general limit, scaled down
    response = as_user(officer).post(add_url(strategy), form_data(file=pdf(body=b"x" * 5000)))
    assert response.status_code == 302
    elsewhere = reverse("delivery:plan", kwargs={"slug": strategy.slug})
    big = form_data(file=pdf(body=b"x" * 5000))
    assert as_user(officer).post(elsewhere, big).status_code == 400


def test_an_upload_over_the_document_limit_is_refused_before_it_is_read(
    as_user, strategy, officer, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.DOCUMENT_MAX_BYTES = 1000  # the page takes 1 MB more, for the form's fields
    response = as_user(officer).post(
        add_url(strategy), form_data(file=pdf(body=b"x" * (1024 * 1024 + 2000)))
    )
    assert response.status_code == 400 and "this page accepts" in response.content.decode()
    assert Document.objects.count() == 0
