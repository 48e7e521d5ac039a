"""Officers' pages for strategies and their content. Rules live in access.py and editing.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, editing
from .approvals import approvals_of
from .content import KINDS
from .forms import SnapshotForm, StrategyForm
from .models import Organisation, Priority, Strategy
from .revisions import compare, take_revision


def small_int(value: str) -> int | None:
    """A query-string id, or None: only ASCII digits, and small enough for any database."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


@login_required
@require_GET
def strategy_list(request: HttpRequest) -> HttpResponse:
    strategies = access.visible_strategies(request.user).for_list()
    query = request.GET.get("q", "").strip()[:200]
    organisation = request.GET.get("organisation", "")
    stage = request.GET.get("stage", "")
    strategies = strategies.search(query)
    if small_int(organisation) is not None:
        strategies = strategies.filter(Strategy.objects.led_by_q(small_int(organisation)))
    if stage in Strategy.Stage.values:
        strategies = strategies.filter(stage=stage)
    page = Paginator(strategies, 20).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "strategies/list.html",
        {
            "page": page,
            "query": query,
            "organisation": organisation,
            "stage": stage,
            "organisations": Organisation.objects.all(),
            "stages": Strategy.Stage.choices,
            "filter_query": filters.urlencode(),
            "can_create": access.can_create_strategy(request.user),
        },
    )


def _render_form(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def strategy_create(request: HttpRequest) -> HttpResponse:
    access.require_can_create_strategy(request.user)
    lead = request.user.organisation
    if request.method == "POST":
        with transaction.atomic():
            form = StrategyForm(request.POST, lead_organisation=lead)
            if form.is_valid():
                strategy = editing.save_content_form(form)
                messages.success(request, f"“{strategy.title}” has been created as a draft.")
                return redirect(_back_to(strategy))  # in edit mode: its content comes next
    else:
        form = StrategyForm(lead_organisation=lead)
    return _render_form(request, "strategies/strategy_form.html", {"form": form, "strategy": None})


@login_required
@require_http_methods(["GET", "POST"])
def strategy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = access.get_editable_strategy(request.user, slug)
    if request.method == "POST":
        with transaction.atomic():
            form = StrategyForm(
                request.POST, instance=strategy, lead_organisation=strategy.lead_organisation
            )
            if form.is_valid():
                editing.save_content_form(form)
                messages.success(request, "The strategy's details have been saved.")
                return redirect(strategy)
    else:
        form = StrategyForm(instance=strategy, lead_organisation=strategy.lead_organisation)
    return _render_form(
        request, "strategies/strategy_form.html", {"form": form, "strategy": strategy}
    )


def _kind(kind: str):
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404("No such kind of item.") from None


def _gone(request, strategy: Strategy, what: str) -> HttpResponse:
    """Someone removed the item (or its parent) meanwhile: show what this person typed so that
    nothing is lost, instead of a bare "not found"."""
    typed = [
        (name.replace("_", " ").capitalize(), value)
        for name, value in request.POST.items()
        if name not in {"csrfmiddlewaretoken", "version"} and value.strip()
    ]
    return render(
        request,
        "strategies/item_gone.html",
        {"strategy": strategy, "what": what, "typed": typed},
        status=409,
    )


def _back_to(strategy: Strategy, item=None) -> str:
    """The strategy page in edit mode (where the person came from), at the item if given."""
    url = f"{strategy.get_absolute_url()}?edit=1"
    if item is not None and item.pk:
        return f"{url}#{type(item).__name__.lower()}-{item.pk}"
    return url


@login_required
@require_http_methods(["GET", "POST"])
def content_add(
    request: HttpRequest, slug: str, kind: str, parent_pk: int | None = None
) -> HttpResponse:
    strategy = access.get_editable_strategy(request.user, slug)
    content_kind = _kind(kind)
    parent = None
    if content_kind.parent_key:
        if parent_pk is None:
            raise Http404("Add this item under its parent.")
        parent_kind = KINDS[content_kind.parent_key]
        parent = parent_kind.items_of(strategy).filter(pk=parent_pk).first()
        if parent is None:
            # Removed from this strategy meanwhile: keep what the person typed. An id never in
            # it is not found, whether or not it exists elsewhere (ids cannot be counted).
            if request.method == "POST" and parent_kind.was_in(strategy, parent_pk):
                return _gone(request, strategy, "what you were adding it under")
            raise Http404("No such item in this strategy.")
    item = content_kind.new_item(strategy, parent)
    return _content_form_page(request, strategy, content_kind, item, parent, done="added")


@login_required
@require_http_methods(["GET", "POST"])
def content_edit(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    strategy = access.get_editable_strategy(request.user, slug)
    content_kind = _kind(kind)
    item = content_kind.items_of(strategy).filter(pk=pk).first()
    if item is None:
        # Removed from this strategy meanwhile: keep what the person typed. An id never in it
        # is not found, whether or not it exists elsewhere (ids cannot be counted).
        if request.method == "POST" and content_kind.was_in(strategy, pk):
            return _gone(request, strategy, f"the {content_kind.label_for(strategy).lower()}")
        raise Http404("No such item in this strategy.")
    return _content_form_page(request, strategy, content_kind, item, None, done="saved")


def _content_form_page(request, strategy, content_kind, item, parent, done: str) -> HttpResponse:
    """The add and edit pages of every kind of item: validate and save in one transaction
    (so the edit lock holds), or show the form again with the person's input and errors."""
    form_kwargs = content_kind.form_kwargs(strategy)
    if request.method == "POST":
        with transaction.atomic():
            form = content_kind.form_class(request.POST, instance=item, **form_kwargs)
            if form.is_valid():
                item = editing.save_content_form(form)
                messages.success(request, f"{content_kind.label_for(strategy)} “{item}” {done}.")
                for approval in _approvals(item):
                    if approval.differs_from(item.title, item.description):
                        messages.warning(
                            request,
                            f"These are no longer the words {approval.said[:1].lower()}"
                            f"{approval.said[1:]}; the change is marked in the history.",
                        )
                return redirect(_back_to(strategy, item))
    else:
        form = content_kind.form_class(instance=item, **form_kwargs)
    return render(
        request,
        "strategies/content_form.html",
        {
            "form": form,
            "strategy": strategy,
            "kind": content_kind,
            "kind_label": content_kind.label_for(strategy),
            "kind_with_article": content_kind.with_article(strategy),
            "parent": parent,
            "item": item if item.pk else None,
            "approvals": _approvals(item),
        },
    )


def _approvals(item) -> list:
    """What bodies approved of this item, when it is a priority a decision approved by name
    (approvals.py): the pages that change or remove it warn of it."""
    if not isinstance(item, Priority) or item.pk is None:
        return []
    return approvals_of([item.pk]).get(item.pk, [])


@login_required
@require_http_methods(["GET", "POST"])
def content_delete(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    strategy = access.get_editable_strategy(request.user, slug)
    content_kind = _kind(kind)
    item = get_object_or_404(content_kind.items_of(strategy), pk=pk)
    changed_meanwhile = False
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()[:300]
        try:
            editing.delete_item(item, reason, small_int(request.POST.get("version", "")))
            messages.success(request, f"{content_kind.label_for(strategy)} “{item}” removed.")
            return redirect(_back_to(strategy))
        except editing.StaleItem as stale:
            item, changed_meanwhile = stale.current, True
    return render(
        request,
        "strategies/content_confirm_delete.html",
        {
            "strategy": strategy,
            "item": item,
            "changed_meanwhile": changed_meanwhile,
            "approvals": _approvals(item),
            "kind": content_kind,
            "kind_label": content_kind.label_for(strategy),
            "kind_with_article": content_kind.with_article(strategy),
        },
    )


@login_required
@require_POST
def content_move(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    strategy = access.get_editable_strategy(request.user, slug)
    content_kind = _kind(kind)
    item = get_object_or_404(content_kind.items_of(strategy), pk=pk)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        messages.error(request, "Choose to move the item up or down.")
    elif editing.move_item(item, direction):
        messages.success(request, f"“{item}” moved {direction}.")
    else:
        messages.info(
            request, f"“{item}” is already at the {'top' if direction == 'up' else 'bottom'}."
        )
    return redirect(_back_to(strategy, item))


def _revision_context(request, strategy) -> dict:
    return {
        "strategy": strategy,
        "revisions": strategy.revisions.select_related("created_by"),
        "can_snapshot": strategy.is_lead_officer(request.user),
        "tab": "revisions",
    }


@login_required
@require_http_methods(["GET", "POST"])
def revision_list(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = access.get_visible_strategy(request.user, slug)
    context = _revision_context(request, strategy)
    form = SnapshotForm()
    if request.method == "POST":
        if not context["can_snapshot"]:
            raise PermissionDenied("Only officers of the lead organisation take revisions.")
        form = SnapshotForm(request.POST)
        if form.is_valid():
            revision = take_revision(strategy, form.cleaned_data["label"], by=request.user)
            messages.success(request, f"Revision {revision.number} taken.")
            return redirect("strategies:revisions", slug=strategy.slug)
    context["form"] = form
    return render(request, "strategies/revisions.html", context)


@login_required
@require_GET
def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    strategy = access.get_visible_strategy(request.user, slug)
    revision = get_object_or_404(strategy.revisions.select_related("created_by"), number=number)
    return render(
        request,
        "strategies/revision_detail.html",
        {
            "strategy": strategy,
            "revision": revision,
            "content": revision.content,
            "tab": "revisions",
        },
    )


@login_required
@require_GET
def revision_compare(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = access.get_visible_strategy(request.user, slug)
    context = _revision_context(request, strategy)
    numbers = {side: small_int(request.GET.get(side, "")) for side in ("a", "b")}
    found = {
        r.number: r
        for r in strategy.revisions.filter(number__in=[n for n in numbers.values() if n])
    }
    old, new = found.get(numbers["a"]), found.get(numbers["b"])
    if old is None or new is None:
        messages.error(request, "Choose two revisions of this strategy to compare.")
        return redirect("strategies:revisions", slug=strategy.slug)
    if old.number > new.number:
        old, new = new, old
    rows = compare(old, new)
    show_all = request.GET.get("show") == "all"
    context.update(
        {
            "old": old,
            "new": new,
            "rows": rows if show_all else [r for r in rows if r.status != "unchanged"],
            "show_all": show_all,
            "unchanged_count": sum(r.status == "unchanged" for r in rows),
            "compare_url": reverse("strategies:compare", kwargs={"slug": strategy.slug}),
        }
    )
    return render(request, "strategies/compare.html", context)
