"""The dashboard's filter form: period (a year or a date range) and dimensions."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.widgets import FastSelect

from .filters import DashboardFilters


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Year"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    district = forms.TypedChoiceField(
        label=_("District"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,
    )
    funder = forms.TypedChoiceField(
        label=_("Funder"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,
    )
    theme = forms.TypedChoiceField(
        label=_("Theme"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,
    )
    call = forms.TypedChoiceField(
        label=_("Call for proposals"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        everything = [("", _("All"))]
        self.fields["year"].choices = [("", _("Any period"))] + [
            (y, str(y)) for y in range(this_year, this_year - 15, -1)
        ]
        for name in ("district", "funder", "theme", "call"):
            self.fields[name].choices = everything + list(choices[name + "s"])
        # Plain Bootstrap classes: the page renders the fields itself (fast, and the
        # filter bar stays one compact row).
        for name, field in self.fields.items():
            css = "form-control" if name.startswith("date_") else "form-select"
            field.widget.attrs["class"] = css
            if name in self.errors:
                field.widget.attrs["class"] += " is-invalid"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        if data.get("year") and (start or end):
            self.add_error("year", _("Choose either a year or a date range, not both."))
        return data

    def to_filters(self) -> DashboardFilters:
        """Valid values as filters; an invalid form filters nothing."""
        if not self.is_valid():
            return DashboardFilters()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if data.get("year"):
            start = datetime.date(data["year"], 1, 1)
            end = datetime.date(data["year"], 12, 31)
        return DashboardFilters(
            date_from=start,
            date_to=end,
            district=data.get("district"),
            funder=data.get("funder"),
            theme=data.get("theme"),
            call=data.get("call"),
        )
