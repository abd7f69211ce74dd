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
