"""Filters of the staff screening list (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from members.models import District, FieldOfActivity, Organisation

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
        label=_("call"), queryset=Call.objects.order_by("-opens_at")
    )
    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=[c for c in Application.Status.choices if c[0] != "draft"],
    )
    district = django_filters.ModelChoiceFilter(
        label=_("district"), field_name="districts", queryset=District.objects.all()
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("theme"), queryset=FieldOfActivity.objects.all()
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("organisation"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.NGO),
    )
    sort = django_filters.ChoiceFilter(
        label=_("sort by"),
        method="sort_by",
        empty_label=_("newest first"),
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

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["-submitted"]))
