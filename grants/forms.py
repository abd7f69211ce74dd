"""Forms of the grants app: they parse and check input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from alliance_portal.money import format_tenge
from alliance_portal.widgets import FastSelect
from grants.models import Grant, GrantBudgetLine, Tranche
from grants.validators import validate_image, validate_image_or_pdf, validate_pdf
from members.models import District, Organisation
from projects.models import Call

MONEY = {"max_digits": 14, "decimal_places": 2}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MoneyField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.01"))
        super().__init__(**MONEY, **kwargs)


class GrantCreateForm(forms.Form):
    amount = MoneyField(
        label=_("Grant amount, ₸"),
        help_text=_("The council's amount or less; never more."),
    )
    starts_on = forms.DateField(label=_("Period start"), widget=DateInput())
    ends_on = forms.DateField(label=_("Period end"), widget=DateInput())
    envelope_override_reason = forms.CharField(
        label=_("Reason for exceeding the call's envelope"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the call's budget envelope would be exceeded."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end <= start:
            self.add_error(
                "ends_on", _("The end of the period must be after its start.")
            )
        return data


class AmountForm(forms.Form):
    amount = MoneyField(label=_("Grant amount, ₸"))


class BudgetForm(forms.Form):
    """One amount per budget line of the grant."""

    def __init__(self, *args, grant: Grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.grant = grant
        self.lines = list(grant.budget_lines.all())
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=line.item, min_value=0, initial=line.planned, **MONEY
            )

    def clean(self):
        data = super().clean()
        total = sum(
            (data.get(f"line_{line.pk}") or Decimal(0) for line in self.lines),
            Decimal(0),
        )
        if not self.errors and total != self.grant.amount:
            raise ValidationError(
                _("The budget lines add up to %(total)s, but the grant is %(amount)s.")
                % {
                    "total": format_tenge(total),
                    "amount": format_tenge(self.grant.amount),
                }
            )
        return data

    def planned(self) -> dict[int, Decimal]:
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}


class TrancheRowForm(forms.Form):
    planned_on = forms.DateField(label=_("Planned date"), widget=DateInput())
    amount = MoneyField(label=_("Amount, ₸"))
    condition = forms.ChoiceField(
        label=_("Condition"), choices=Tranche.Condition.choices
    )
    # Bounded by what the column holds: a bigger number is a form error, not a 500.
    condition_report_number = forms.IntegerField(
        label=_("Report number"), required=False, min_value=1, max_value=32767
    )

    def clean(self):
        data = super().clean()
        if data.get("condition") == Tranche.Condition.REPORT_APPROVED and not data.get(
            "condition_report_number"
        ):
            self.add_error(
                "condition_report_number", _("Say which report releases the tranche.")
            )
        return data


class BaseScheduleFormSet(forms.BaseFormSet):
    def __init__(self, *args, grant: Grant, **kwargs):
        self.grant = grant
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        rows = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if not rows:
            raise ValidationError(_("The schedule needs at least one tranche."))
        total = sum((row["amount"] for row in rows), Decimal(0))
        if total != self.grant.amount:
            raise ValidationError(
                _("The tranches add up to %(total)s, but the grant is %(amount)s.")
                % {
                    "total": format_tenge(total),
                    "amount": format_tenge(self.grant.amount),
                }
            )

    def items(self) -> list[dict]:
        return [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


ScheduleFormSet = forms.formset_factory(
    TrancheRowForm, formset=BaseScheduleFormSet, extra=1, can_delete=True
)


class SignForm(forms.Form):
    scan = forms.FileField(
        label=_("Signed contract scan (PDF)"), validators=[validate_pdf]
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Payment date"), widget=DateInput())
    payment_document = forms.CharField(
        label=_("Payment document number"), max_length=100
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExpenditureForm(forms.Form):
    budget_line = forms.ModelChoiceField(
        label=_("Budget line"), queryset=GrantBudgetLine.objects.none()
    )
    spent_on = forms.DateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(label=_("Description"), max_length=500)
    amount = MoneyField(label=_("Amount, ₸"))
    supplier = forms.CharField(label=_("Supplier"), max_length=300)
    payment_document = forms.CharField(label=_("Payment document"), max_length=100)
    receipt = forms.FileField(
        label=_("Receipt scan (image or PDF)"),
        required=False,
        validators=[validate_image_or_pdf],
    )

    def __init__(self, *args, grant: Grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = grant.budget_lines.all()
        self.fields["spent_on"].help_text = _("Within %(start)s – %(end)s") % {
            "start": grant.starts_on.strftime("%d.%m.%Y"),
            "end": grant.ends_on.strftime("%d.%m.%Y"),
        }


class RevisionForm(forms.Form):
    from_line = forms.ModelChoiceField(
        label=_("From line"), queryset=GrantBudgetLine.objects.none()
    )
    to_line = forms.ModelChoiceField(
        label=_("To line"), queryset=GrantBudgetLine.objects.none()
    )
    amount = MoneyField(label=_("Amount, ₸"))
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, grant: Grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_line"].queryset = grant.budget_lines.all()
        self.fields["to_line"].queryset = grant.budget_lines.all()


class ReportForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period until"), widget=DateInput())
    activities = forms.CharField(
        label=_("Activities done"), widget=forms.Textarea(attrs={"rows": 4})
    )
    results = forms.CharField(
        label=_("Results against the application's indicators"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    beneficiaries_reached = forms.IntegerField(
        label=_("Beneficiaries reached"), min_value=0, max_value=10_000_000
    )
    photo = forms.FileField(
        label=_("Photo (optional)"), required=False, validators=[validate_image]
    )


class MonitoringForm(forms.Form):
    visited_on = forms.DateField(label=_("Date of visit"), widget=DateInput())
    visitors = forms.CharField(label=_("Who went"), max_length=500)
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4})
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(i, str(i)) for i in range(1, 6)]
    )
    follow_up = forms.CharField(
        label=_("Follow-up actions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GrantFilterForm(forms.Form):
    call = forms.ModelChoiceField(
        label=_("Call"), queryset=Call.objects.all(), required=False, widget=FastSelect
    )
    funder = forms.ModelChoiceField(
        label=_("Funder"),
        # A semi-join on the funder index, not a DISTINCT over every grant.
        queryset=Organisation.objects.filter(
            Exists(Grant.objects.filter(funder=OuterRef("pk")))
        ).order_by("pk"),
        required=False,
        widget=FastSelect,
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        required=False,
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", "—"), *Grant.Status.choices],
        required=False,
        widget=FastSelect,
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "call": data["call"].pk if data.get("call") else None,
            "funder": data["funder"].pk if data.get("funder") else None,
            "district": data["district"].pk if data.get("district") else None,
            "status": data.get("status") or None,
        }
