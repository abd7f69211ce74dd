"""The extra fields of allauth's sign-up form: the person's name (so greetings and the
staff desk show a person, not an email) and an optional phone."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE = re.compile(r"^\+?[\d\s()\-]{7,25}$")


class SignupExtraForm(forms.Form):
    """Read by allauth through ``ACCOUNT_SIGNUP_FORM_CLASS``; ``signup`` is its hook."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise ValidationError(_("Enter your full name."))
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = re.sub(r"\D", "", phone)
        if phone and (not PHONE.match(phone) or not 10 <= len(digits) <= 15):
            raise ValidationError(
                _("Enter a phone number with 10 to 15 digits, e.g. +7 701 234 56 78.")
            )
        return phone

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.phone = self.cleaned_data["phone"]
        user.save(update_fields=["full_name", "phone"])
