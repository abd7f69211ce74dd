import copy
import functools
import re

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from alliance_portal.money import format_tenge
from alliance_portal.permissions import Role
from alliance_portal.widgets import FastSelect
from members.models import User
from projects.models import Application

from .models import (
    CallReviewSettings,
    ConflictDeclaration,
    CouncilDecision,
    Criterion,
    ExpertProfile,
    Review,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CallSettingsForm(forms.ModelForm):
    class Meta:
        model = CallReviewSettings
        fields = [
            "min_reviews",
            "recommend_threshold",
            "disagreement_margin",
            "review_deadline",
            "blind_review",
            "hide_organisation",
            "hide_people",
            "allow_not_applicable",
            "quorum_numerator",
            "quorum_denominator",
        ]
        widgets = {"review_deadline": DateTimeInput()}


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "name_kk",
            "name_ru",
            "guidance_kk",
            "guidance_ru",
            "weight",
            "scale_max",
            "comment_required",
            "may_be_not_applicable",
            "order",
        ]
        widgets = {
            "guidance_kk": forms.Textarea(attrs={"rows": 2}),
            "guidance_ru": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= 0:
            raise forms.ValidationError(_("The weight must be above zero."))
        return weight

    def clean_scale_max(self):
        scale = self.cleaned_data["scale_max"]
        if scale is not None and scale < 1:
            raise forms.ValidationError(_("The scale must be at least 1."))
        return scale


class ManualAssignForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("expert"), queryset=ExpertProfile.objects.none(), widget=FastSelect
    )
    application = forms.ModelChoiceField(
        label=_("application"),
        queryset=Application.objects.none(),
        widget=FastSelect,
    )

    def __init__(self, *args, experts, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        field = self.fields["application"]
        field.queryset = applications  # what a posted value is checked against
        # The options from plain values: a call has hundreds of applications.
        field.choices = [
            ("", field.empty_label),
            *(
                (pk, number or title or _("Draft application"))
                for pk, number, title in applications.values_list(
                    "pk", "number", "title"
                )
            ),
        ]


class PanelAddForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("expert"), queryset=ExpertProfile.objects.none(), widget=FastSelect
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts


class PanelActiveForm(forms.Form):
    active = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1"
    )


class ReassignForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("new expert"), queryset=ExpertProfile.objects.none()
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 3})
    )
    due = forms.DateTimeField(
        label=_("new deadline"), required=False, widget=DateTimeInput()
    )


class ConflictsForm(forms.Form):
    """One choice per applicant organisation of the call: no conflict, or its kind."""

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        choices = [("", _("No conflict")), *ConflictDeclaration.Kind.choices]
        for org in self.organisations:
            self.fields[f"org_{org.pk}"] = forms.ChoiceField(
                label=org.name, choices=choices, required=False
            )
        self.fields["note"] = forms.CharField(
            label=_("note"), required=False, max_length=500
        )
        self.fields["confirm"] = forms.BooleanField(
            label=_(
                "I confirm that I have declared every conflict of interest I have "
                "with the applicants of this call."
            )
        )

    def conflicts(self):
        return [
            (org, self.cleaned_data[f"org_{org.pk}"])
            for org in self.organisations
            if self.cleaned_data.get(f"org_{org.pk}")
        ]


class ScoreForm(forms.Form):
    """Fields per criterion: score_<id>, na_<id> (where allowed), comment_<id>."""

    def __init__(self, *args, criteria, allow_na, review=None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if review is not None:
            for s in review.scores.all():
                initial[f"score_{s.criterion_id}"] = s.value
                initial[f"na_{s.criterion_id}"] = s.not_applicable
                initial[f"comment_{s.criterion_id}"] = s.comment
            initial["recommendation"] = review.recommendation
            initial["comment"] = review.comment
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = list(criteria)
        self.rows = []
        for c in self.criteria:
            score = forms.DecimalField(
                label=_("Score (0–%(max)s)") % {"max": c.scale_max},
                required=False,
                min_value=0,
                max_value=c.scale_max,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.5"}),
            )
            self.fields[f"score_{c.pk}"] = score
            na_name = None
            if allow_na and c.may_be_not_applicable:
                na_name = f"na_{c.pk}"
                self.fields[na_name] = forms.BooleanField(
                    label=_("Not applicable"), required=False
                )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment") + (" *" if c.comment_required else ""),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.rows.append(
                (
                    c,
                    self[f"score_{c.pk}"],
                    self[na_name] if na_name else None,
                    self[f"comment_{c.pk}"],
                )
            )
        self.fields["recommendation"] = forms.ChoiceField(
            label=_("Overall recommendation"),
            choices=[("", "—"), *Review.Recommendation.choices],
            required=False,
        )
        self.fields["comment"] = forms.CharField(
            label=_("Overall comment"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def score_inputs(self):
        from .services import ScoreInput

        data = {}
        for c in self.criteria:
            data[c.pk] = ScoreInput(
                value=self.cleaned_data.get(f"score_{c.pk}"),
                not_applicable=bool(self.cleaned_data.get(f"na_{c.pk}")),
                comment=self.cleaned_data.get(f"comment_{c.pk}") or "",
            )
        return data


class SessionForm(forms.Form):
    held_on = forms.DateField(
        label=_("date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    starts_at = forms.TimeField(
        label=_("time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(label=_("place"), required=False, max_length=300)
    agenda = forms.CharField(
        label=_("agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    chair = forms.ModelChoiceField(
        label=_("chair of the session"),
        queryset=ExpertProfile.objects.none(),
        required=False,
    )
    secretary = forms.ModelChoiceField(
        label=_("secretary"), queryset=User.objects.none(), required=False
    )

    ABSENT, PRESENT, REMOTE = "", "present", "remote"

    def __init__(self, *args, council, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.council = list(council)
        self.fields["chair"].queryset = ExpertProfile.objects.filter(
            pk__in=[e.pk for e in self.council]
        ).select_related("user")
        self.fields["secretary"].queryset = User.objects.filter(
            role=Role.STAFF, is_active=True
        ).order_by("full_name", "email")
        if call is not None and not self.is_bound:
            self.fields["agenda"].initial = _(
                "Review of the applications to the call «%(call)s» and "
                "recommendations for funding."
            ) % {"call": call.title}
        choices = [
            (self.ABSENT, _("Absent")),
            (self.PRESENT, _("Present")),
            (self.REMOTE, _("Present remotely")),
        ]
        for e in self.council:
            self.fields[f"expert_{e.pk}"] = forms.ChoiceField(
                label=str(e), choices=choices, required=False
            )

    def attendance(self):
        from .services import AttendanceInput

        return [
            AttendanceInput(
                expert=e, remote=self.cleaned_data[f"expert_{e.pk}"] == "remote"
            )
            for e in self.council
            if self.cleaned_data.get(f"expert_{e.pk}")
        ]


def _control(name, value, errors, label: str, *, kind="number", options=(), step="1"):
    """One control in Bootstrap's markup, with its value and errors. ``label`` and
    ``options`` ((value, label) pairs) come escaped: they are the same on every row,
    and translating and escaping them again per row was most of the page's time."""
    value = "" if value is None else str(value)
    id_ = f"id_{name}"
    invalid = " is-invalid" if errors else ""
    if kind == "select":
        control = (
            f'<select name="{name}" id="{id_}" '
            f'class="form-select form-select-sm{invalid}">'
            + "".join(
                f'<option value="{v}"{" selected" if v == value else ""}>{text}</option>'
                for v, text in options
            )
            + "</select>"
        )
    elif kind == "textarea":
        control = (
            f'<textarea name="{name}" id="{id_}" rows="1" '
            f'class="form-control form-control-sm{invalid}">{escape(value)}</textarea>'
        )
    else:
        control = (
            f'<input type="number" name="{name}" id="{id_}" value="{escape(value)}" '
            f'min="0" step="{step}" class="form-control form-control-sm{invalid}">'
        )
    feedback = "".join(
        f'<div class="invalid-feedback">{escape(e)}</div>' for e in errors
    )
    return (
        f'<div class="mb-2"><label class="form-label small mb-0" for="{id_}">'
        f"{label}</label>{control}{feedback}</div>"
    )


class DecisionsForm(forms.Form):
    """Per application: decision_<id> (blank = not decided now), amount_<id>,
    conditions_<id>, reasons_<id>; and the envelope override reason."""

    @staticmethod
    def _row_fields() -> dict[str, forms.Field]:
        return {
            "app": forms.ChoiceField(
                label=_("decision"),
                choices=[("", "—"), *CouncilDecision.Decision.choices],
                required=False,
            ),
            "amount": forms.DecimalField(
                label=_("amount, ₸"),
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
            ),
            "conditions": forms.CharField(
                label=_("conditions"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            ),
            "reasons": forms.CharField(
                label=_("reasons"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            ),
            "votes_for": forms.IntegerField(
                label=_("votes for"), required=False, min_value=0, max_value=500
            ),
            "votes_against": forms.IntegerField(
                label=_("votes against"), required=False, min_value=0, max_value=500
            ),
            "votes_abstained": forms.IntegerField(
                label=_("abstained"), required=False, min_value=0, max_value=500
            ),
            "dissent": forms.CharField(
                label=_("dissenting opinions"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            ),
        }

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = list(applications)
        self.row_prototypes = self._row_fields()
        # Only a posted form validates its rows: the form shown to be filled in is
        # written by rendered_rows from the prototypes, without two thousand fields
        # (their allocation alone made the collector run several times a view).
        # Each row's eight fields are shallow copies of one set: deep-copying
        # their widgets took a fifth of a second.
        if self.is_bound:
            for a in self.applications:
                for prefix, prototype in self.row_prototypes.items():
                    field = copy.copy(prototype)
                    if prefix == "amount":
                        field.initial = a.requested_amount
                    self.fields[f"{prefix}_{a.pk}"] = field
        self.fields["envelope_override_reason"] = forms.CharField(
            label=_("Reason to exceed the envelope (only if needed)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    ROW_CONTROLS = (
        # (field prefix, kind, Bootstrap column)
        ("app", "select", "col-md-3"),
        ("amount", "money", "col-md-3"),
        ("conditions", "textarea", "col-md-3"),
        ("reasons", "textarea", "col-md-3"),
        ("votes_for", "number", "col-4 col-md-2"),
        ("votes_against", "number", "col-4 col-md-2"),
        ("votes_abstained", "number", "col-4 col-md-2"),
        ("dissent", "textarea", "col-md-6"),
    )

    # Stand-ins for one application's values in the markup that every row of the
    # form shown to be filled in shares (NUL occurs in no markup or escaped text).
    _PK, _NUMBER, _TITLE, _AMOUNT, _REQUESTED = (f"\x00{i}\x00" for i in range(5))

    def rendered_rows(self) -> str:
        """Every application to decide as a fieldset (its legend and eight controls),
        in one string. A council may have hundreds of applications to decide: two
        thousand fields through bound fields, widget and crispy templates took
        seconds, and a template loop over the rows a fifth of the page, so the rows
        are written here in the same Bootstrap markup from the form's data (what was
        typed, or the initial amount) and errors, every value escaped. The form
        shown to be filled in has nothing typed and no error: its rows share one
        markup, cut once around the application's values and joined per row."""
        if not self.applications:
            return ""
        if self.is_bound:
            rows = [
                self._fieldset(
                    a.pk,
                    escape(a.number),
                    escape(a.title),
                    escape(format_tenge(a.requested_amount)),
                    lambda name, _prefix: self.data.get(name),
                    self.errors,
                )
                for a in self.applications
            ]
        else:
            shared = self._fieldset(
                self._PK,
                self._NUMBER,
                self._TITLE,
                self._REQUESTED,
                lambda _name, prefix: self._AMOUNT if prefix == "amount" else None,
                {},
            )
            pieces = re.split("(\x00\\d\x00)", shared)
            rows = []
            for a in self.applications:
                values = {
                    self._PK: str(a.pk),
                    self._NUMBER: escape(a.number),
                    self._TITLE: escape(a.title),
                    self._AMOUNT: escape(str(a.requested_amount or "")),
                    self._REQUESTED: escape(format_tenge(a.requested_amount)),
                }
                rows.append("".join([values.get(p, p) for p in pieces]))
        # Every value inside is escaped above or by _control.
        return mark_safe("".join(rows))

    def _fieldset(self, pk, number, title, amount_text, values, errors) -> str:
        """One row's fieldset; ``number``, ``title`` and ``amount_text`` come
        escaped, ``values(name, prefix)`` gives each control's value."""
        labels, options = self._labels_and_options
        cells = []
        for prefix, kind, col in self.ROW_CONTROLS:
            name = f"{prefix}_{pk}"
            control = _control(
                name,
                values(name, prefix),
                errors.get(name, ()),
                labels[prefix],
                kind="number" if kind == "money" else kind,
                options=options,
                step="0.01" if kind == "money" else "1",
            )
            cells.append(f'<div class="{col}">{control}</div>')
        return (
            f'<fieldset class="border-bottom mb-3" data-decision-row="{pk}">'
            f'<legend class="h6">{number} · {title} '
            f'<small class="text-body-secondary">({labels["requested"]} '
            f"{amount_text})</small></legend>"
            f'<div class="row g-2">{"".join(cells)}</div></fieldset>'
        )

    @functools.cached_property
    def _labels_and_options(self):
        # Translated and escaped once: the same on every row.
        labels = {
            prefix: escape(str(self.row_prototypes[prefix].label))
            for prefix, _kind, _col in self.ROW_CONTROLS
        }
        labels["requested"] = escape(str(_("requested")))
        options = [
            (escape(v), escape(str(text)))
            for v, text in self.row_prototypes["app"].choices
        ]
        return labels, options

    def decision_inputs(self):
        from .services import DecisionInput

        return [
            DecisionInput(
                application=a,
                decision=self.cleaned_data[f"app_{a.pk}"],
                amount=self.cleaned_data.get(f"amount_{a.pk}"),
                conditions=self.cleaned_data.get(f"conditions_{a.pk}") or "",
                reasons=self.cleaned_data.get(f"reasons_{a.pk}") or "",
                votes_for=self.cleaned_data.get(f"votes_for_{a.pk}") or 0,
                votes_against=self.cleaned_data.get(f"votes_against_{a.pk}") or 0,
                votes_abstained=self.cleaned_data.get(f"votes_abstained_{a.pk}") or 0,
                dissent=self.cleaned_data.get(f"dissent_{a.pk}") or "",
            )
            for a in self.applications
            if self.cleaned_data.get(f"app_{a.pk}")
        ]
