from django import forms
from django.utils.translation import gettext_lazy as _

from alliance_portal.uploads import check_upload

# A detached CMS with its certificates is a few KiB; anything near this is not one.
MAX_CMS_BYTES = 512 * 1024


class VerifyForm(forms.Form):
    """Anyone may check a signed copy: the PDF and the .cms the portal gave out."""

    document = forms.FileField(label=_("Signed document (PDF)"))
    signature = forms.FileField(
        label=_("Signature file (.cms)"),
        help_text=_("The .cms file from the signed document's ZIP, one per signer."),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        check_upload(
            upload,
            allowed={"application/pdf"},
            message=_("Choose the PDF document that was signed."),
        )
        return upload

    def clean_signature(self):
        upload = self.cleaned_data["signature"]
        if upload.size > MAX_CMS_BYTES:
            raise forms.ValidationError(_("This is too large to be a signature file."))
        return upload


class RequestForm(forms.Form):
    """Staff name who must sign the document, and what the certificate must show."""

    party = forms.ChoiceField(label=_("Party"))
    signer = forms.ModelChoiceField(label=_("Signer in the portal"), queryset=None)
    expected_iin = forms.CharField(
        label=_("Signer's IIN"),
        required=False,
        max_length=12,
        help_text=_("For a person who signs for themselves."),
    )
    expected_bin = forms.CharField(
        label=_("Organisation's BIN"),
        required=False,
        max_length=12,
        help_text=_(
            "For a signature on behalf of an organisation: its head, or someone the "
            "certificate allows to sign."
        ),
    )

    def __init__(self, *args, **kwargs):
        from members.models import User

        from .models import SigningRequest

        super().__init__(*args, **kwargs)
        self.fields["party"].choices = SigningRequest.Party.choices
        self.fields["signer"].queryset = User.objects.filter(is_active=True).order_by(
            "email"
        )


class SubmitForm(forms.Form):
    """What the page posts after NCALayer signed: the CMS as NCALayer returned it."""

    cms = forms.CharField(max_length=MAX_CMS_BYTES, strip=True)
