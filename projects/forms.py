"""Forms of the projects app: calls (staff), the editor's sections, screening."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import formset_factory, inlineformset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from alliance_portal.uploads import max_upload_size
from members.models import District, FieldOfActivity, Organisation

from .models import Application, BudgetLine, Call, RequiredDocument
from .services.screening import EDITABLE_SECTIONS

MAX_MONEY = Decimal("999999999999.99")


class CapfirstLabels:
    """Labels start with a capital letter, as Django's admin shows verbose names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.label = capfirst(field.label)


TEXT_LIMIT = 10000
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def section_titles() -> dict:
    return {
        "organisation": _("Organisation"),
        "general": _("General information"),
        "problem": _("Social problem"),
        "goals": _("Goals and objectives"),
        "target_group": _("Target group"),
        "activities": _("Activities and timeline"),
        "results": _("Expected results"),
        "sustainability": _("Sustainability, team, experience"),
        "budget": _("Budget"),
        "attachments": _("Attachments"),
    }


def _money_field(label, *, required=True):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_MONEY,
    )


# ---- calls ---------------------------------------------------------------------


class CallForm(CapfirstLabels, forms.ModelForm):
    opens_at = forms.DateTimeField(
        label=_("opens at (Kyzylorda time)"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
        ),
    )
    closes_at = forms.DateTimeField(
        label=_("closes at (Kyzylorda time)"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
        ),
    )

    class Meta:
        model = Call
        fields = [
            "title_kk",
            "title_ru",
            "code",
            "funding_source",
            "funder",
            "envelope",
            "min_grant",
            "max_grant",
            "priority_themes",
            "eligible_districts",
            "min_months_registered",
            "membership_required",
            "no_unfinished_reports",
            "opens_at",
            "closes_at",
            "description_kk",
            "description_ru",
        ]
        widgets = {
            "priority_themes": forms.CheckboxSelectMultiple,
            "eligible_districts": forms.CheckboxSelectMultiple,
            "description_kk": forms.Textarea(attrs={"rows": 4}),
            "description_ru": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = Organisation.objects.exclude(
            kind=Organisation.Kind.NGO
        ).order_by("name_ru")
        for name in ("envelope", "min_grant", "max_grant"):
            self.fields[name].min_value = Decimal("0")
            self.fields[name].validators.append(MinValueValidator(Decimal("0")))
        self.fields["min_months_registered"].validators.append(MaxValueValidator(600))

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The call must close after it opens."))
        lo, hi, env = data.get("min_grant"), data.get("max_grant"), data.get("envelope")
        if lo is not None and hi is not None and hi < lo:
            self.add_error("max_grant", _("The maximum must not be below the minimum."))
        if hi is not None and env is not None and env < hi:
            self.add_error("envelope", _("The envelope must cover the maximum grant."))
        return data


RequiredDocumentFormSet = inlineformset_factory(
    Call,
    RequiredDocument,
    fields=["name_kk", "name_ru"],
    extra=2,
    can_delete=True,
)


class CallStatusForm(CapfirstLabels, forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Call.Status.choices)


# ---- the application editor ------------------------------------------------------


class ApplyForm(CapfirstLabels, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class GeneralForm(CapfirstLabels, forms.ModelForm):
    requested_amount = _money_field(_("requested amount, ₸"), required=False)

    class Meta:
        model = Application
        fields = [
            "title",
            "title_ru",
            "theme",
            "districts",
            "settlements",
            "requested_amount",
        ]
        widgets = {"districts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        themes = call.priority_themes.all()
        self.fields["theme"].queryset = (
            themes if themes.exists() else FieldOfActivity.objects.all()
        )
        districts = call.eligible_districts.all()
        self.fields["districts"].queryset = (
            districts if districts.exists() else District.objects.all()
        )

    def clean_requested_amount(self):
        return self.cleaned_data.get("requested_amount") or Decimal("0")


def _text_form(*names, rows=8):
    widgets = {
        n: forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_LIMIT}) for n in names
    }
    meta = type(
        "Meta", (), {"model": Application, "fields": list(names), "widgets": widgets}
    )

    def clean(self):
        data = forms.ModelForm.clean(self)
        for n in names:
            value = data.get(n)
            if isinstance(value, str) and len(value) > TEXT_LIMIT:
                self.add_error(
                    n,
                    _("At most %(n)s characters, please.") % {"n": TEXT_LIMIT},
                )
        return data

    return type(
        "SectionForm", (CapfirstLabels, forms.ModelForm), {"Meta": meta, "clean": clean}
    )


ProblemForm = _text_form("problem")
GoalsForm = _text_form("goals")


class TargetGroupForm(CapfirstLabels, forms.ModelForm):
    beneficiaries_direct = forms.IntegerField(
        label=_("direct beneficiaries"), min_value=0, max_value=10_000_000
    )
    beneficiaries_indirect = forms.IntegerField(
        label=_("indirect beneficiaries"), min_value=0, max_value=10_000_000
    )

    class Meta:
        model = Application
        fields = ["target_group", "beneficiaries_direct", "beneficiaries_indirect"]
        widgets = {
            "target_group": forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_LIMIT})
        }


SustainabilityForm = _text_form("sustainability", "team", "experience", rows=5)

SECTION_FORMS = {
    "general": GeneralForm,
    "problem": ProblemForm,
    "goals": GoalsForm,
    "target_group": TargetGroupForm,
    "sustainability": SustainabilityForm,
}


class ActivityForm(CapfirstLabels, forms.Form):
    activity = forms.CharField(label=_("activity"), max_length=300)
    start = forms.DateField(
        label=_("start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    responsible = forms.CharField(label=_("responsible"), max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end must not be before the start."))
        return data


class ResultForm(CapfirstLabels, forms.Form):
    indicator = forms.CharField(label=_("indicator"), max_length=300)
    baseline = forms.CharField(label=_("baseline"), max_length=100)
    target = forms.CharField(label=_("target"), max_length=100)


class BudgetLineForm(CapfirstLabels, forms.Form):
    # A blank first choice, so that an untouched extra row stays unchanged (skipped).
    category = forms.ChoiceField(
        label=_("category"), choices=[("", "—"), *BudgetLine.Category.choices]
    )
    item = forms.CharField(label=_("item"), max_length=300)
    unit = forms.CharField(label=_("unit"), max_length=50)
    quantity = forms.DecimalField(
        label=_("quantity"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("99999999.99"),
    )
    unit_cost = _money_field(_("unit cost, ₸"))
    cofunding = _money_field(_("co-funding, ₸"), required=False)

    def clean(self):
        data = super().clean()
        qty, cost = data.get("quantity"), data.get("unit_cost")
        cofunding = data.get("cofunding") or Decimal("0")
        data["cofunding"] = cofunding
        if qty is not None and cost is not None:
            total = (qty * cost).quantize(Decimal("0.01"))
            if total > MAX_MONEY:
                self.add_error("unit_cost", _("The line total is too large."))
            elif cofunding > total:
                self.add_error(
                    "cofunding", _("Co-funding cannot exceed the line's total cost.")
                )
        return data


class RowFormSetBase(forms.BaseFormSet):
    """Blank rows are skipped; ``rows()`` gives the cleaned, non-deleted rows."""

    def rows(self) -> list[dict]:
        initial = self.initial_form_count()
        return [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
            for i, f in enumerate(self.forms)
            if (i < initial or f.has_changed())
            and f.cleaned_data
            and not f.cleaned_data.get("DELETE")
        ]


def _row_formset(form):
    return formset_factory(
        form,
        formset=RowFormSetBase,
        extra=0,
        can_delete=True,
        max_num=100,
        validate_max=True,
        absolute_max=200,
    )


ROW_FORMSETS = {
    "activities": (
        _row_formset(ActivityForm),
        ("activity", "start", "end", "responsible"),
    ),
    "results": (_row_formset(ResultForm), ("indicator", "baseline", "target")),
    "budget": (
        _row_formset(BudgetLineForm),
        ("category", "item", "unit", "quantity", "unit_cost", "cofunding"),
    ),
}


class AttachmentForm(CapfirstLabels, forms.Form):
    required_document = forms.ModelChoiceField(
        label=_("document"),
        queryset=RequiredDocument.objects.none(),
        required=False,
        empty_label=_("Other document"),
    )
    file = forms.FileField(label=_("file"))

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_document"].queryset = call.required_documents.all()
        self.fields["file"].help_text = _(
            "PDF, JPEG, PNG, DOCX or XLSX, at most %(mb)s MB."
        ) % {"mb": max_upload_size() // (1024 * 1024)}


# ---- screening -------------------------------------------------------------------


class ReturnForm(CapfirstLabels, forms.Form):
    comment = forms.CharField(
        label=_("general comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        titles = section_titles()
        for section in EDITABLE_SECTIONS:
            self.fields[f"section_{section}"] = forms.CharField(
                label=titles[section],
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        data = super().clean()
        if not any(data.get(f"section_{s}") for s in EDITABLE_SECTIONS):
            raise forms.ValidationError(
                _("Comment at least one section that the applicant must revise.")
            )
        return data

    def section_comments(self) -> dict[str, str]:
        return {
            s: self.cleaned_data[f"section_{s}"]
            for s in EDITABLE_SECTIONS
            if self.cleaned_data.get(f"section_{s}")
        }


class AdmitForm(CapfirstLabels, forms.Form):
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(CapfirstLabels, forms.Form):
    reason = forms.CharField(
        label=_("reason for the rejection"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(CapfirstLabels, forms.Form):
    comment = forms.CharField(
        label=_("why (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
