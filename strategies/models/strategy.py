from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.functional import cached_property

from .base import Versioned, audit_history
from .organisations import Organisation, User


def with_article(noun: str) -> str:
    """ "a goal", "an outcome": for headings and buttons."""
    noun = noun.lower()
    return f"{'an' if noun[:1] in ('a', 'e', 'i', 'o', 'u') else 'a'} {noun}"


def names_years(title: str, start: int, end: int) -> bool:
    """Whether `title` gives the years `start` to `end` itself, in any common spelling:
    "2020-25", "2020–2025", "2020 to 2025", "2020/25" (any dash, with or without spaces)."""
    ends = f"{end}|{end % 100:02d}"
    spelled = rf"(?<!\d){start}\s*(?:[-\u2010-\u2015\u2212/]|to)\s*(?:{ends})(?!\d)"
    return re.search(spelled, title, flags=re.IGNORECASE) is not None


def partner_links_prefetch() -> Prefetch:
    """A strategy's partner links with their organisations: the partners, and who leads it."""
    return Prefetch(
        "partner_links", queryset=StrategyPartner.objects.select_related("organisation")
    )


class StrategyQuerySet(models.QuerySet):
    def visible_to(self, user) -> StrategyQuerySet:
        """The strategies a signed-in user may read; strategies/access.py builds on this."""
        if not user.is_authenticated:
            return self.none()
        if user.reads_everything:
            return self
        if user.organisation_id is None:
            return self.none()
        from ..readers import further_readable

        allowed = self.involving_q(organisation_id=user.organisation_id) | Q(
            stage__in=Strategy.Stage.public_values()
        )
        if (extra := further_readable(user)) is not None:
            allowed |= extra
        return self.filter(allowed)

    @staticmethod
    def involving_q(**organisation) -> Q:
        """The strategies an organisation works on, as lead or as partner: `organisation_id=` or
        `organisation__slug=` (a Q, to combine with other rules)."""
        (lookup, value), *_ = organisation.items()
        partnered = StrategyPartner.objects.filter(**{lookup: value}).values("strategy_id")
        lead = lookup.replace("organisation", "lead_organisation", 1)
        return Q(**{lead: value}) | Q(pk__in=partnered)

    @staticmethod
    def led_by_q(organisation_id: int) -> Q:
        """The strategies an organisation leads, alone or jointly (a Q)."""
        joint = StrategyPartner.objects.filter(organisation_id=organisation_id, joint_lead=True)
        return Q(lead_organisation_id=organisation_id) | Q(pk__in=joint.values("strategy_id"))

    def involving(self, **organisation) -> StrategyQuerySet:
        """The strategies an organisation works on, as lead or as partner."""
        return self.filter(self.involving_q(**organisation))

    def search(self, text: str) -> StrategyQuerySet:
        return self.filter(title__icontains=text) if text else self

    def for_list(self) -> StrategyQuerySet:
        """With what a list names: the lead organisation and any joint leads."""
        return self.select_related("lead_organisation").prefetch_related(partner_links_prefetch())

    def with_content(self) -> StrategyQuerySet:
        """With everything the content tab shows, in a fixed number of queries."""
        from .content import Action, Objective, OutcomeIndicator, Priority

        return self.select_related("lead_organisation", "replaces").prefetch_related(
            partner_links_prefetch(),
            Prefetch(
                "priorities",
                queryset=Priority.objects.prefetch_related(
                    Prefetch(
                        "objectives",
                        queryset=Objective.objects.prefetch_related(
                            Prefetch(
                                "actions",
                                queryset=Action.objects.select_related("lead_organisation"),
                            )
                        ),
                    )
                ),
            ),
            Prefetch(
                "indicators", queryset=OutcomeIndicator.objects.prefetch_related("objectives")
            ),
            "evidence",
        )


class Strategy(Versioned):
    class Stage(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_GOVERNANCE = "in_governance", "In governance"
        OUT_TO_CONSULTATION = "out_to_consultation", "Out to consultation"
        APPROVED = "approved", "Approved"
        ADOPTED = "adopted", "Adopted"
        PUBLISHED = "published", "Published"
        IN_DELIVERY = "in_delivery", "In delivery"
        UNDER_REVIEW = "under_review", "Under review"
        SUPERSEDED = "superseded", "Superseded"
        WITHDRAWN = "withdrawn", "Withdrawn"

        @classmethod
        def editable_values(cls) -> set[str]:
            """Stages in which officers may change the working text."""
            # Approved text is closed by the workflow's lock (editing_closed_reason) unless the
            # approval asked for amendments; adoption and later close it whatever the lock says.
            return {
                cls.DRAFT,
                cls.IN_GOVERNANCE,
                cls.OUT_TO_CONSULTATION,
                cls.APPROVED,
                cls.UNDER_REVIEW,
            }

        @classmethod
        def route_closed_values(cls) -> set[str]:
            """Stages whose route is closed for good: nothing on it moves again."""
            return {cls.WITHDRAWN, cls.SUPERSEDED}

        @classmethod
        def published_values(cls) -> set[str]:
            """Stages in which the public reads the strategy on its public page."""
            return {cls.PUBLISHED, cls.IN_DELIVERY}

        @classmethod
        def once_published_values(cls) -> set[str]:
            """Stages in which a strategy that was published keeps its public page (which says
            it is being reviewed, or what replaced it)."""
            return {cls.UNDER_REVIEW, cls.SUPERSEDED}

        @classmethod
        def route_settled_values(cls) -> set[str]:
            """Stages with nothing left due on the route: closed, or published and beyond."""
            return cls.route_closed_values() | cls.published_values()

        @classmethod
        def public_values(cls) -> set[str]:
            """Stages in which any organisation's staff may read a strategy (not only the
            organisations working on it): adopted and after."""
            return {cls.ADOPTED, cls.SUPERSEDED} | cls.published_values()

    class TopLevelTerm(models.TextChoices):
        PRIORITY = "priority", "Priority"
        GOAL = "goal", "Goal"
        OUTCOME = "outcome", "Outcome"

        @property
        def plural_label(self) -> str:
            """ "Priorities": each word's plural spelt out, as no rule of adding letters gets
            every word right ("Prioritys"). A new word needs its plural here (a test checks)."""
            return {"priority": "Priorities", "goal": "Goals", "outcome": "Outcomes"}[self.value]

        @classmethod
        def plural_of(cls, word: str) -> str:
            """The plural of a top-level word as stored ("priority") or as a revision's
            snapshot keeps it, its label ("Priority"): the pages of revisions, the published
            strategy and the public consultation read it so. A word that is not one of the
            choices is given back as it is: never misspelt, if not plural."""
            for term in cls:
                if word in (term.value, term.label):
                    return term.plural_label
            return str(word)

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    start_year = models.PositiveSmallIntegerField("first year")
    end_year = models.PositiveSmallIntegerField("last year")
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_strategies"
    )
    partners = models.ManyToManyField(
        Organisation,
        through="StrategyPartner",
        related_name="partner_strategies",
        blank=True,
    )
    vision = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    top_level_term = models.CharField(
        "word for the top level",
        max_length=20,
        choices=TopLevelTerm.choices,
        default=TopLevelTerm.PRIORITY,
        help_text="What this strategy calls its top-level themes.",
    )
    author_name = models.CharField("author", max_length=200, blank=True)
    author_title = models.CharField("author's job title", max_length=200, blank=True)
    contact_name = models.CharField("contact officer", max_length=200, blank=True)
    contact_phone = models.CharField("contact telephone", max_length=40, blank=True)
    contact_email = models.EmailField("contact email", blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name="replaces",
        help_text="The earlier strategy this one refreshes, if any.",
    )
    # When a strategy in delivery is due to be reviewed: set, and acted on, only by the
    # workflow (governance/workflow/lifecycle.py), which reminds its officers when it is due.
    review_due_on = models.DateField("review due", null=True, blank=True, editable=False)
    # The day it was first published (governance.workflow.publish): its public page stays while
    # it is reviewed and after it is replaced, saying so.
    published_on = models.DateField("first published", null=True, blank=True, editable=False)
    # Both written only by governance/workflow/; new strategies start as open drafts.
    stage = models.CharField(max_length=30, choices=Stage.choices, default=Stage.DRAFT)
    editing_closed_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why the content is closed for editing now (e.g. papers published for a "
        "meeting); empty while officers may edit.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = audit_history(excluded_fields=["version", "updated_at"])
    objects = StrategyQuerySet.as_manager()

    SUBJECT_TO_CALL_IN = "Adopted, subject to call-in"
    # While the decisions that adopted the strategy can still be called in, the last day they
    # can be. Not a column: the rule needs the decisions, which are governance's, so
    # governance.deadlines.note_call_in sets it for the strategies a page or download shows.
    call_in_until: datetime.date | None = None
    # Set with it: "called in" or "referred to full council" while a recorded call-in holds
    # the adoption back (governance.deadlines.CallIn.held_label), otherwise "".
    call_in_held: str = ""

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name_plural = "strategies"
        constraints = [
            models.CheckConstraint(
                name="strategy_period_ends_after_it_starts",
                condition=Q(end_year__gt=models.F("start_year")),
                violation_error_message="The period must end after it starts.",
            ),
            models.CheckConstraint(
                name="strategy_does_not_replace_itself",
                condition=~Q(replaces=models.F("id")),
                violation_error_message="A strategy cannot replace itself.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """The period's years are plausible and it ends after it starts: beside the fields, at
        every door (the browser's form and the admin's)."""
        errors = {}
        for name in ("start_year", "end_year"):
            year = getattr(self, name)
            if year is not None and not 1990 <= year <= 2100:
                errors[name] = "Give a year between 1990 and 2100."
        start, end = self.start_year, self.end_year
        if "end_year" not in errors and start and end and end <= start:
            errors["end_year"] = "The last year must be after the first year."
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("strategy", kwargs={"slug": self.slug})

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def title_names_period(self) -> bool:
        """The title already gives the period's years ("Strategy 2020-25")."""
        return names_years(self.title, self.start_year, self.end_year)

    @property
    def title_with_period(self) -> str:
        """The title with its period, as every page, report and feed names the strategy where
        the two go together: "Health and Wellbeing Strategy 2017–2022", but "Strategy 2020-25"
        as it is, never "Strategy 2020-25 2020–2025"."""
        if self.title_names_period:
            return self.title
        return f"{self.title} {self.period}"

    @property
    def stage_label(self) -> str:
        """The stage as every page, list, count and download names it: "Adopted, subject to
        call-in" while the adopting decisions can still be called in (`call_in_until`, as
        governance.deadlines.note_call_in found it), otherwise the stage's own name."""
        if self.stage == self.Stage.ADOPTED and self.call_in_until is not None:
            if self.call_in_held:
                return f"{self.SUBJECT_TO_CALL_IN}: {self.call_in_held}"
            return self.SUBJECT_TO_CALL_IN
        return self.get_stage_display()

    @property
    def has_public_page(self) -> bool:
        """Published, in delivery, or once published and now under review or replaced: the
        public reads it at `/published/<slug>/` (publication.published_strategies)."""
        if self.stage in self.Stage.published_values():
            return True
        return self.published_on is not None and self.stage in self.Stage.once_published_values()

    @property
    def route_is_closed(self) -> bool:
        """Withdrawn or superseded: its route is closed for good."""
        return self.stage in self.Stage.route_closed_values()

    def is_lead_officer(self, user) -> bool:
        """An officer of the lead organisation, or of a partner leading it jointly: who plans,
        edits and hears of this strategy."""
        if not (user.is_authenticated and user.is_officer and user.organisation_id):
            return False
        if user.organisation_id == self.lead_organisation_id:
            return True
        return user.organisation_id in self.joint_lead_ids

    @cached_property
    def joint_lead_ids(self) -> set[int]:
        """The partners leading it jointly (from `partner_links` as prefetched, if it is)."""
        return {link.organisation_id for link in self.partner_links.all() if link.joint_lead}

    @property
    def lead_organisations(self) -> list[Organisation]:
        """The lead organisation, then any joint leads by name: everywhere the lead is named.
        Uses `partner_links__organisation` as prefetched, if it is."""
        joint = [link.organisation for link in self.partner_links.all() if link.joint_lead]
        return [self.lead_organisation, *sorted(joint, key=lambda o: o.name)]

    @property
    def partner_organisations(self) -> list[Organisation]:
        """Every partner, joint leads included, by name (from `partner_links` as prefetched)."""
        return sorted(
            (link.organisation for link in self.partner_links.all()), key=lambda o: o.name
        )

    @property
    def other_partners(self) -> list[Organisation]:
        """The partners that do not lead it jointly, by name."""
        return [o for o in self.partner_organisations if o.pk not in self.joint_lead_ids]

    def _leads(self) -> tuple[str, bool]:
        """ "Dudley MBC and NHS Dudley CCG", and whether there are several."""
        names = [organisation.name for organisation in self.lead_organisations]
        if len(names) == 1:
            return names[0], False
        return f"{', '.join(names[:-1])} and {names[-1]}", True

    @property
    def leads_named(self) -> str:
        """ "Dudley MBC" or "Dudley MBC and NHS Dudley CCG (joint leads)"."""
        names, joint = self._leads()
        return f"{names} (joint leads)" if joint else names

    @property
    def leads_use(self) -> str:
        """ "Dudley MBC uses" or "Dudley MBC and NHS Dudley CCG use": a sentence's start."""
        names, joint = self._leads()
        return f"{names} use" if joint else f"{names} uses"

    def lead_officers(self):
        """The officers of the lead organisation and of any joint lead (a query set of users;
        as `is_lead_officer`, a superuser is not one, whatever their role says)."""
        joint = StrategyPartner.objects.filter(strategy=self, joint_lead=True)
        return User.objects.filter(
            Q(organisation_id=self.lead_organisation_id)
            | Q(organisation_id__in=joint.values("organisation_id")),
            role=User.Role.OFFICER,
            is_superuser=False,
        )

    @property
    def content_closed_reason(self) -> str | None:
        """Why nobody may change the content now, at any door (the browser, the admin, an
        import into it); None while it is open. The workflow closes it: papers published for a
        meeting, approval, adoption and what follows."""
        if self.editing_closed_reason:
            return f"The content is closed for editing: {self.editing_closed_reason}"
        if not self.is_content_editable:
            return (
                f"The content is closed for editing because the strategy is "
                f"{self.get_stage_display().lower()}. A new revision must be opened before it "
                f"can change."
            )
        return None

    @property
    def is_content_editable(self) -> bool:
        return self.stage in self.Stage.editable_values() and not self.editing_closed_reason

    @property
    def top_level_label(self) -> str:
        return self.get_top_level_term_display()

    @property
    def top_level_with_article(self) -> str:
        return with_article(self.top_level_label)

    @property
    def top_level_label_plural(self) -> str:
        return self.TopLevelTerm.plural_of(self.top_level_term)


class StrategyPartner(models.Model):
    """An organisation working with the lead on a strategy (a row, so that its history shows);
    a joint lead leads it with the lead organisation (a joint strategy of a council and a CCG),
    and its officers plan and edit it as the lead's do."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="partner_links")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partner_links"
    )
    joint_lead = models.BooleanField(
        "leads it jointly",
        default=False,
        help_text="Leads the strategy with the lead organisation: its officers may plan and "
        "edit it too.",
    )

    history = audit_history()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "organisation"], name="strategy_partner_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)
