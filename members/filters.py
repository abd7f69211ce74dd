import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from alliance_portal.widgets import FastSelect

from .models import District, FieldOfActivity, Organisation


class DirectoryFilter(django_filters.FilterSet):
    """Search by name in either language or by BIN; filter by district, field, member."""

    q = django_filters.CharFilter(label=_("Name or BIN"), method="search")
    district = django_filters.ModelChoiceFilter(
        label=_("district"),
        queryset=District.objects.all(),
        empty_label=_("All districts"),
        widget=FastSelect,
    )
    field = django_filters.ModelChoiceFilter(
        label=_("field of activity"),
        queryset=FieldOfActivity.objects.all(),
        empty_label=_("All fields"),
        widget=FastSelect,
        method="filter_field",
    )
    member = django_filters.ChoiceFilter(
        label=_("membership"),
        choices=[("yes", _("Members of the alliance")), ("no", _("Not members"))],
        empty_label=_("All NGOs"),
        widget=FastSelect,
        method="filter_member",
    )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # PostgreSQL's icontains folds Cyrillic case; SQLite's folds only ASCII, so
        # also try the usual spellings ("умит", "Умит", "УМИТ").
        condition = Q()
        for variant in {value, value.lower(), value.upper(), value.capitalize()}:
            condition |= Q(name_kk__icontains=variant) | Q(name_ru__icontains=variant)
        digits = "".join(value.split())
        if digits.isdigit():
            condition |= Q(bin__startswith=digits)
        return queryset.filter(condition)

    def filter_member(self, queryset, name, value):
        return queryset.filter(is_member=(value == "yes"))

    def filter_field(self, queryset, name, value):
        # A subquery instead of a join: no duplicate rows, no DISTINCT.
        through = Organisation.fields_of_activity.through
        return queryset.filter(
            Exists(
                through.objects.filter(
                    organisation=OuterRef("pk"), fieldofactivity=value
                )
            )
        )
