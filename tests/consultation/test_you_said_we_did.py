"""'You said, we did': an entry names the items of the strategy that changed and shows each as
consulted on beside the revision that changed it; the "changed" box is the person's to tick;
publishing asks to confirm and names the themes without an entry; a published entry is
corrected with a reason, kept in its history and dated on the public page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation import workflow
from consultation.models import Theme, YouSaidWeDid
from strategies.models import Priority
from strategies.revisions import take_revision
from tests.admin_forms import admin_form_data
from tests.conftest import client_for
from tests.consultation.test_admin_rules import above, beside

NEW_TITLE = "Improve wellbeing, starting with mental health"


@pytest.fixture
def closed(open_window, officer):
    return workflow.close_window(open_window, officer, "Enough responses")


@pytest.fixture
def changed(closed, officer):
    """After the consultation the first priority is renamed, in a new revision."""
    priority = Priority.objects.get(title="Improve wellbeing")
    priority.title = NEW_TITLE
    priority._change_reason = "After the consultation"
    priority.save()
    return priority, take_revision(closed.strategy, "After the consultation", by=officer)


@pytest.fixture
def theme(closed):
    return Theme.objects.create(window=closed, name="Mental health")


def add_url(window) -> str:
    return reverse("consultation:add-entry", kwargs={"pk": window.pk})


def entry_data(theme, **changes) -> dict:
    return {"theme": theme.pk, "you_said": "Name mental health", **changes}


def written(window, theme, priority, revision, officer) -> YouSaidWeDid:
    entry = YouSaidWeDid(
        window=window,
        theme=theme,
        you_said="Name mental health",
        changed=True,
        we_did="Mental health is named in the first priority.",
        revision=revision,
        changed_items=[{"kind": "priority", "id": priority.pk}],
    )
    return workflow.save_entry(entry, officer)


# The entry form -------------------------------------------------------------------------------


def test_the_changed_box_is_not_ticked_for_a_new_entry(officer, closed, theme):
    form = client_for(officer).get(add_url(closed)).context["form"]
    assert form["changed"].value() is False


def test_why_nothing_changed_alone_is_saved_as_it_is(officer, closed, theme):
    client_for(officer).post(add_url(closed), entry_data(theme, why_not="Not ours to run"))
    entry = YouSaidWeDid.objects.get()
    assert not entry.changed and entry.why_not == "Not ours to run"


def test_a_ticked_box_without_what_changed_is_refused_naming_the_box(officer, closed, theme):
    data = entry_data(theme, changed="on", why_not="Not ours to run")
    response = client_for(officer).post(add_url(closed), data)
    form = response.context["form"]
    assert form.errors["we_did"] == [
        "Tick “the strategy changed” and say what changed, or leave it unticked and say why "
        "nothing changed."
    ]
    assert form["why_not"].value() == "Not ours to run"  # what was typed is kept
    assert not YouSaidWeDid.objects.exists()


def test_the_form_offers_the_strategys_items_grouped(officer, closed, theme):
    form = client_for(officer).get(add_url(closed)).context["form"]
    groups = dict(form.fields["changed_items"].choices)
    priority = Priority.objects.get(title="Improve wellbeing")
    assert (f"priority:{priority.pk}", "Priority: Improve wellbeing") in groups[
        "Priority 1: Improve wellbeing"
    ]
    assert "The strategy itself" in groups


def test_the_items_chosen_are_stored_and_shown_as_consulted_on_and_as_changed(
    officer, closed, theme, changed
):
    priority, revision = changed
    data = entry_data(
        theme,
        changed="on",
        we_did="Named it",
        revision=revision.pk,
        changed_items=[f"priority:{priority.pk}"],
    )
    response = client_for(officer).post(add_url(closed), data)
    assert response.status_code == 302
    entry = YouSaidWeDid.objects.get()
    assert entry.changed_items == [{"kind": "priority", "id": priority.pk}]
    page = client_for(officer).get(closed.get_absolute_url()).content.decode()
    assert '<del class="pre-wrap">Improve wellbeing</del>' in page
    assert f'<ins class="pre-wrap">{NEW_TITLE}</ins>' in page
    assert f"#priority-{priority.pk}" in page  # the item on the strategy's page
    compare = reverse("strategies:compare", kwargs={"slug": closed.strategy.slug})
    assert f"{compare}?a={closed.revision.number}&amp;b={revision.number}" in page


def test_an_item_the_revision_did_not_change_is_refused(officer, closed, theme, changed):
    _, revision = changed
    other = Priority.objects.get(title="Reduce inequalities")
    data = entry_data(
        theme,
        changed="on",
        we_did="Named it",
        revision=revision.pk,
        changed_items=[f"priority:{other.pk}"],
    )
    form = client_for(officer).post(add_url(closed), data).context["form"]
    assert form.errors["changed_items"] == [
        f"“Reduce inequalities” is the same in revision {revision.number} as in the text "
        f"consulted on (revision {closed.revision.number}): choose the revision that changed "
        f"it, or untick it."
    ]
    assert form["changed_items"].value() == [f"priority:{other.pk}"]


def test_the_revision_that_changed_it_comes_after_the_text_consulted_on(officer, closed, theme):
    data = entry_data(theme, changed="on", we_did="Named it", revision=closed.revision.pk)
    form = client_for(officer).post(add_url(closed), data).context["form"]
    assert form.errors["revision"] == [
        f"Choose a revision taken after the text consulted on (revision {closed.revision.number})."
    ]


def test_items_without_the_changed_box_are_refused(officer, closed, theme):
    priority = Priority.objects.get(title="Improve wellbeing")
    data = entry_data(theme, why_not="No", changed_items=[f"priority:{priority.pk}"])
    form = client_for(officer).post(add_url(closed), data).context["form"]
    assert "changed_items" in form.errors and not YouSaidWeDid.objects.exists()


# Publishing ---------------------------------------------------------------------------------


def test_publishing_asks_to_confirm_and_names_themes_without_an_entry(officer, closed, theme):
    YouSaidWeDid.objects.create(
        window=closed, theme=theme, you_said="x", changed=False, why_not="y"
    )
    Theme.objects.create(window=closed, name="Transport")
    client = client_for(officer)
    url = reverse("consultation:publish", kwargs={"pk": closed.pk})
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and "1 theme without an entry" in text and "Transport" in text
    closed.refresh_from_db()
    assert closed.state == "closed"  # asking changes nothing
    assert "Publish now" in text
    client.post(url)
    closed.refresh_from_db()
    assert closed.state == "response_published"


def test_the_confirmation_says_why_not_yet_and_offers_no_button(officer, closed):
    page = client_for(officer).get(reverse("consultation:publish", kwargs={"pk": closed.pk}))
    text = page.content.decode()
    assert "Write at least one “you said, we did” entry first." in text
    assert "Publish now" not in text


def test_the_window_page_links_to_the_confirmation(officer, closed, theme):
    YouSaidWeDid.objects.create(
        window=closed, theme=theme, you_said="x", changed=False, why_not="y"
    )
    page = client_for(officer).get(closed.get_absolute_url()).content.decode()
    url = reverse("consultation:publish", kwargs={"pk": closed.pk})
    assert f'<a class="btn btn-primary" href="{url}">' in page


def test_the_admin_asks_to_confirm_publishing_too(administrator, closed, theme):
    client = client_for(administrator)
    changelist = reverse("admin:consultation_consultationwindow_changelist")
    YouSaidWeDid.objects.create(
        window=closed, theme=theme, you_said="x", changed=False, why_not="y"
    )
    Theme.objects.create(window=closed, name="Transport")
    chosen = {"action": "publish_responses", "_selected_action": [closed.pk]}
    page = client.post(changelist, chosen)
    assert "Transport" in page.content.decode()
    closed.refresh_from_db()
    assert closed.state == "closed"
    client.post(changelist, {**chosen, "apply": "1"})
    closed.refresh_from_db()
    assert closed.state == "response_published"


# Corrections after publishing -------------------------------------------------------------------


@pytest.fixture
def published(closed, theme, changed, officer):
    entry = written(closed, theme, *changed, officer)
    workflow.publish_response(closed, officer)
    return entry


def edit_url(entry) -> str:
    return reverse("consultation:edit-entry", kwargs={"pk": entry.window_id, "entry_pk": entry.pk})


def correction(entry, **changes) -> dict:
    return {
        "theme": entry.theme_id,
        "you_said": entry.you_said,
        "changed": "on",
        "we_did": entry.we_did,
        "revision": entry.revision_id,
        "changed_items": [f"{i['kind']}:{i['id']}" for i in entry.changed_items],
        "version": entry.version,
        **changes,
    }


def test_a_published_entry_is_corrected_only_with_a_reason(officer, published):
    client = client_for(officer)
    data = correction(published, we_did="Named it in the first priority's title.")
    form = client.post(edit_url(published), data).context["form"]
    assert form.errors["reason"] == [
        "Say why the published entry is corrected: the reason is kept in its history."
    ]
    assert form["we_did"].value() == "Named it in the first priority's title."
    response = client.post(edit_url(published), {**data, "reason": "Wrong wording"})
    assert response.status_code == 302
    entry = YouSaidWeDid.objects.get()
    assert entry.we_did == "Named it in the first priority's title." and entry.corrected_at
    last = entry.history.first()
    assert last.history_change_reason == "Corrected after publication: Wrong wording"
    assert last.history_user == officer


def test_the_public_page_shows_the_change_and_when_it_was_updated(officer, published):
    client = client_for(officer)
    url = reverse("consultation:public-response", kwargs={"slug": published.window.slug})
    page = client.get(url).content.decode()
    assert "Updated on" not in page and f'<ins class="pre-wrap">{NEW_TITLE}</ins>' in page
    client.post(edit_url(published), correction(published, reason="Typo", we_did="Fixed"))
    page = client.get(url).content.decode()
    entry = YouSaidWeDid.objects.get()
    assert f"Updated on {entry.corrected_at:%-d %B %Y}" in page


def test_two_people_correcting_at_once_do_not_overwrite_each_other(officer, published):
    client = client_for(officer)
    stale = correction(published, reason="Mine", we_did="Mine")
    client.post(edit_url(published), correction(published, reason="Theirs", we_did="Theirs"))
    response = client.post(edit_url(published), stale)
    assert response.context["form"].conflict is not None
    assert response.content.decode().count("saved a change to this item") == 1
    assert YouSaidWeDid.objects.get().we_did == "Theirs"


def test_no_entry_is_added_after_publishing(officer, published):
    assert client_for(officer).get(add_url(published.window)).status_code == 403


def test_the_admin_corrects_with_a_reason_too(administrator, published):
    client = client_for(administrator)
    url = reverse("admin:consultation_yousaidwedid_change", args=[published.pk])
    data = admin_form_data(client, url)
    data["we_did"] = "Corrected in the admin"
    response = client.post(url, data)
    assert beside(response, "reason") == [
        "Say why the published entry is corrected: the reason is kept in its history."
    ]
    assert not above(response)
    response = client.post(url, {**data, "reason": "Wrong wording"})
    assert response.status_code == 302
    entry = YouSaidWeDid.objects.get()
    assert entry.we_did == "Corrected in the admin" and entry.corrected_at is not None
    assert entry.history.first().history_change_reason == (
        "Corrected after publication: Wrong wording"
    )


def test_the_public_page_reads_as_many_rows_for_many_entries(officer, published, client):
    url = reverse("consultation:public-response", kwargs={"slug": published.window.slug})
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        theme = Theme.objects.create(window=published.window, name=f"Theme {n}")
        entry = YouSaidWeDid(
            **{
                f.attname: getattr(published, f.attname)
                for f in YouSaidWeDid._meta.concrete_fields
                if f.name not in ("id", "theme")
            }
        )
        entry.theme = theme
        entry.save()
    with CaptureQueriesContext(connection) as four:
        page = client.get(url)
    assert page.content.decode().count(f'<ins class="pre-wrap">{NEW_TITLE}</ins>') == 4
    assert len(four) == len(one)


def test_a_published_entry_keeps_its_theme(officer, published):
    other = Theme.objects.create(window=published.window, name="Something else")
    published.theme = other
    with pytest.raises(workflow.WorkflowError, match="keeps its theme") as refused:
        workflow.save_entry(published, officer, "moved")
    assert refused.value.field == "theme"
