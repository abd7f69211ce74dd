"""Forms of the resource centre; model constraints are checked by ``full_clean``."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from members.models import Organisation, User

from .models import (
    AkimMeeting,
    AkimProposal,
    Consultation,
    Facility,
    FaqEntry,
    Language,
    Material,
    NewsItem,
    Topic,
)


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


class NewsForm(forms.ModelForm):
    image = forms.FileField(label=_("Image"), required=False)
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    publish = forms.BooleanField(label=_("Publish now"), required=False)

    class Meta:
        model = NewsItem
        fields = [
            "title_kk",
            "title_ru",
            "title_en",
            "body_kk",
            "body_ru",
            "body_en",
            "audience",
            "pinned",
        ]
        widgets = {
            "body_kk": forms.Textarea(attrs={"rows": 6}),
            "body_ru": forms.Textarea(attrs={"rows": 6}),
            "body_en": forms.Textarea(attrs={"rows": 3}),
        }


class DigestForm(forms.Form):
    subscribe = forms.BooleanField(
        label=_("Send me the weekly news digest by email"), required=False
    )


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        choices=[("", _("All topics")), *Topic.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *Language.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class MaterialForm(forms.ModelForm):
    file = forms.FileField(label=_("File"), required=False)
    note = forms.CharField(label=_("What changed"), required=False, max_length=300)

    class Meta:
        model = Material
        fields = [
            "title_kk",
            "title_ru",
            "description_kk",
            "description_ru",
            "topic",
            "language",
            "audience",
        ]
        widgets = {
            "description_kk": forms.Textarea(attrs={"rows": 3}),
            "description_ru": forms.Textarea(attrs={"rows": 3}),
        }


class AskForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["organisation", "topic", "question"]
        widgets = {"question": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        for field in self.fields.values():
            field.label = capfirst(field.label)


class AssignForm(forms.Form):
    consultant = forms.ModelChoiceField(label=_("Consultant"), queryset=User.objects)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = User.objects.filter(
            role__in=["staff", "admin"], is_active=True
        ).order_by("full_name", "email")


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6})
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your mark"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )


class FaqForm(forms.ModelForm):
    class Meta:
        model = FaqEntry
        fields = ["question_kk", "question_ru", "answer_kk", "answer_ru"]
        widgets = {
            f: forms.Textarea(attrs={"rows": 4})
            for f in ["question_kk", "question_ru", "answer_kk", "answer_ru"]
        }


class BookingForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=_("Hall or equipment"), queryset=Facility.objects.none()
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    day = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start = forms.TimeField(
        label=_("From"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end = forms.TimeField(
        label=_("Until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)

    def __init__(self, *args, facilities, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start") and data.get("end"):
            data["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(data["day"], data["start"])
            )
            data["ends_at"] = timezone.make_aware(
                datetime.datetime.combine(data["day"], data["end"])
            )
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", _("A booking must end after it starts."))
        return data


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = AkimMeeting
        fields = ["year", "meets_on", "accepts_until", "venue"]
        widgets = {
            "meets_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "accepts_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


class ProposalForm(forms.ModelForm):
    class Meta:
        model = AkimProposal
        fields = ["organisation", "topic", "problem", "proposal", "district"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "proposal": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        for field in self.fields.values():
            field.label = capfirst(field.label)


class GroupForm(forms.Form):
    group = forms.CharField(label=_("Group"), required=False, max_length=200)


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in AkimProposal.FOLLOW_UP],
    )
    responsible = forms.CharField(
        label=_("Responsible"), required=False, max_length=300
    )
    reason = forms.CharField(
        label=_("Reason for declining"), required=False, max_length=2000
    )
    text = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FilingForm(forms.Form):
    filed_on = forms.DateField(
        label=_("Filed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reference = forms.CharField(label=_("Registration number"), max_length=100)
