"""A strategy's documents, kept with the record: the strategy itself and its accessible versions
(easy read, plain-English summary, large print, other languages), its equality impact
assessment, a gate's or decision's report, appendices and decision notice, a meeting's agenda
pack and minutes, and a consultation's documents.

A `Document` is what the file is (title, kind, language, whether the public may read it) and
what it belongs to: a strategy (itself, or one of its gates, decisions or consultation windows)
or a meeting. Its files are its `DocumentVersion`s: uploading again adds a version, and the old
ones stay. A version is never changed or deleted, and its SHA-256 is in the audit history;
`verify_audit` checks it against the bytes (`DocumentVersion.audit_findings`). Withdrawing a
document is a recorded move (documents/workflow.py), never a deletion: its files are kept."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import filesizeformat

from governance.models import Decision, Gate, Meeting
from strategies.models import Strategy
from strategies.models.base import Versioned, audit_history

from .languages import LANGUAGES

STORAGE = "documents"


def document_storage():
    """The storage the files are kept in (settings.STORAGES["documents"]): a folder under
    MEDIA_ROOT by default, S3-compatible or Azure storage when the environment says so."""
    return storages[STORAGE]


def version_path(version: DocumentVersion, filename: str) -> str:
    """Where a version's bytes are kept: by document and version, never by the name it came
    with (which is only offered back on download)."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"documents/{version.document_id}/{version.number}-{version.sha256[:16]}.{extension}"


class DocumentQuerySet(models.QuerySet):
    def current(self) -> DocumentQuerySet:
        """Not withdrawn, each with its latest version, in the order pages list them."""
        return self.filter(withdrawn_at__isnull=True, latest__isnull=False).select_related("latest")

    def public(self) -> DocumentQuerySet:
        """The documents the public reads once what they belong to has a public page: those
        marked public, not withdrawn, each with the version the public reads (`public_version`,
        not always the latest). Whether the strategy or consultation has a public page is asked
        of it: documents/access.py."""
        return self.filter(
            withdrawn_at__isnull=True, public=True, public_version__isnull=False
        ).select_related("public_version")

    def of_strategy_itself(self) -> DocumentQuerySet:
        """Those of the strategy itself, not of one of its gates, decisions or consultations."""
        return self.filter(gate=None, decision=None, window=None, meeting=None)


class Document(Versioned):
    class Kind(models.TextChoices):
        STRATEGY = "strategy", "Strategy document"
        EASY_READ = "easy_read", "Easy read version"
        SUMMARY = "summary", "Plain-English summary"
        LARGE_PRINT = "large_print", "Large print version"
        TRANSLATION = "translation", "Version in another language"
        AUDIO_OR_BRAILLE = "alternative", "Other accessible format"
        EQUALITY_IMPACT = "equality_impact", "Equality impact assessment"
        REPORT = "report", "Committee report"
        APPENDIX = "appendix", "Appendix"
        DECISION_NOTICE = "decision_notice", "Decision notice"
        AGENDA_PACK = "agenda_pack", "Agenda pack"
        MINUTES = "minutes", "Minutes"
        CONSULTATION = "consultation", "Consultation document"
        OTHER = "other", "Other paper"

    # The versions of a strategy or consultation document made for those who need another
    # format: the public pages label them so.
    ACCESSIBLE_KINDS = {
        Kind.EASY_READ,
        Kind.SUMMARY,
        Kind.LARGE_PRINT,
        Kind.TRANSLATION,
        Kind.AUDIO_OR_BRAILLE,
    }
    # The kinds that are public by default when added (the person adding may change it).
    PUBLIC_BY_DEFAULT = ACCESSIBLE_KINDS | {Kind.STRATEGY, Kind.CONSULTATION}

    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    gate = models.ForeignKey(
        Gate, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    window = models.ForeignKey(
        "consultation.ConsultationWindow",
        verbose_name="consultation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    language = models.CharField(
        max_length=12,
        choices=LANGUAGES,
        default="en",
        help_text="The language the document is written in.",
    )
    public = models.BooleanField(
        "public",
        default=False,
        help_text="Shown on the strategy's (or consultation's) public page once it has one. "
        "Documents of meetings, gates and decisions stay internal.",
    )
    description = models.TextField(blank=True)
    # The newest version: what pages list and link to.
    latest = models.ForeignKey(
        "DocumentVersion",
        verbose_name="latest version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The version the public reads, once what it belongs to has a public page: set by the first
    # upload and, while nothing is public yet, by each new one; once the strategy (or the
    # consultation) has a public page, only by a deliberate move (documents/workflow.py
    # `publish_version`), so that a draft uploaded during a review is not published by it.
    public_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name="version the public reads",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawn_reason = models.TextField(blank=True, editable=False)

    objects = DocumentQuerySet.as_manager()
    history = audit_history(excluded_fields=["version"])

    class Meta:
        ordering = ["kind", "title", "pk"]
        indexes = [
            models.Index(fields=["strategy", "kind"], name="document_of_strategy"),
        ]
        constraints = [
            models.CheckConstraint(
                name="document_belongs_to_one_thing",
                condition=(
                    Q(
                        meeting__isnull=False,
                        strategy__isnull=True,
                        gate__isnull=True,
                        decision__isnull=True,
                        window__isnull=True,
                    )
                    | (
                        Q(meeting__isnull=True, strategy__isnull=False)
                        & ~Q(gate__isnull=False, decision__isnull=False)
                        & ~Q(gate__isnull=False, window__isnull=False)
                        & ~Q(decision__isnull=False, window__isnull=False)
                    )
                ),
                violation_error_message=(
                    "A document belongs to a meeting, or to a strategy (itself, one of its "
                    "gates, decisions or consultations)."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_accessible_version(self) -> bool:
        return self.kind in self.ACCESSIBLE_KINDS

    @property
    def owner(self):
        """What it belongs to, most particular first: a decision, gate, consultation, meeting
        or the strategy itself."""
        return self.decision or self.gate or self.window or self.meeting or self.strategy

    @property
    def owner_label(self) -> str:
        if self.decision_id:
            return f"Decision: {self.decision}"
        if self.gate_id:
            return f"Gate: {self.gate}"
        if self.window_id:
            return f"Consultation: {self.window}"
        if self.meeting_id:
            return f"Meeting: {self.meeting}"
        return "The strategy"

    @property
    def language_label(self) -> str:
        return self.get_language_display()


class DocumentVersion(models.Model):
    """One file of a document, as uploaded: never changed or deleted once saved."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(storage=document_storage, upload_to=version_path, max_length=300)
    # The name it is offered under on download, made safe (documents/files.py); the name it
    # came with is kept as given, for the record.
    file_name = models.CharField(max_length=200)
    original_name = models.CharField(max_length=300, blank=True)
    content_type = models.CharField(max_length=120)
    format_label = models.CharField("format", max_length=40)
    size = models.PositiveBigIntegerField("size in bytes")
    sha256 = models.CharField("SHA-256", max_length=64)
    note = models.TextField("what changed", blank=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = audit_history()

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.document} (version {self.number})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("A document's version is never changed once saved.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A document's version is never deleted: withdraw the document instead.")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def label(self) -> str:
        """ "PDF, 1.2 MB": what the public pages put beside a link."""
        return f"{self.format_label}, {filesizeformat(self.size)}"

    @classmethod
    def audit_findings(cls):
        """Every version's bytes against its SHA-256 and size, as recorded: a file replaced,
        changed or removed outside Waymark shows (documents/integrity.py)."""
        from .integrity import findings

        return findings(cls.objects.order_by("pk"))
