"""Demo data of the projects app (runs after members): an open Igilik call of 2026,
a decided call of 2025, and applications of demo NGOs in different states, including
a draft of the demo leader. Idempotent: natural keys, workflow only on first run."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from alliance_portal.permissions import Role
from members.models import Affiliation, District, FieldOfActivity, Organisation, User

from . import services
from .models import (
    Activity,
    Application,
    ApplicationTransition,
    Attachment,
    BudgetLine,
    Call,
    ExpectedResult,
    RequiredDocument,
)

TZ = timezone.get_fixed_timezone(5 * 60)  # Asia/Qyzylorda is UTC+5 all year
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

NGOS = [
    (
        "demo-ngo-1",
        "«Жас Арал» жастар бірлестігі",
        "Молодёжное объединение «Жас Арал»",
        "aral",
    ),
    (
        "demo-ngo-2",
        "«Мейірім» қайырымдылық қоры",
        "Благотворительный фонд «Мейирим»",
        "kyzylorda",
    ),
    ("demo-ngo-3", "«Сыр ана» әйелдер кеңесі", "Совет женщин «Сыр ана»", "kazaly"),
    (
        "demo-ngo-4",
        "«Таза Сыр» экологиялық қоғамы",
        "Экологическое общество «Таза Сыр»",
        "zhalagash",
    ),
    (
        "demo-ngo-5",
        "«Ардагер» қоғамдық бірлестігі",
        "Общественное объединение «Ардагер»",
        "shieli",
    ),
    (
        "demo-ngo-6",
        "«Үміт» мүгедектер қоғамы",
        "Общество инвалидов «Умит»",
        "zhanakorgan",
    ),
]


def valid_bin(first_eleven: str) -> str:
    """A 12-digit BIN with its check digit (weights 1..11, then 3..11,1,2)."""
    digits = [int(c) for c in first_eleven]
    for weights in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            return first_eleven + str(check)
    return valid_bin(str(int(first_eleven) + 1).zfill(11))


def _dt(y, m, d, h=9, minute=0):
    return datetime.datetime(y, m, d, h, minute, tzinfo=TZ)


def _organisations():
    orgs = []
    for n, (slug, kk, ru, district) in enumerate(NGOS, start=1):
        org, _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name_kk": kk,
                "name_ru": ru,
                "kind": Organisation.Kind.NGO,
                "legal_form": Organisation.LegalForm.PUBLIC_ASSOCIATION,
                "bin": valid_bin(f"0{n}0440001{n:02d}"[:11]),
                "district": District.objects.filter(code=district).first(),
            },
        )
        orgs.append(org)
    return orgs


def _calls(funder):
    themes = list(
        FieldOfActivity.objects.filter(
            code__in=["children-youth", "aral-ecology", "social-protection", "veterans"]
        )
    )
    closes = max(_dt(2026, 12, 20, 18), timezone.now() + datetime.timedelta(days=30))
    open_call, created = Call.objects.get_or_create(
        code="IG",
        title_ru="Конкурс социальных проектов фонда «Игилик» 2026",
        defaults={
            "title_kk": "«Игілік» қорының әлеуметтік жобалар конкурсы 2026",
            "funding_source": Call.FundingSource.IGILIK,
            "funder": funder,
            "envelope": Decimal("60000000"),
            "min_grant": Decimal("1000000"),
            "max_grant": Decimal("5000000"),
            "min_months_registered": 0,
            "membership_required": False,
            "no_unfinished_reports": True,
            "opens_at": _dt(2026, 2, 1),
            "closes_at": closes,
            "status": Call.Status.OPEN,
            "description_kk": "Ауылдардағы жастар, экология және әлеуметтік қорғау жобалары.",
            "description_ru": "Проекты для молодёжи сёл, экологии и социальной защиты.",
        },
    )
    if created:
        open_call.priority_themes.set(themes)
        for order, (kk, ru) in enumerate(
            [
                ("Ұйымның жарғысы", "Устав организации"),
                ("Тіркеу туралы анықтама", "Справка о регистрации"),
            ]
        ):
            RequiredDocument.objects.create(
                call=open_call, name_kk=kk, name_ru=ru, order=order
            )
    old_call, created_old = Call.objects.get_or_create(
        code="IG",
        title_ru="Конкурс социальных проектов фонда «Игилик» 2025",
        defaults={
            "title_kk": "«Игілік» қорының әлеуметтік жобалар конкурсы 2025",
            "funder": funder,
            "envelope": Decimal("55000000"),
            "min_grant": Decimal("1000000"),
            "max_grant": Decimal("5000000"),
            "opens_at": _dt(2025, 2, 1),
            "closes_at": _dt(2025, 3, 15, 18),
            "status": Call.Status.DECIDED,
        },
    )
    if created_old:
        old_call.priority_themes.set(themes)
    return open_call, old_call


def _fill(application, n, theme):
    """Content that passes the open call's checks."""
    application.title = [
        "Арал ауылдарының жастарына арналған IT-үйірмелер",
        "Қарттарға үйде көмек көрсету",
        "Сыр бойындағы әйелдердің кәсіпкерлігін дамыту",
        "Таза Сыр: ауылдағы қоқысты сұрыптау",
        "Ардагерлердің естеліктері: жастармен кездесулер",
        "Мүгедектігі бар балаларға инклюзивті спорт",
    ][n]
    application.theme = theme
    application.settlements = "Арал қ., Сексеуіл к."
    application.problem = [
        "Арал ауылдарындағы жастардың 60 пайызы бос уақытын тиімді өткізе алмайды; "
        "үйірмелер мен компьютер сыныптары жоқ.",
        "Қалада жалғыз тұратын 300-ден астам қарт адам күнделікті көмекке мұқтаж.",
        "Қазалы ауданындағы ауыл әйелдерінің көбі жұмыссыз, шағын кәсіп ашуға "
        "білімі мен бастапқы қаржысы жетпейді.",
        "Жалағаш ауылдарында тұрмыстық қоқыс сұрыпталмайды, заңсыз үйінділер көбейіп "
        "келеді.",
        "Жастар ардагерлердің тарихын білмейді; ауызша естеліктер жазылмай жоғалып "
        "барады.",
        "Мүгедектігі бар балалар үшін ауылдарда бейімделген спорт алаңдары жоқ.",
    ][n]
    application.goals = "Жастарды цифрлық дағдыларға үйрету, 120 жасөспірімді қамту."
    application.target_group = "14–18 жастағы ауыл жасөспірімдері"
    application.beneficiaries_direct = 120
    application.beneficiaries_indirect = 600
    application.sustainability = "Үйірмелерді аудандық білім бөлімі жалғастырады."
    application.team = "Жоба үйлестірушісі, екі тренер, бухгалтер."
    application.experience = "2018 жылдан бері 4 әлеуметтік жоба жүзеге асырылды."
    application.requested_amount = Decimal("2500000")
    application.save()
    application.districts.set([application.organisation.district])
    Activity.objects.create(
        application=application,
        activity="Үйірме жабдығын сатып алу",
        start=datetime.date(2027, 2, 1),
        end=datetime.date(2027, 2, 28),
        responsible="Үйлестіруші",
    )
    Activity.objects.create(
        application=application,
        activity="Апта сайынғы сабақтар",
        start=datetime.date(2027, 3, 1),
        end=datetime.date(2027, 11, 30),
        responsible="Тренерлер",
        order=1,
    )
    ExpectedResult.objects.create(
        application=application,
        indicator="Оқытылған жасөспірімдер саны",
        baseline="0",
        target="120",
    )
    for order, (cat, item, unit, qty, cost, cof) in enumerate(
        [
            ("staff", "Тренерлердің еңбекақысы", "ай", 9, 150000, 0),
            ("equipment", "Ноутбуктер", "дана", 4, 250000, 0),
            ("events", "Қорытынды фестиваль", "іс-шара", 1, 250000, 100000),
        ]
    ):
        total = Decimal(qty) * Decimal(cost)
        BudgetLine.objects.create(
            application=application,
            category=cat,
            item=item,
            unit=unit,
            quantity=Decimal(qty),
            unit_cost=Decimal(cost),
            cofunding=Decimal(cof),
            grant_amount=total - Decimal(cof),
            order=order,
        )
    for doc in application.call.required_documents.all():
        attachment = Attachment(
            application=application,
            required_document=doc,
            original_name=f"{doc.name_ru}.pdf",
            content_type="application/pdf",
            size=len(DEMO_PDF),
        )
        attachment.file.save("demo.pdf", ContentFile(DEMO_PDF), save=True)


def _drive(call, organisation, target, index, theme, actor, staff):
    """Create one application and move it through the services to ``target``."""
    application = Application.objects.create(
        call=call, organisation=organisation, created_by=actor
    )
    _fill(application, index, theme)
    if target == "draft":
        application.goals = ""  # the demo leader still has work to do
        application.save(update_fields=["goals"])
        return
    services.application_submit(application=application, actor=actor)
    if staff is None:
        return
    if target in ("returned", "resubmitted"):
        services.application_return(
            application=application,
            actor=staff,
            section_comments={
                "budget": "Ноутбуктердің бағасын нарықтық бағамен негіздеңіз.",
                "results": "Сапалық көрсеткіш қосыңыз.",
            },
            comment="Екі бөлімді түзетіңіз.",
        )
    if target == "resubmitted":
        application.refresh_from_db()
        services.application_save_section(
            application=application,
            section="results",
            version=application.version,
            actor=actor,
            rows=[
                {
                    "indicator": "Оқытылған жасөспірімдер саны",
                    "baseline": "0",
                    "target": "120",
                },
                {
                    "indicator": "Сабаққа қанағаттанғандар үлесі",
                    "baseline": "0%",
                    "target": "80%",
                },
            ],
        )
        services.application_submit(application=application, actor=actor)
    if target == "admitted":
        services.application_admit(application=application, actor=staff)
    if target == "rejected":
        services.application_reject(
            application=application,
            actor=staff,
            reason="Жоба конкурстың басым бағыттарына сәйкес келмейді.",
        )


def seed(stdout) -> None:
    funder = Organisation.objects.filter(slug="igilik").first()
    if funder is None:
        funder, _ = Organisation.objects.get_or_create(
            slug="igilik",
            defaults={
                "name_kk": "«Игілік» корпоративтік қоры",
                "name_ru": "Корпоративный фонд «Игилик»",
                "kind": Organisation.Kind.FUND,
            },
        )
    orgs = _organisations()
    leader = User.objects.filter(email="leader@demo.kz").first()
    staff = User.objects.filter(role=Role.STAFF).order_by("pk").first()
    if leader is not None:
        Affiliation.objects.get_or_create(
            user=leader,
            organisation=orgs[0],
            defaults={
                "role": Affiliation.Role.LEADER,
                "status": Affiliation.Status.APPROVED,
            },
        )
    open_call, old_call = _calls(funder)
    theme = open_call.priority_themes.first()
    actor = leader or staff
    # (organisation index, the state to drive it to) in the open call.
    plan = [
        (0, "draft"),
        (1, "submitted"),
        (2, "returned"),
        (3, "resubmitted"),
        (4, "admitted"),
        (5, "rejected"),
    ]
    created_count = 0
    for index, target in plan:
        if (
            actor is None
            or Application.objects.filter(
                call=open_call, organisation=orgs[index]
            ).exists()
        ):
            continue
        with transaction.atomic():
            _drive(open_call, orgs[index], target, index, theme, actor, staff)
        created_count += 1
    # The decided call of 2025: its history is imported, not replayed.
    for n, (index, status) in enumerate(
        # Recommended here; the grants demo gives it its (signed) grant, which makes
        # it funded: demo data follows the same rules as real data.
        [(5, Application.Status.RECOMMENDED), (1, Application.Status.NOT_RECOMMENDED)],
        start=1,
    ):
        application, created = Application.objects.get_or_create(
            call=old_call,
            organisation=orgs[index],
            defaults={
                "created_by": actor or staff,
                "status": status,
                "number": f"IG-2025-{n:04d}",
                "sequence": n,
                "title": "Инклюзивті спорт алаңы"
                if index == 5
                else "Қарттарға арналған клуб",
                "problem": "Ауылда арнайы жабдықталған алаң жоқ.",
                "requested_amount": Decimal("3000000"),
                "approved_amount": Decimal("2800000") if index == 5 else None,
                "submitted_at": _dt(2025, 3, 10),
            },
        )
        if created:
            ApplicationTransition.objects.create(
                application=application,
                from_status=Application.Status.DRAFT,
                to_status=status,
                actor=staff,
                comment="2025 imported",
            )
    stdout.write(
        f"  projects: 2 calls, {created_count} new applications in the open call"
    )
