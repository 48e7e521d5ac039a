"""Who reads a document and who keeps it: both follow what it belongs to.

Reading: a strategy's document (of the strategy itself, a gate, a decision or a consultation)
is read by whoever reads the strategy (strategies.access); a meeting's by whoever sees the
meeting (governance.access: its body's secretaries, managers and administrators). Anyone,
signed in or not, reads a document marked public, not withdrawn, once what it belongs to has
a public page: the strategy's published page, or the consultation's public page. Everything
else answers 404, as if it did not exist.

Keeping (adding, uploading a new version, changing details, withdrawing): the strategy's
planners (its lead organisation's officers, and administrators) keep its documents; a secretary
of the body of a gate or decision keeps that gate's or decision's (the report's appendices, the
decision notice) as well; a meeting's documents are its body's secretaries'. Nothing is added to
a withdrawn or superseded strategy's record.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from governance.access import can_see_meetings, visible_meetings
from governance.models import Body, Decision, Gate, Meeting
from governance.workflow import is_planner_of, is_secretary_of
from strategies.models import Strategy, User

from .models import Document


def has_public_page(document: Document) -> bool:
    """Whether what the document belongs to has a public page: the consultation's once it has
    opened, the strategy's once published. A meeting's, gate's and decision's papers have
    none."""
    if document.window_id:
        return document.window.has_public_page
    if document.meeting_id or document.gate_id or document.decision_id:
        return False
    return document.strategy.has_public_page


def is_public(document: Document) -> bool:
    """Whether the public reads it now: marked public, not withdrawn, with a version for the
    public, and what it belongs to has a public page."""
    if not document.public or document.is_withdrawn or document.public_version_id is None:
        return False
    return has_public_page(document)


def readable(user: User):
    """The documents `user` reads as staff (the public ones aside)."""
    if not user.is_authenticated:
        return Document.objects.none()
    strategies = Strategy.objects.visible_to(user).values("pk")
    condition = Q(strategy__in=strategies)
    if can_see_meetings(user):
        condition |= Q(meeting__in=visible_meetings(user).values("pk"))
    return Document.objects.filter(condition)


def reads_as_staff(user: User, document: Document) -> bool:
    """Whether `user` reads the document as staff (every version, its notes, who uploaded
    them), not only as the public reads it."""
    return readable(user).filter(pk=document.pk).exists()


def can_read(user: User, document: Document) -> bool:
    return is_public(document) or reads_as_staff(user, document)


def can_read_version(user: User, document: Document, version) -> bool:
    """Staff who read the document read every version; the public, only the one it reads."""
    if reads_as_staff(user, document):
        return True
    return is_public(document) and version.pk == document.public_version_id


def get_readable(user: User, pk: int) -> Document:
    """The document at `pk` if `user` may read it; 404 otherwise."""
    document = (
        Document.objects.select_related(
            "strategy",
            "gate__body",
            "decision__gate__body",
            "window",
            "meeting__body",
            "latest",
            "public_version",
        )
        .filter(pk=pk)
        .first()
    )
    if document is None or not can_read(user, document):
        raise Http404("No document here, or not one you can see.")
    return document


def body_of(document: Document) -> Body | None:
    """The body whose secretaries keep the document too: its meeting's, gate's or decision's."""
    if document.meeting_id:
        return document.meeting.body
    if document.decision_id:
        return document.decision.gate.body
    if document.gate_id:
        return document.gate.body
    return None


def owner_and_body(target) -> tuple[Strategy | Meeting, Body | None]:
    """What `target` (a Document, Strategy, Gate, Decision, consultation window or Meeting)
    belongs to at the top (its strategy, or a meeting), and the body whose secretaries keep it
    too."""
    if isinstance(target, Document):
        return (target.meeting or target.strategy), body_of(target)
    if isinstance(target, Strategy):
        return target, None
    if isinstance(target, Meeting):
        return target, target.body
    if isinstance(target, Gate):
        return target.strategy, target.body
    if isinstance(target, Decision):
        return target.gate.strategy, target.gate.body
    return target.strategy, None  # a consultation window


def keep_refusal(user: User | None, target) -> str | None:
    """Why `user` may not add to (or change) the documents of `target`, or None. `target` is a
    Document, or what documents are added to: a Strategy, Gate, Decision, consultation window
    or Meeting."""
    if user is None or not user.is_authenticated:
        return "Sign in to keep documents."
    if isinstance(target, Document) and target.is_withdrawn:
        return "This document has been withdrawn: it is kept as it was."
    owner, body = owner_and_body(target)
    if isinstance(owner, Meeting):
        if is_secretary_of(user, owner.body):
            return None
        return f"Only a secretary of the {owner.body} (or an administrator) keeps its papers."
    if owner.route_is_closed:
        return (
            f"This strategy is {owner.get_stage_display().lower()}: its record is closed, and "
            f"its documents are kept as they are."
        )
    if is_planner_of(user, owner) or (body is not None and is_secretary_of(user, body)):
        return None
    if body is not None:
        return (
            f"Only officers of the lead organisation, or a secretary of the {body}, keep these "
            f"documents."
        )
    return (
        "Only officers of the lead organisation (or an administrator) keep this strategy's "
        "documents."
    )
