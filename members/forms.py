from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.signup import SignupExtraForm

from .models import BankAccount, Organisation
from .services import DUPLICATE_BIN
from .validators import validate_bin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BinField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("BIN"))
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault(
            "help_text", _("12 digits, as in the registration certificate.")
        )
        kwargs.setdefault("validators", [validate_bin])
        super().__init__(**kwargs)

    def to_python(self, value):
        # People paste BINs with spaces: "990 440 003 337".
        return "".join((super().to_python(value) or "").split())


class OrganisationProfileForm(forms.ModelForm):
    """Everything a leader may change without staff confirmation."""

    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Organisation
        fields = [
            "district",
            "registration_date",
            "fields_of_activity",
            "address",
            "phone",
            "email",
            "website",
            "leader_name",
            "description_kk",
            "description_ru",
            "logo",
        ]
        widgets = {
            "registration_date": DATE_WIDGET,
            "fields_of_activity": forms.CheckboxSelectMultiple,
            "description_kk": forms.Textarea(attrs={"rows": 3}),
            "description_ru": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].required = True
        self.fields["logo"].widget = forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
        )

    def clean_registration_date(self):
        value = self.cleaned_data.get("registration_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value

    def profile_data(self) -> dict:
        data = {}
        for key, value in self.cleaned_data.items():
            if key == "fields_of_activity" or (key == "logo" and value is None):
                continue
            data[key] = "" if key == "logo" and value is False else value
        return data


class OrganisationCreateForm(OrganisationProfileForm):
    """A new NGO: its legal identity plus the profile."""

    class Meta(OrganisationProfileForm.Meta):
        fields = [
            "name_kk",
            "name_ru",
            "legal_form",
            "bin",
            *OrganisationProfileForm.Meta.fields,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bin"] = BinField(required=True)
        self.order_fields(["name_kk", "name_ru", "legal_form", "bin"])

    def clean_bin(self):
        value = self.cleaned_data["bin"]
        if Organisation.objects.filter(bin=value).exists():
            raise ValidationError(DUPLICATE_BIN)
        return value

    def validate_constraints(self):  # the service checks the BIN with a clear message
        return None


class OrganisationStaffForm(OrganisationProfileForm):
    """Staff edit the whole record at once, the legal identity included."""

    class Meta(OrganisationProfileForm.Meta):
        fields = [
            "name_kk",
            "name_ru",
            "kind",
            "legal_form",
            "bin",
            *OrganisationProfileForm.Meta.fields,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bin"] = BinField(required=False)
        self.fields["district"].required = False
        self.order_fields(["name_kk", "name_ru", "kind", "legal_form", "bin"])

    def clean_bin(self):
        # Also checked by the service; here so the message sits on the field rather
        # than coming back as the model constraint's form-wide error.
        value = self.cleaned_data["bin"]
        taken = Organisation.objects.filter(bin=value).exclude(pk=self.instance.pk)
        if value and taken.exists():
            raise ValidationError(DUPLICATE_BIN)
        return value

    def staff_data(self) -> dict:
        return {
            **self.profile_data(),
            "fields_of_activity": self.cleaned_data["fields_of_activity"],
        }


class DocumentForm(forms.Form):
    """A private document; its type and size are checked by the service."""

    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, image, DOCX or XLSX, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp,.gif,.docx,.xlsx"}
        ),
    )


class LegalChangeForm(forms.Form):
    name_kk = forms.CharField(label=_("name (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("name (Russian)"), max_length=300)
    legal_form = forms.ChoiceField(
        label=_("legal form"), choices=Organisation.LegalForm.choices
    )
    bin = BinField(required=False)


class JoinForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"),
        queryset=Organisation.objects.filter(
            kind=Organisation.Kind.NGO, is_published=True
        ).order_by("name_ru"),
    )


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=_("statement"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Why your organisation wants to join the alliance and what it brings."
        ),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
    )
    reason = forms.CharField(label=_("reason"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give a reason for declining."))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class MembershipActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("action"),
        choices=[
            ("suspend", _("Suspend membership")),
            ("reinstate", _("Reinstate membership")),
            ("end", _("End membership")),
        ],
    )
    on = forms.DateField(label=_("date"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "CSV (UTF-8) or XLSX with a header row: name_kk, name_ru, bin, district, "
            "legal_form, registration_date, fields_of_activity, address, phone, email, "
            "website, leader_name."
        ),
    )


class SignupConsentForm(SignupExtraForm):
    """allauth's sign-up form builds on this: the person's name and optional phone,
    and the consent to the privacy notice, required and recorded with the notice's
    version and the time."""

    # The consent after the password fields, just above the button.
    field_order = ["full_name", "phone", "email", "password1", "password2", "consent"]

    consent = forms.BooleanField(
        label=_(
            "I agree to the processing of my personal data as the privacy notice "
            "describes."
        ),
        required=True,
    )

    def signup(self, request, user):
        from .models import Consent
        from .privacy import consent_record

        super().signup(request, user)
        consent_record(context=Consent.Context.SIGNUP, subject=user)


class RequisitesForm(forms.ModelForm):
    """The organisation's requisites for contracts; bank accounts in a formset."""

    class Meta:
        model = Organisation
        fields = [
            "legal_address",
            "leader_name",
            "head_position_kk",
            "head_position_ru",
            "authority_basis",
            "attorney_number",
            "attorney_date",
        ]
        widgets = {"attorney_date": DATE_WIDGET}
        labels = {"leader_name": _("head's full name (the signatory)")}
        help_texts = {
            "head_position_kk": _("As it is written in a contract, e.g. «Төраға»."),
            "head_position_ru": _(
                "As it is written in a contract, e.g. «Председатель»."
            ),
            "attorney_number": _("Only when the head signs under a power of attorney."),
        }

    def clean(self):
        data = super().clean()
        if data.get("authority_basis") == Organisation.AuthorityBasis.ATTORNEY:
            if not (data.get("attorney_number") or "").strip():
                self.add_error(
                    "attorney_number", _("Give the number of the power of attorney.")
                )
            if not data.get("attorney_date"):
                self.add_error(
                    "attorney_date", _("Give the date of the power of attorney.")
                )
        return data

    def requisites_data(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in self.Meta.fields}


class CompactCodeField(forms.CharField):
    """IBANs and BIKs are pasted with spaces and in lower case: keep the code only."""

    def to_python(self, value):
        return "".join((super().to_python(value) or "").split()).upper()


class BankAccountForm(forms.ModelForm):
    iban = CompactCodeField(label=_("IBAN"), max_length=40)
    bik = CompactCodeField(label=_("BIK"), max_length=20)

    class Meta:
        model = BankAccount
        fields = ["bank_name", "iban", "bik", "kbe", "is_primary"]

    def clean_iban(self):
        value = self.cleaned_data["iban"]
        BankAccount._meta.get_field("iban").run_validators(value)
        return value

    def clean_bik(self):
        value = self.cleaned_data["bik"]
        BankAccount._meta.get_field("bik").run_validators(value)
        return value


BankAccountFormSet = forms.inlineformset_factory(
    Organisation,
    BankAccount,
    form=BankAccountForm,
    extra=1,
    can_delete=True,
    max_num=10,
)


def account_rows(formset) -> list[dict]:
    """The formset's accounts as the requisites service takes them."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        data = form.cleaned_data
        rows.append(
            {
                "id": form.instance.pk,
                "delete": bool(data.get("DELETE")),
                **{
                    f: data.get(f)
                    for f in ("bank_name", "iban", "bik", "kbe", "is_primary")
                },
            }
        )
    return rows
