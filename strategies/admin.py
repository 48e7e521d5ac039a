"""Django admin for administrators. Edits go through the same forms and functions as the
browser: versioned forms refuse a stale save, and content changes keep their history."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.shortcuts import redirect
from django.urls import reverse

from accounts import two_factor
from accounts.feed_keys import reset_feed_key

from . import editing
from .admin_base import FingerprintedInline, HistoryAdmin, ReadOnlyAdmin, VersionedAdmin
from .admin_dates import guard_axes_admins
from .models import (
    Action,
    EvidenceSource,
    IndicatorObjective,
    Objective,
    Organisation,
    OutcomeIndicator,
    Priority,
    ReminderPreference,
    Revision,
    SentReminder,
    Strategy,
    StrategyPartner,
    User,
)


def strategies_touched(instance, cleaned: dict) -> list:
    """The strategies whose content a save of `instance` with `cleaned` would change: the one it
    belongs to now (as stored) and the one it would belong to after (a moved item)."""
    touched = []
    if isinstance(instance, Strategy):
        stored = Strategy.objects.filter(pk=instance.pk).first() if instance.pk else None
        return [stored] if stored else []
    if instance.pk:
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
        if stored is not None:
            touched.append(editing.strategy_of(stored))
    for field in ("strategy", "priority", "objective"):
        parent = cleaned.get(field)
        if parent is not None:
            touched.append(parent if field == "strategy" else editing.strategy_of(parent))
            break
    return touched


class ClosedContentMixin:
    """A strategy's details and content, changed in the admin only while the workflow leaves
    its content open (`Strategy.content_closed_reason`), as in the browser: a save or a delete
    of content that papers, approval, adoption or publication have closed is refused with the
    same reason, one item at a time."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        def clean(self):
            cleaned = form.clean(self)
            for strategy in strategies_touched(self.instance, cleaned):
                if reason := strategy.content_closed_reason:
                    self.add_error(None, reason)
                    break
            return cleaned

        return type(form.__name__, (form,), {"clean": clean})

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through editing.delete_item
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        strategy = obj if isinstance(obj, Strategy) else obj and editing.strategy_of(obj)
        if strategy is not None and (reason := strategy.content_closed_reason):
            self.message_user(request, reason, messages.ERROR)
            return redirect(
                reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
            )
        return super().delete_view(request, object_id, extra_context)


class ClosedContentAdmin(ClosedContentMixin, VersionedAdmin):
    """Versioned content; deletes go through editing.delete_item, with the item's history."""

    def delete_model(self, request, obj):
        if isinstance(obj, Strategy):
            return super().delete_model(request, obj)
        editing.delete_item(obj, "Removed in the admin")


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class WaymarkUserAdmin(UserAdmin, HistoryAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["organisation"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Waymark", {"fields": ["organisation", "role", "job_title"]}),
        # The secret itself is never shown: only its owner sees the address, on /calendar/.
        ("Calendar feed", {"fields": ["calendar_token_reset_at"]}),
        # On or off only: the secret stays with its owner's app.
        ("Two-factor sign-in", {"fields": ["two_factor"]}),
    ]
    # When someone signed in and joined are records the sign-in keeps, never typed here.
    readonly_fields = ["last_login", "date_joined", "calendar_token_reset_at", "two_factor"]
    actions = ["reset_calendar_feed", "turn_off_two_factor"]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        ("Waymark", {"fields": ["first_name", "last_name", "email", "organisation", "role"]}),
    ]

    def has_delete_permission(self, request, obj=None) -> bool:
        """People are never deleted, only made inactive (untick *Active*): the history names
        who made each change, and the audit ledger holds those rows as written (audit/)."""
        return False

    @admin.action(description="Reset calendar feed address")
    def reset_calendar_feed(self, request, queryset):
        # Stops a leaked address working at once; the owner finds the new one on /calendar/.
        # Users without an address have nothing to reset and are left without one.
        users = list(queryset.exclude(calendar_token=""))
        for user in users:
            reset_feed_key(user, "Calendar feed address reset by an administrator")
        if not users:
            self.message_user(
                request, "None of them has a calendar feed address to reset.", messages.WARNING
            )
            return
        names = ", ".join(sorted(u.username for u in users))
        self.message_user(
            request,
            f"Reset the calendar feed address of {names}: their old addresses no longer work. "
            f"Each finds the new one on the Calendar feed page.",
            messages.SUCCESS,
        )

    @admin.action(description="Turn off two-factor sign-in (lost phone)")
    def turn_off_two_factor(self, request, queryset):
        # For someone who can no longer get codes: they sign in with their password and can
        # set it up again. Recorded in each person's history with the administrator's name.
        users = list(queryset.filter(two_factor=True))
        for user in users:
            two_factor.turn_off(user, "Two-factor sign-in turned off by an administrator")
        if not users:
            self.message_user(request, "None of them has two-factor sign-in on.", messages.WARNING)
            return
        names = ", ".join(sorted(u.username for u in users))
        self.message_user(
            request,
            f"Turned off two-factor sign-in for {names}: they sign in with their password "
            f"alone until they turn it on again.",
            messages.SUCCESS,
        )


class StrategyPartnerInline(FingerprintedInline, admin.TabularInline):
    model = StrategyPartner
    extra = 0
    autocomplete_fields = ["organisation"]


class PriorityInline(admin.TabularInline):
    model = Priority
    extra = 0
    can_delete = False
    fields = ["position", "title"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    model = EvidenceSource
    extra = 0
    can_delete = False
    fields = ["position", "kind", "title", "year", "url"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    fields = ["number", "label", "created_at", "created_by", "content_hash"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class StrategyAdmin(ClosedContentAdmin):
    """A strategy's details and content. Registered by portal/admin.py, with governance's
    route actions."""

    list_display = ["title", "period", "lead_organisation", "stage", "top_level_term", "updated_at"]
    list_filter = ["stage", "lead_organisation", "top_level_term"]
    list_select_related = ["lead_organisation"]
    search_fields = ["title", "vision", "summary", "author_name", "contact_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["lead_organisation", "replaces"]
    inlines = [StrategyPartnerInline, PriorityInline, EvidenceInline, RevisionInline]
    # The stage follows from the governance route; it is never typed in.
    readonly_fields = ["stage", "editing_closed_reason", "created_at", "updated_at"]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    can_delete = False
    fields = ["position", "title", "commitment_level"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Priority)
class PriorityAdmin(ClosedContentAdmin):
    list_display = ["title", "strategy", "position"]
    list_filter = ["strategy__lead_organisation"]
    list_select_related = ["strategy"]
    search_fields = ["title", "description", "strategy__title"]
    autocomplete_fields = ["strategy"]
    inlines = [ObjectiveInline]


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    can_delete = False
    fields = ["position", "title", "lead_organisation", "lead_team", "due_date", "status", "rag"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Objective)
class ObjectiveAdmin(ClosedContentAdmin):
    list_display = ["title", "priority", "commitment_level", "position"]
    list_filter = ["commitment_level", "priority__strategy"]
    list_select_related = ["priority"]
    search_fields = ["title", "description", "priority__title"]
    autocomplete_fields = ["priority"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(ClosedContentAdmin):
    list_display = [
        "title",
        "objective",
        "lead_organisation",
        "lead_team",
        "due_date",
        "status",
        "rag",
    ]
    list_filter = ["status", "rag", "due_date", "lead_organisation"]
    list_select_related = ["objective", "lead_organisation"]
    search_fields = ["title", "milestone", "lead_team"]
    autocomplete_fields = ["objective", "lead_organisation"]
    # Set by each progress update (delivery/plan.py), never typed here.
    readonly_fields = ["status", "rag"]


class IndicatorObjectiveInline(FingerprintedInline, admin.TabularInline):
    model = IndicatorObjective
    extra = 0
    autocomplete_fields = ["objective"]


@admin.register(OutcomeIndicator)
class OutcomeIndicatorAdmin(ClosedContentAdmin):
    list_display = ["code", "title", "framework", "strategy", "baseline", "target", "latest_value"]
    list_filter = ["framework", "strategy"]
    list_select_related = ["strategy"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["strategy"]
    inlines = [IndicatorObjectiveInline]


@admin.register(EvidenceSource)
class EvidenceSourceAdmin(ClosedContentAdmin):
    list_display = ["title", "kind", "year", "strategy"]
    list_filter = ["kind"]
    list_select_related = ["strategy"]
    search_fields = ["title"]
    autocomplete_fields = ["strategy"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    """Revisions are evidence: officers take them on the strategy's revisions page (or the
    workflow does at a decision); here they can be read, never added, changed or deleted."""

    list_display = ["strategy", "number", "label", "created_at", "created_by"]
    list_filter = ["strategy"]
    list_select_related = ["strategy", "created_by"]
    search_fields = ["label", "strategy__title"]
    readonly_fields = [
        "strategy",
        "number",
        "label",
        "content",
        "content_hash",
        "created_at",
        "created_by",
    ]


@admin.register(StrategyPartner)
class StrategyPartnerAdmin(ClosedContentMixin, HistoryAdmin):
    """Partners and joint leads are part of a strategy's details: closed with its content."""

    list_display = ["strategy", "organisation", "joint_lead"]
    list_filter = ["joint_lead", "organisation"]
    list_select_related = ["strategy", "organisation"]
    search_fields = ["strategy__title", "organisation__name"]
    autocomplete_fields = ["strategy", "organisation"]


@admin.register(IndicatorObjective)
class IndicatorObjectiveAdmin(ClosedContentMixin, HistoryAdmin):
    """Which objectives an indicator measures: closed with the strategy's content."""

    list_display = ["indicator", "objective"]
    list_select_related = ["indicator", "objective"]
    search_fields = ["indicator__title", "objective__title"]
    autocomplete_fields = ["indicator", "objective"]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(ReadOnlyAdmin):
    """Each person chooses their reminders at /account/reminders/ (with a reason, kept in the
    history); administrators can see the choices here."""

    list_display = ["user", "kind", "enabled"]
    list_filter = ["kind", "enabled"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnlyAdmin):
    """The sent-log: which reminder went to whom and when (portal/reminders/sending.py)."""

    list_display = ["sent_at", "kind", "key", "recipient"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["key", "recipient__username", "recipient__email"]
    date_hierarchy = "sent_at"


guard_axes_admins()
