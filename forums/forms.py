"""Forms of the forums app; model constraints are checked by ``full_clean``."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from members.models import District, Organisation

from .models import AgendaSession, Event, Forum, Resolution

DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CapitalisedLabels:
    """Plain forms reuse the models' lower-case verbose names as labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


class ForumForm(forms.ModelForm):
    class Meta:
        model = Forum
        fields = [
            "number",
            "level",
            "theme_kk",
            "theme_ru",
            "starts_on",
            "ends_on",
            "district",
            "venue",
            "organisers",
            "capacity",
            "registration_deadline",
            "guests_of_note",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "registration_deadline": DATETIME,
            "organisers": forms.SelectMultiple(attrs={"size": 6}),
            "guests_of_note": forms.Textarea(attrs={"rows": 3}),
        }


class AgendaSessionForm(forms.ModelForm):
    class Meta:
        model = AgendaSession
        fields = ["starts_at", "ends_at", "title_kk", "title_ru", "speakers"]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "speakers": forms.Textarea(attrs={"rows": 2}),
        }


class ResolutionForm(forms.ModelForm):
    class Meta:
        model = Resolution
        fields = ["number", "text_kk", "text_ru", "responsible", "deadline", "status"]
        widgets = {
            "deadline": DATE,
            "text_kk": forms.Textarea(attrs={"rows": 3}),
            "text_ru": forms.Textarea(attrs={"rows": 3}),
        }


class ResolutionEditForm(ResolutionForm):
    """After adoption the status moves only with a progress note (its history)."""

    class Meta(ResolutionForm.Meta):
        fields = ["number", "text_kk", "text_ru", "responsible", "deadline"]


class ResolutionNoteForm(CapitalisedLabels, forms.Form):
    text = forms.CharField(
        label=_("progress note"), widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(label=_("status"), choices=Resolution.Status.choices)


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "kind",
            "title_kk",
            "title_ru",
            "starts_at",
            "ends_at",
            "district",
            "venue",
            "organiser",
            "description_kk",
            "description_ru",
            "capacity",
            "registration_deadline",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "registration_deadline": DATETIME,
            "description_kk": forms.Textarea(attrs={"rows": 3}),
            "description_ru": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].required = True


class MaterialForm(CapitalisedLabels, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(
        label=_("file"), help_text=_("PDF, office document or image, up to 10 MB.")
    )


class RegistrationForm(CapitalisedLabels, forms.Form):
    full_name = forms.CharField(label=_("delegate's full name"), max_length=200)
    position = forms.CharField(label=_("position"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none()
    )
    district = forms.ModelChoiceField(
        label=_("district"),
        queryset=District.objects.all(),
        required=False,
        help_text=_("Empty: the organisation's district."),
    )
    email = forms.EmailField(label=_("email"), required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_(
            "The delegate agreed to the processing of their personal data as the "
            "privacy notice describes."
        ),
        required=True,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("Give an email or a phone number."))
        return data


class CalendarFilterForm(CapitalisedLabels, forms.Form):
    district = forms.ChoiceField(label=_("district"), required=False)
    kind = forms.ChoiceField(label=_("kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("All districts"))] + [
            (d.code, d.name) for d in District.objects.all()
        ]
        self.fields["kind"].choices = [
            ("", _("All kinds")),
            ("forum", _("Forum")),
            *Event.Kind.choices,
        ]
