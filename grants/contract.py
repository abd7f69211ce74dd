"""What a tripartite contract says: its parties with their requisites, the money
sections built from the grant, the clauses of its template version, the memorandum
it refers to and the equal-authenticity clause, as language-tagged blocks that the
Kazakh, the Russian and the two-column (Kazakh | Russian) layouts all print."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from alliance_portal.dates import kk_date, ru_date
from alliance_portal.money import format_tenge
from members.models import Organisation
from memoranda.models import Memorandum

from .contract_clauses import CLAUSE_KEYS, CLAUSES, DEFAULT_CLAUSES
from .models import ContractTemplate, ContractTemplateVersion, Grant
from .words import amount_in_words

LAYOUTS = ("kk", "ru", "kk-ru")
# The clause every contract carries, whatever its template says.
AUTHENTICITY = {
    "kk": (
        "Шарт қазақ және орыс тілдерінде жасалды, екі мәтіннің де заңды күші "
        "бірдей. Мәтіндер арасында алшақтық болған жағдайда Тараптар оны "
        "келіссөздер арқылы шешеді."
    ),
    "ru": (
        "Договор составлен на казахском и русском языках, оба текста имеют "
        "одинаковую юридическую силу. При расхождении текстов Стороны разрешают "
        "его путём переговоров."
    ),
}
DEFAULT_TEMPLATE_TITLE = "Үшжақты грант шартының үлгісі / Типовой трёхсторонний договор"


def alliance() -> Organisation | None:
    return (
        Organisation.objects.filter(kind=Organisation.Kind.ALLIANCE)
        .prefetch_related("bank_accounts")
        .order_by("pk")
        .first()
    )


def template_for(grant: Grant) -> ContractTemplate:
    """The call's template, else the funder's, else the default one (created from
    the standard clauses the first time it is needed)."""
    call = grant.application.call
    found = {
        "call" if t.call_id else "funder": t
        for t in ContractTemplate.objects.filter(
            Q(call=call) | Q(funder_id=grant.funder_id)
        )
    }
    if found:
        return found.get("call") or found["funder"]
    default = ContractTemplate.objects.filter(
        call__isnull=True, funder__isnull=True
    ).first()
    if default is None:
        default = ContractTemplate.objects.create(title=DEFAULT_TEMPLATE_TITLE)
    if not default.versions.exists():
        ContractTemplateVersion.objects.create(
            template=default, version=1, clauses=DEFAULT_CLAUSES
        )
    return default


def memorandum_for(template: ContractTemplate, on: datetime.date) -> Memorandum | None:
    """The memorandum the money flows under: the template's, else the tripartite
    one signed and in force on the contract's date."""
    if template.memorandum_id:
        return template.memorandum
    return (
        Memorandum.objects.filter(
            kind=Memorandum.Kind.TRIPARTITE,
            signed_on__isnull=False,
            signed_on__lte=on,
            status__in=[Memorandum.Status.SIGNED, Memorandum.Status.IN_FORCE],
            valid_from__lte=on,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from", "-number")
        .first()
    )


@dataclass(frozen=True)
class Prerequisites:
    template_version: ContractTemplateVersion
    memorandum: Memorandum
    alliance: Organisation


def check_prerequisites(grant: Grant, on: datetime.date | None = None) -> Prerequisites:
    """Everything a contract needs, or one ValidationError that lists what is
    missing for whom, so staff know whom to ask."""
    on = on or timezone.localdate()
    problems: list[str] = []
    the_alliance = alliance()
    parties = [
        (_("the alliance"), the_alliance),
        (_("the grantee"), grant.organisation),
        (_("the funder"), grant.funder),
    ]
    for role, org in parties:
        if org is None:
            problems.append(_("The alliance is not registered as an organisation."))
            continue
        missing = org.requisites_missing()
        if missing:
            problems.append(
                _("%(role)s (%(name)s) has no %(missing)s.")
                % {"role": role, "name": org.name, "missing": ", ".join(missing)}
            )
    template = template_for(grant)
    version = template.current
    if version is None:
        problems.append(_("The contract template has no text yet."))
    memorandum = memorandum_for(template, on)
    if memorandum is None:
        problems.append(
            _(
                "No signed tripartite memorandum is in force: the contract must "
                "refer to the memorandum under which the money flows."
            )
        )
    if problems:
        raise ValidationError(
            [_("The contract cannot be generated yet."), *problems],
            code="contract_prerequisites",
        )
    return Prerequisites(version, memorandum, the_alliance)


def _party(org: Organisation, role_kk: str, role_ru: str) -> dict:
    account = org.primary_account
    return {
        "org": org,
        "role": {"kk": role_kk, "ru": role_ru},
        "name": {"kk": org.name_kk, "ru": org.name_ru},
        "position": {"kk": org.head_position_kk, "ru": org.head_position_ru},
        "authority": {"kk": org.authority_kk, "ru": org.authority_ru},
        "account": account,
    }


def _preamble(parties: list[dict], memorandum: Memorandum) -> dict[str, str]:
    a, g, f = parties
    mem_kk = (
        f"{kk_date(memorandum.signed_on, 'of')} № {memorandum.number} Облыс әкімі, "
        "Альянс және Қор арасындағы үшжақты меморандум"
    )
    mem_ru = (
        f"трёхстороннего меморандума № {memorandum.number} от "
        f"{ru_date(memorandum.signed_on)} между акимом области, Альянсом и Фондом"
    )

    def kk(p, ordinal):
        return format_html(
            "{} <b>{}</b> (бұдан әрі — «{}»), оның атынан {} негізінде {} {} "
            "әрекет етеді",
            ordinal,
            p["name"]["kk"],
            p["role"]["kk"],
            p["authority"]["kk"],
            p["position"]["kk"],
            p["org"].leader_name,
        )

    def ru(p, ordinal):
        return format_html(
            "{} <b>{}</b> (далее — «{}»), от имени которого на основании {} "
            "действует {} {}",
            ordinal,
            p["name"]["ru"],
            p["role"]["ru"],
            p["authority"]["ru"],
            p["position"]["ru"],
            p["org"].leader_name,
        )

    return {
        "kk": format_html(
            "{}, {}, {}, бірлесіп «Тараптар» деп аталатындар, {} негізінде осы "
            "шартты жасасты:",
            kk(a, "Бір тараптан,"),
            kk(g, "екінші тараптан,"),
            kk(f, "үшінші тараптан,"),
            mem_kk,
        ),
        "ru": format_html(
            "{}, {}, {}, совместно именуемые «Стороны», на основании {} заключили "
            "настоящий договор о нижеследующем:",
            ru(a, "С одной стороны,"),
            ru(g, "с другой стороны,"),
            ru(f, "с третьей стороны,"),
            mem_ru,
        ),
    }


def project_titles(grant: Grant) -> dict[str, str]:
    """The project's title for each text. Applications are written in one language;
    without a Russian title the Russian text quotes the original and says so."""
    application = grant.application
    original = application.title
    title_ru = application.title_ru.strip()
    return {
        "kk": f"«{original}»",
        "ru": f"«{title_ru}»"
        if title_ru
        else f"«{original}» (название приведено на языке заявки)",
    }


def contract_context(
    grant: Grant,
    *,
    version: ContractTemplateVersion,
    memorandum: Memorandum,
    the_alliance: Organisation,
    issue: dict,
) -> dict:
    """Everything the three layouts print, each text in both languages."""
    parties = [
        _party(the_alliance, "Альянс", "Альянс"),
        _party(grant.organisation, "Грант алушы", "Грантополучатель"),
        _party(grant.funder, "Қор", "Фонд"),
    ]
    call = grant.application.call
    titles = project_titles(grant)
    number = issue.get("number") or grant.number
    app_no = grant.application.number or "—"
    blocks: list[dict] = []

    def heading(n, kk, ru):
        blocks.append({"kind": "heading", "kk": f"{n}. {kk}", "ru": f"{n}. {ru}"})

    def points(n, kk_text, ru_text):
        kk_lines = [x.strip() for x in kk_text.splitlines() if x.strip()]
        ru_lines = [x.strip() for x in ru_text.splitlines() if x.strip()]
        blocks.extend(
            {
                "kind": "para",
                "kk": f"{n}.{i + 1}. {kk_lines[i]}" if i < len(kk_lines) else "",
                "ru": f"{n}.{i + 1}. {ru_lines[i]}" if i < len(ru_lines) else "",
            }
            for i in range(max(len(kk_lines), len(ru_lines)))
        )

    blocks.append({"kind": "preamble", **_preamble(parties, memorandum)})
    heading(1, "Шарттың мәні", "Предмет договора")
    points(
        1,
        f"Қор «{call.title_kk}» конкурсы бойынша Альянстың сарапшылар кеңесі "
        f"ұсынған {titles['kk']} әлеуметтік жобасын (өтінім № {app_no}) іске "
        "асыруға Грант алушыға грант береді, Грант алушы жобаны іске асырып, "
        "қаражаттың мақсатты жұмсалуы туралы есеп береді, Альянс қаражаттың "
        "жұмсалуын бақылайды.",
        f"Фонд предоставляет Грантополучателю грант на реализацию социального "
        f"проекта {titles['ru']} (заявка № {app_no}), рекомендованного экспертным "
        f"советом Альянса по конкурсу «{call.title_ru}», Грантополучатель реализует "
        "проект и отчитывается о целевом использовании средств, Альянс "
        "контролирует расходование средств.",
    )
    heading(2, "Грант сомасы және мерзімі", "Сумма гранта и срок")
    amount = format_tenge(grant.amount)
    points(
        2,
        f"Грант сомасы: {amount} ({amount_in_words(grant.amount, 'kk')}).\n"
        f"Жобаны іске асыру мерзімі: {kk_date(grant.starts_on, 'from')} бастап "
        f"{kk_date(grant.ends_on, 'to')} дейін.",
        f"Сумма гранта: {amount} ({amount_in_words(grant.amount, 'ru')}).\n"
        f"Срок реализации проекта: с {ru_date(grant.starts_on)} по "
        f"{ru_date(grant.ends_on)}",
    )
    heading(3, "Бекітілген бюджет", "Утверждённый бюджет")
    blocks.append({"kind": "budget"})
    heading(4, "Транштар кестесі", "График траншей")
    blocks.append({"kind": "tranches"})
    clauses = version.clauses
    n = 5
    for key, title_kk, title_ru in CLAUSES:
        text = clauses.get(key) or {}
        kk_text, ru_text = text.get("kk", ""), text.get("ru", "")
        if key == "final":
            kk_text = f"{kk_text}\n{AUTHENTICITY['kk']}"
            ru_text = f"{ru_text}\n{AUTHENTICITY['ru']}"
        if not (kk_text.strip() or ru_text.strip()):
            continue
        heading(n, title_kk, title_ru)
        points(n, kk_text, ru_text)
        n += 1
    requisites_heading = {
        "kk": f"{n}. Тараптардың деректемелері мен қолдары",
        "ru": f"{n}. Реквизиты и подписи Сторон",
    }
    tranches = []
    for t in grant.tranches.all():
        if t.condition == "contract_signed":
            cond = {
                "kk": "Шартқа қол қойылғаннан кейін",
                "ru": "После подписания договора",
            }
        else:
            cond = {
                "kk": f"№{t.condition_report_number} есеп бекітілгеннен кейін",
                "ru": f"После утверждения отчёта №{t.condition_report_number}",
            }
        tranches.append(
            {
                "tranche": t,
                "words": {
                    "kk": amount_in_words(t.amount, "kk"),
                    "ru": amount_in_words(t.amount, "ru"),
                },
                "condition": cond,
            }
        )
    # A heading shares its row with the block after it, so the two-column layout
    # never leaves a heading alone at the foot of a page.
    groups: list[list[dict]] = []
    for block in blocks:
        if groups and groups[-1][-1]["kind"] == "heading":
            groups[-1].append(block)
        else:
            groups.append([block])
    issued_on = issue.get("issued_on") or timezone.localdate()
    return {
        "grant": grant,
        "number": number,
        "version": issue.get("version") or grant.contract_version,
        "template_version": version,
        "memorandum": memorandum,
        "issued_on": issued_on,
        "date": {"kk": kk_date(issued_on), "ru": ru_date(issued_on)},
        "blocks": blocks,
        "groups": groups,
        "parties": parties,
        "lines": list(grant.budget_lines.all()),
        "tranches": tranches,
        "requisites_heading": requisites_heading,
        "clause_keys": CLAUSE_KEYS,
    }
