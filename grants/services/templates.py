"""Contract templates that staff maintain: each save of the clauses adds a version,
so a contract keeps the text it was made from."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from grants.contract_clauses import CLAUSE_KEYS, DEFAULT_CLAUSES
from grants.models import ContractTemplate, ContractTemplateVersion


def _clean_clauses(clauses: dict) -> dict[str, dict[str, str]]:
    clean: dict[str, dict[str, str]] = {}
    errors: dict[str, list[str]] = {}
    for key in CLAUSE_KEYS:
        text = clauses.get(key) or {}
        kk, ru = (text.get("kk") or "").strip(), (text.get("ru") or "").strip()
        if bool(kk) != bool(ru):
            errors[f"{key}_{'ru' if kk else 'kk'}"] = [
                str(_("Give this clause in both languages, or leave both empty."))
            ]
        clean[key] = {"kk": kk, "ru": ru}
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def contract_template_save(
    *,
    template: ContractTemplate | None,
    actor,
    title: str,
    call=None,
    funder=None,
    memorandum=None,
    clauses: dict | None = None,
    note: str = "",
) -> ContractTemplate:
    """Create a template or change one. Its scope (a call, a funder, or neither for
    the default) and the memorandum may change in place; changed clauses become a
    new version (an unchanged text adds none), and contracts already made keep
    the version they record."""
    if call is not None and funder is not None:
        raise ValidationError(
            _("A template is for a call or for a funder, not for both.")
        )
    if template is None:
        template = ContractTemplate()
    else:
        template = ContractTemplate.objects.select_for_update().get(pk=template.pk)
    template.title, template.call, template.funder = title.strip(), call, funder
    template.memorandum = memorandum
    template.full_clean()
    template.save()
    clean = _clean_clauses(clauses if clauses is not None else DEFAULT_CLAUSES)
    current = template.current
    if current is None or current.clauses != clean:
        last = template.versions.aggregate(v=Max("version"))["v"] or 0
        ContractTemplateVersion.objects.create(
            template=template,
            version=last + 1,
            clauses=clean,
            note=note.strip()[:300],
            created_by=actor,
        )
    return template
