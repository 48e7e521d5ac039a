"""A strategy's Documents tab (its documents grouped by what they belong to, the withdrawn ones
apart) and a document's page (its details, every version, and for those who keep it the forms
to upload a new version, change the details and withdraw it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from governance.views.common import add_refusal
from governance.workflow import WorkflowError
from strategies import access as strategies_access

from .. import access, workflow
from ..forms import DETAILS, ChangeDetailsForm, VersionForm, WithdrawForm
from ..languages import LANGUAGES
from ..models import Document
from .adding import strategy_targets


def _group_of(document: Document) -> tuple[tuple, str, str]:
    """(order, heading, the add form's `to` value) of what the document belongs to."""
    if document.decision_id:
        decision = document.decision
        return (
            (2, decision.gate.position, decision.pk),
            f"Decision: {decision.gate.body}, {decision.get_outcome_display().lower()} "
            f"({decision.decided_when})",
            f"decision-{decision.pk}",
        )
    if document.gate_id:
        gate = document.gate
        return (1, gate.position, gate.pk), f"Gate: {gate}", f"gate-{gate.pk}"
    if document.window_id:
        window = document.window
        return (3, window.pk), f"Consultation: {window.title}", f"window-{window.pk}"
    return (0,), "The strategy itself", "strategy"


@login_required
@require_GET
def strategy_documents(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = strategies_access.get_visible_strategy(request.user, slug)
    documents = strategy.documents.select_related(
        "latest__uploaded_by", "gate__body", "decision__gate__body", "window", "withdrawn_by"
    ).order_by("kind", "title", "pk")
    groups: dict[tuple, dict] = {}
    withdrawn = []
    for document in documents:
        if document.is_withdrawn:
            withdrawn.append(document)
            continue
        if document.latest_id is None:
            continue  # never happens once saved: the first version comes with the document
        order, heading, to = _group_of(document)
        groups.setdefault(order, {"heading": heading, "to": to, "documents": []})
        groups[order]["documents"].append(document)
    keepable = {value for _, rows in strategy_targets(request.user, strategy) for value, *_ in rows}
    for group in groups.values():
        group["can_add"] = group["to"] in keepable
    return render(
        request,
        "documents/strategy.html",
        {
            "strategy": strategy,
            "tab": "documents",
            "groups": [groups[order] for order in sorted(groups)],
            "withdrawn": withdrawn,
            "can_add": bool(keepable),
            # Why nothing can be added, once the record is closed (withdrawn or superseded);
            # otherwise those who do not keep the documents are simply shown them.
            "closed": access.keep_refusal(request.user, strategy)
            if strategy.route_is_closed
            else None,
        },
    )


def _where(document: Document) -> str:
    return workflow.owner_kind(document.owner)


def _labels(name: str, value) -> str:
    if name == "kind":
        return Document.Kind(value).label if value in Document.Kind.values else str(value)
    if name == "language":
        return dict(LANGUAGES).get(value, str(value))
    if name == "public":
        return "Public" if value else "Internal"
    return str(value or "")


def _conflict(form: ChangeDetailsForm, current: Document) -> list[tuple[str, str, str]]:
    """After a refused stale change: the form shows the details as saved now (and the version
    they are at, so that saving again is deliberate); returns (field, saved now, yours) for each
    that differs, so that what was typed is not lost."""
    rows = []
    data = form.data.copy()
    for name in DETAILS:
        if name not in form.fields:
            continue
        saved, mine = getattr(current, name), form.cleaned_data.get(name)
        if saved != mine:
            rows.append((str(form.fields[name].label or name).capitalize(),
                         _labels(name, saved), _labels(name, mine)))  # fmt: skip
        key = form.add_prefix(name)
        if name == "public":
            data.pop(key, None)
            if saved:
                data[key] = "on"
        else:
            data[key] = saved
    data[form.add_prefix("version")] = current.version
    form.data = data
    return rows


def _move(request: HttpRequest, document: Document, forms: dict) -> HttpResponse | None:
    """The move the page's form asked for: a redirect once made, or None with the form (in
    `forms`) showing what is wrong."""
    move = request.POST.get("move")
    user = request.user
    try:
        if move == "upload":
            form = forms["upload"] = VersionForm(
                request.POST,
                request.FILES,
                prefix="upload",
                offer_publish=_offers_publish(document),
            )
            if form.is_valid():
                version = workflow.add_version(
                    user,
                    document,
                    form.cleaned_data["file"],
                    form.cleaned_data["note"],
                    publish=form.cleaned_data.get("publish", False),
                )
                document.refresh_from_db()
                public = (
                    " The public still reads version "
                    f"{document.public_version.number} until you publish this one."
                    if _offers_publish(document) and document.public_version_id != version.pk
                    else ""
                )
                messages.success(
                    request,
                    f"Version {version.number} uploaded, kept as “{version.file_name}”. The "
                    f"earlier versions stay below.{public}",
                )
                return redirect("documents:document", pk=document.pk)
        elif move == "publish":
            number = request.POST.get("number", "")
            if not (number.isascii() and number.isdigit() and len(number) <= 9):
                messages.error(request, "Choose the version the public should read.")
                return redirect("documents:document", pk=document.pk)
            workflow.publish_version(user, document, int(number))
            messages.success(request, f"The public now reads version {number}.")
            return redirect("documents:document", pk=document.pk)
        elif move == "details":
            form = forms["details"] = ChangeDetailsForm(
                request.POST, prefix="details", document=document, where=_where(document)
            )
            if form.is_valid():
                workflow.change_details(
                    user,
                    document,
                    expected_version=form.cleaned_data["version"],
                    **form.details(),
                )
                messages.success(request, "Details saved.")
                return redirect("documents:document", pk=document.pk)
        elif move == "withdraw":
            form = forms["withdraw"] = WithdrawForm(request.POST, prefix="withdraw")
            if form.is_valid():
                workflow.withdraw(user, document, form.cleaned_data["reason"])
                messages.success(
                    request,
                    "Document withdrawn. It is no longer listed or public; its files and "
                    "history are kept.",
                )
                return redirect("documents:document", pk=document.pk)
        else:
            messages.error(request, "Choose one of the page's forms and send it again.")
            return redirect("documents:document", pk=document.pk)
    except WorkflowError as refusal:
        if move == "publish":
            messages.error(request, refusal.message)
            return redirect("documents:document", pk=document.pk)
        current = Document.objects.get(pk=document.pk)
        if move == "details" and current.version != form.cleaned_data["version"]:
            forms["conflict"] = _conflict(form, current)  # the page says so above the form
        else:
            add_refusal(form, refusal)
    return None


def _offers_publish(document: Document) -> bool:
    """Whether a new version asks if the public should read it: a public document of something
    with a public page (before, each new version is what the public will read)."""
    return document.public and access.has_public_page(document)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def document_page(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_readable(request.user, pk)
    if not access.reads_as_staff(request.user, document):
        # Readable only as the public reads it (a public document of another organisation's
        # published strategy): its file, never the versions' notes or who uploaded them.
        version = document.public_version
        return redirect(
            "documents:download", pk=document.pk, number=version.number, name=version.file_name
        )
    refusal = access.keep_refusal(request.user, document)
    forms: dict = {}
    if request.method == "POST":
        if refusal:
            raise PermissionDenied(refusal)
        if done := _move(request, document, forms):
            return done
    may_keep = refusal is None
    if may_keep:
        forms.setdefault(
            "upload", VersionForm(prefix="upload", offer_publish=_offers_publish(document))
        )
        forms.setdefault(
            "details",
            ChangeDetailsForm(prefix="details", document=document, where=_where(document)),
        )
        forms.setdefault("withdraw", WithdrawForm(prefix="withdraw"))
    return render(
        request,
        "documents/document.html",
        {
            "document": document,
            "strategy": document.strategy,
            "versions": document.versions.select_related("uploaded_by"),
            "withdrawn_by": document.withdrawn_by if document.is_withdrawn else None,
            "is_public": access.is_public(document),
            "offers_publish": may_keep and _offers_publish(document),
            "may_keep": may_keep,
            "forms": forms,
            "conflict": forms.get("conflict"),
        },
    )
