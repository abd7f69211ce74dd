"""The staff form for a contract template: scope, memorandum and every clause in
Kazakh and Russian."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Organisation
from memoranda.models import Memorandum
from projects.models import Call

from .contract_clauses import CLAUSES, DEFAULT_CLAUSES
from .models import ContractTemplate


class ContractTemplateForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    call = forms.ModelChoiceField(
        label=_("call"),
        queryset=Call.objects.order_by("-pk"),
        required=False,
        help_text=_("Leave empty for a funder's template or the default one."),
    )
    funder = forms.ModelChoiceField(
        label=_("funder"),
        queryset=Organisation.objects.filter(
            kind__in=[Organisation.Kind.FUND, Organisation.Kind.AKIMAT]
        ).order_by("name_ru"),
        required=False,
    )
    memorandum = forms.ModelChoiceField(
        label=_("memorandum"),
        queryset=Memorandum.objects.filter(kind=Memorandum.Kind.TRIPARTITE),
        required=False,
        help_text=_(
            "Empty: the tripartite memorandum in force on the contract's date."
        ),
    )
    note = forms.CharField(label=_("what changed"), max_length=300, required=False)

    def __init__(self, *args, template: ContractTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = template.current if template else None
        clauses = current.clauses if current else DEFAULT_CLAUSES
        if template is not None and not self.is_bound:
            self.initial.update(
                title=template.title,
                call=template.call_id,
                funder=template.funder_id,
                memorandum=template.memorandum_id,
            )
        self.clause_rows = []
        for key, title_kk, title_ru in CLAUSES:
            text = clauses.get(key) or {}
            for language, heading in (("kk", title_kk), ("ru", title_ru)):
                name = f"{key}_{language}"
                self.fields[name] = forms.CharField(
                    label=heading,
                    required=False,
                    initial=text.get(language, ""),
                    widget=forms.Textarea(attrs={"rows": 6, "lang": language}),
                    help_text=_("One numbered point per line."),
                )
            self.clause_rows.append((self[f"{key}_kk"], self[f"{key}_ru"]))

    def clean(self):
        data = super().clean()
        if data.get("call") and data.get("funder"):
            raise forms.ValidationError(
                _("A template is for a call or for a funder, not for both.")
            )
        return data

    def clauses(self) -> dict[str, dict[str, str]]:
        return {
            key: {
                "kk": self.cleaned_data.get(f"{key}_kk", ""),
                "ru": self.cleaned_data.get(f"{key}_ru", ""),
            }
            for key, _kk, _ru in CLAUSES
        }
