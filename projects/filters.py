"""Filters of the staff screening list (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from alliance_portal.widgets import FastSelect
from members.models import District, FieldOfActivity

from .models import Application, Call

SORTS = {
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
    "number": ("number", "pk"),
    "-number": ("-number", "-pk"),
    "amount": ("requested_amount", "pk"),
    "-amount": ("-requested_amount", "-pk"),
    "organisation": ("organisation__name_ru", "pk"),
}


class ScreeningFilter(django_filters.FilterSet):
    call = django_filters.ModelChoiceFilter(
        label=capfirst(_("call")),
        queryset=Call.objects.order_by("-opens_at"),
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(
        label=capfirst(_("status")),
        choices=[c for c in Application.Status.choices if c[0] != "draft"],
        widget=FastSelect,
    )
    district = django_filters.ModelChoiceFilter(
        label=capfirst(_("district")),
        field_name="districts",
        queryset=District.objects.all(),
        widget=FastSelect,
    )
    theme = django_filters.ModelChoiceFilter(
        label=capfirst(_("theme")),
        queryset=FieldOfActivity.objects.all(),
        widget=FastSelect,
    )
    # A text search: a select of ~700 NGOs is slow to render and to use.
    organisation = django_filters.CharFilter(
        label=capfirst(_("organisation (name or BIN)")), method="by_organisation"
    )
    sort = django_filters.ChoiceFilter(
        label=capfirst(_("sort by")),
        method="sort_by",
        empty_label=capfirst(_("newest first")),
        widget=FastSelect,
        choices=[
            ("submitted", _("oldest first")),
            ("number", _("number")),
            ("-number", _("number, descending")),
            ("-amount", _("amount, largest first")),
            ("amount", _("amount, smallest first")),
            ("organisation", _("organisation")),
        ],
    )

    class Meta:
        model = Application
        fields = ["call", "status", "district", "theme", "organisation"]

    def by_organisation(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(organisation__bin__startswith=value)
        return queryset.filter(
            Q(organisation__name_kk__icontains=value)
            | Q(organisation__name_ru__icontains=value)
        )

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["-submitted"]))
