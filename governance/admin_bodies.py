"""The admin's bodies, wherever it lists or offers them. Bodies of different organisations may
share a name ("Cabinet"), so each is named with its organisation (Body.with_organisation) in
the lists, their filters, the pickers and the autocomplete (BodyAdmin.autocomplete_label); and
a body's secretaries are chosen from the board secretaries of its organisation
(Body.possible_secretaries), anyone else refused beside the field by BodySecretary.clean."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from strategies.admin_base import FingerprintedInline
from strategies.models import User

from .models import Body, BodySecretary


class BodyListFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        return [(b.pk, b.with_organisation) for b in Body.objects.select_related("organisation")]


class BodyChoices:
    """Body pickers (a select or an autocomplete) name each body with its organisation."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Body:
            kwargs.setdefault("queryset", Body.objects.select_related("organisation"))
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.related_model is Body:
            field.label_from_instance = lambda body: body.with_organisation
        return field


@admin.display(description="body", ordering="body__name")
def body_with_organisation(obj) -> str:
    return obj.body.with_organisation


def secretary_label(user: User) -> str:
    """ "Sam Jones (Dudley MBC)": a person offered as a secretary, with their organisation."""
    where = user.organisation.display_name if user.organisation else user.get_role_display()
    return f"{user.display_name} ({where})"


class OfferedChoiceField(forms.ModelChoiceField):
    """Offers the choices given, but takes anyone of its query set, so that someone else posted
    is refused by the model's own rule, with its words (BodySecretary.clean), rather than as
    "not one of the available choices"."""

    def __init__(self, *args, offered: list[tuple[int, str]], **kwargs) -> None:
        self.offered = offered
        super().__init__(*args, **kwargs)

    @property
    def choices(self):
        return [("", self.empty_label), *self.offered]

    @choices.setter
    def choices(self, value) -> None:  # set from the query set; what is offered stays
        self.widget.choices = self.choices


class BodySecretaryInline(FingerprintedInline, admin.TabularInline):
    """A body's secretaries. Offered: the board secretaries of its organisation (and whoever
    serves it now, so that a link made before the rule shows, to be taken away); anyone else
    is refused beside the field by BodySecretary.clean. The search of the autocomplete the user
    field had could not know the body, so it is a plain list: a body has few candidates."""

    model = BodySecretary
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["user"]
        if obj is None:  # a new body: its organisation is chosen on the same page
            offered = User.objects.filter(role=User.Role.SECRETARY)
        else:
            offered = obj.possible_secretaries() | User.objects.filter(
                pk__in=obj.secretary_links.values("user_id")
            )
        offered = offered.select_related("organisation").order_by("last_name", "username")
        formset.form.base_fields["user"] = OfferedChoiceField(
            queryset=User.objects.all(),
            offered=[(user.pk, secretary_label(user)) for user in offered],
            label=field.label,
        )
        return formset
