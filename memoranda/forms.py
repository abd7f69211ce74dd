"""Forms of the memoranda app: they parse and check input, services do the writes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

from .models import Commitment, Memorandum
from .services import PartyData
from .validators import validate_evidence, validate_pdf

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemorandumForm(forms.ModelForm):
    class Meta:
        model = Memorandum
        fields = [
            "kind",
            "number",
            "status",
            "title_kk",
            "title_ru",
            "signed_on",
            "valid_from",
            "valid_until",
            "goals_kk",
            "goals_ru",
            "directions_kk",
            "directions_ru",
            "scan",
        ]
        widgets = {
            "signed_on": DATE,
            "valid_from": DATE,
            "valid_until": DATE,
            "goals_kk": forms.Textarea(attrs={"rows": 4}),
            "goals_ru": forms.Textarea(attrs={"rows": 4}),
            "directions_kk": forms.Textarea(attrs={"rows": 4}),
            "directions_ru": forms.Textarea(attrs={"rows": 4}),
            "scan": forms.FileInput(attrs={"accept": "application/pdf"}),
        }

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        # An unchanged scan is the stored FieldFile; only a new upload is checked.
        if scan and hasattr(scan, "content_type"):
            validate_pdf(scan)
        return scan

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end <= start:
            self.add_error(
                "valid_until",
                _("The end of validity must be after its start."),
            )
        return cleaned

    def _post_clean(self):
        # The service runs the model's full_clean; the form only checks input, so
        # the constraint message does not appear twice.
        pass


class PartyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name_ru")
    )
    signatory_name = forms.CharField(label=_("Signatory"), max_length=200)
    signatory_position_kk = forms.CharField(
        label=_("Position (Kazakh)"), max_length=300
    )
    signatory_position_ru = forms.CharField(
        label=_("Position (Russian)"), max_length=300
    )


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        chosen = [
            form.cleaned_data["organisation"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("organisation")
        ]
        if len(chosen) < 2:
            raise ValidationError(
                _("A memorandum needs at least two parties."), code="too_few_parties"
            )
        if len({o.pk for o in chosen}) != len(chosen):
            raise ValidationError(
                _("Each organisation can be a party only once."),
                code="duplicate_party",
            )

    def parties(self) -> list[PartyData]:
        return [
            PartyData(
                organisation=f.cleaned_data["organisation"],
                signatory_name=f.cleaned_data["signatory_name"],
                signatory_position_kk=f.cleaned_data["signatory_position_kk"],
                signatory_position_ru=f.cleaned_data["signatory_position_ru"],
            )
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=0, can_delete=True, max_num=10
)


def party_formset(*, data=None, memorandum: Memorandum | None = None):
    """Three empty rows for a new memorandum; the current parties plus one empty row
    when editing."""
    if memorandum is None:
        initial = [{}, {}, {}]
    else:
        initial = [
            {
                "organisation": p.organisation_id,
                "signatory_name": p.signatory_name,
                "signatory_position_kk": p.signatory_position_kk,
                "signatory_position_ru": p.signatory_position_ru,
            }
            for p in memorandum.parties.all()
        ] + [{}]
    formset = PartyFormSet(data=data, initial=initial, prefix="parties")
    # One query for the organisation choices, shared by every row.
    # (No row at all when a tampered management form asks for none.)
    choices = (
        list(formset.forms[0].fields["organisation"].choices) if formset.forms else []
    )
    for form in formset.forms:
        form.fields["organisation"].choices = choices
        form.empty_permitted = True
        form.use_required_attribute = False
    return formset


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text_kk", "text_ru", "responsible", "due_on"]
        widgets = {
            "text_kk": forms.Textarea(attrs={"rows": 3}),
            "text_ru": forms.Textarea(attrs={"rows": 3}),
            "due_on": DATE,
        }

    def __init__(self, *args, memorandum: Memorandum, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Organisation.objects.filter(
            memorandum_parties__memorandum=memorandum
        ).order_by("memorandum_parties__order")

    def _post_clean(self):
        # Model checks run in the service (commitment_add / commitment_update).
        pass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class CommitmentProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Commitment.Status.choices)
    note = forms.CharField(
        label=_("Progress note"), widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, JPEG, PNG, DOCX or XLSX, up to 10 MB each."),
    )

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        for upload in files:
            validate_evidence(upload)
        return files


class MemorandumFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Memorandum.Kind.choices],
    )
    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, years: list[int], statuses: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [
            (y, str(y)) for y in years
        ]
        self.fields["status"].choices = [("", _("All statuses")), *statuses]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
