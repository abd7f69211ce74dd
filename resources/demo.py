"""Demo data of the resource centre: news from the source article (the resource
centre's opening, the memorandum), the reporting manual and templates in the library,
answered and open consultations, and FAQ entries. Idempotent: rows are found by their
natural keys."""

from __future__ import annotations

import datetime
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from members.models import User
from members.selectors import members_on, organisations_of

from . import services
from .models import (
    AkimMeeting,
    AkimProposal,
    Booking,
    Consultation,
    Facility,
    FaqEntry,
    Material,
    NewsItem,
)

NEWS = [
    (
        "demo:resource-centre",
        "Ақпараттық ресурстық орталық ҮЕҰ-ға қызмет көрсетеді",
        "Информационно-ресурсный центр работает для НПО",
        "Облыс әкімдігінің қолдауымен ашылған ақпараттық ресурстық орталық "
        "үкіметтік емес ұйымдарға ақпараттық, консультативтік, әдістемелік, "
        "ұйымдық-техникалық көмек көрсетеді. Сұрағыңызды порталдағы "
        "«Кеңес алу» бөлімі арқылы қойыңыз.",
        "Информационно-ресурсный центр, открытый при поддержке акимата области, "
        "оказывает НПО информационную, консультационную, методическую и "
        "организационно-техническую помощь. Задайте вопрос в разделе "
        "«Консультации» портала.",
        "public",
        True,
        3,
    ),
    (
        "demo:memorandum",
        "Үшжақты меморандум кезекті рет қабылданды",
        "Трёхсторонний меморандум принят очередной раз",
        "Облыс әкімі, «Азаматтық альянс» және «Игілік» корпоративтік қоры "
        "бірлескен іс-қимыл және әріптестік жайлы меморандумды қабылдады.",
        "Аким области, «Гражданский альянс» и корпоративный фонд «Игилик» "
        "приняли меморандум о совместных действиях и партнёрстве.",
        "public",
        False,
        10,
    ),
    (
        "demo:members-meeting",
        "Мүше ұйымдардың жалпы жиналысы",
        "Общее собрание организаций-членов",
        "Қауымдастыққа мүше 31 ҮЕҰ жетекшілерін жылдық жалпы жиналысқа шақырамыз. "
        "Күн тәртібі қосымшада.",
        "Приглашаем руководителей 31 НПО — членов ассоциации на ежегодное общее "
        "собрание. Повестка во вложении.",
        "members",
        True,
        1,
    ),
]

MATERIALS = [
    (
        "Әлеуметтік жобалардың есебі мен құжаттарын жүргізу бойынша әдістемелік құрал",
        "Методическое пособие по ведению учёта и документов социальных проектов",
        "Альянс шығарған құрал: шығыстарды есепке алу, бастапқы құжаттар, есептер.",
        "Пособие альянса: учёт расходов, первичные документы, отчёты.",
        "accounting",
        "kk",
        "public",
        "pdf",
    ),
    (
        "Жоба бюджетінің үлгісі",
        "Шаблон бюджета проекта",
        "Шығыс баптары бойынша бюджет кестесі.",
        "Таблица бюджета по статьям расходов.",
        "project_writing",
        "ru",
        "public",
        "xlsx",
    ),
    (
        "Қаржылық есептің үлгісі (мүшелерге)",
        "Шаблон финансового отчёта (для членов)",
        "Грант алушының қаржылық есебінің кестесі.",
        "Таблица финансового отчёта грантополучателя.",
        "reporting",
        "kk",
        "members",
        "xlsx",
    ),
]

FAQ = [
    (
        "registration",
        "ҮЕҰ тіркелгеннен кейін қанша уақыттан соң конкурсқа қатыса алады?",
        "Через сколько времени после регистрации НПО может участвовать в конкурсе?",
        "Әр конкурстың шартында көрсетілген: әдетте кемінде 12 ай.",
        "Это указано в условиях каждого конкурса: обычно не менее 12 месяцев.",
    ),
    (
        "accounting",
        "Банк комиссиясын қай шығыс бабына жазамыз?",
        "К какой статье расходов относить банковскую комиссию?",
        "Әкімшілік шығыстар бабына, шарттың бюджетінде көзделсе.",
        "К административным расходам, если они предусмотрены бюджетом договора.",
    ),
]


def _pdf(title: str) -> bytes:
    from alliance_portal.pdf import render_pdf

    return render_pdf("resources/pdf/manual.html", {"title": title}, language="kk")


def _xlsx(title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(["Шығыс бабы / Статья расходов", "Сомасы / Сумма, ₸"])
    for line in ["Еңбекақы / Оплата труда", "Іс-шаралар / Мероприятия"]:
        sheet.append([line, 0])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _news(staff) -> int:
    now = timezone.now()
    for key, tkk, tru, bkk, bru, audience, pinned, days in NEWS:
        NewsItem.objects.update_or_create(
            source_key=key,
            defaults={
                "title_kk": tkk,
                "title_ru": tru,
                "body_kk": bkk,
                "body_ru": bru,
                "audience": audience,
                "pinned": pinned,
                "author": staff,
                "published_at": now - datetime.timedelta(days=days),
            },
        )
    return len(NEWS)


def _library(staff) -> int:
    for tkk, tru, dkk, dru, topic, language, audience, kind in MATERIALS:
        material, _created = Material.objects.get_or_create(
            title_ru=tru,
            defaults={
                "title_kk": tkk,
                "description_kk": dkk,
                "description_ru": dru,
                "topic": topic,
                "language": language,
                "audience": audience,
            },
        )
        if material.versions.exists():
            continue
        content = _pdf(tkk) if kind == "pdf" else _xlsx(tkk)
        services.material_add_version(
            material=material,
            upload=ContentFile(content, name=f"material-{material.pk}.{kind}"),
            actor=staff,
            note="Бірінші нұсқа / Первая версия",
        )
    return len(MATERIALS)


def _consultations(staff, leader) -> int:
    organisation = organisations_of(user=leader).first()
    if organisation is None or Consultation.objects.filter(asked_by=leader).exists():
        return 0
    answered = services.consultation_ask(
        user=leader,
        organisation=organisation,
        topic="reporting",
        question="Аралық есепке қандай бастапқы құжаттарды қоса береміз?",
    )
    services.consultation_answer(
        consultation=answered,
        actor=staff,
        answer="Шарт, шот-фактура, төлем тапсырмасы және орындалған жұмыстар актісі.",
    )
    services.consultation_ask(
        user=leader,
        organisation=organisation,
        topic="legal",
        question="Жарғыға өзгерісті қалай тіркейміз?",
    )
    return 2


def _faq(staff) -> int:
    for topic, qkk, qru, akk, aru in FAQ:
        FaqEntry.objects.get_or_create(
            question_ru=qru,
            defaults={
                "topic": topic,
                "question_kk": qkk,
                "answer_kk": akk,
                "answer_ru": aru,
                "approved_at": timezone.now(),
                "approved_by": staff,
            },
        )
    return len(FAQ)


FACILITIES = [
    (
        "Ресурстық орталықтың мәжіліс залы",
        "Конференц-зал ресурсного центра",
        "room",
        40,
    ),
    ("Семинар бөлмесі", "Комната для семинаров", "room", 15),
    ("Проектор және экран", "Проектор и экран", "equipment", None),
    ("Ноутбук (5 дана)", "Ноутбуки (5 шт.)", "equipment", None),
]


def _facilities_and_bookings(staff, leader) -> int:
    halls = []
    for kk, ru, kind, capacity in FACILITIES:
        facility, _created = Facility.objects.get_or_create(
            name_ru=ru, defaults={"name_kk": kk, "kind": kind, "capacity": capacity}
        )
        halls.append(facility)
    organisation = (
        members_on().filter(pk__in=organisations_of(user=leader)).first()
        if leader
        else None
    )
    if organisation is None or Booking.objects.exists():
        return len(halls)
    day = timezone.localdate() + datetime.timedelta(days=1)

    def at(days, hour):
        return timezone.make_aware(
            datetime.datetime.combine(
                day + datetime.timedelta(days=days), datetime.time(hour)
            )
        )

    try:
        approved = services.booking_request(
            facility=halls[0],
            user=leader,
            organisation=organisation,
            starts_at=at(0, 10),
            ends_at=at(0, 13),
            purpose="Жоба командасының семинар-тренингі",
        )
        services.booking_decide(booking=approved, actor=staff, approve=True)
        services.booking_request(
            facility=halls[2],
            user=leader,
            organisation=organisation,
            starts_at=at(2, 15),
            ends_at=at(2, 17),
            purpose="Дөңгелек үстел: ауыл жастарының бос уақыты",
        )
    except (PermissionDenied, ValidationError):  # not a member; the slot is taken
        pass
    return len(halls)


def _akim_meetings(staff, leader) -> int:
    from members.models import District

    today = timezone.localdate()
    last, _created = AkimMeeting.objects.get_or_create(
        year=today.year - 1,
        defaults={
            "meets_on": datetime.date(today.year - 1, 4, 18),
            "accepts_until": datetime.date(today.year - 1, 4, 1),
            "venue": "Қызылорда, облыстық әкімдік",
        },
    )
    AkimMeeting.objects.get_or_create(
        year=today.year + 1,
        defaults={
            "meets_on": datetime.date(today.year + 1, 4, 17),
            "accepts_until": datetime.date(today.year + 1, 3, 31),
            "venue": "Қызылорда, облыстық әкімдік",
        },
    )
    organisation = organisations_of(user=leader).first() if leader else None
    if organisation is None or last.proposals.exists():
        return 2
    district = District.objects.filter(code="aral").first() or District.objects.first()
    rows = [
        (
            "Жастар саясаты",
            "Ауыл жастарына спорт алаңдары",
            "Аудандардағы ауылдарда жастар бос уақытын өткізетін орын жоқ.",
            "Әр ауылдық округте бір спорт алаңын салу.",
            "done",
            "Облыстық дене шынықтыру және спорт басқармасы",
            "",
        ),
        (
            "Әлеуметтік қорғау",
            "Мүгедектігі бар балаларды тасымалдау",
            "Балалар оңалту орталығына жете алмайды.",
            "Арнайы көлік бөлу.",
            "in_work",
            "Облыстық жұмыспен қамтуды үйлестіру және әлеуметтік бағдарламалар "
            "басқармасы",
            "",
        ),
        (
            "Әлеуметтік қорғау",
            "Қарттар үйіне жаңа ғимарат",
            "Ғимарат тозған.",
            "Жаңа ғимарат салу.",
            "declined",
            "",
            "Республикалық бюджеттің бағдарламасымен 2027 жылы қаржыландырылады.",
        ),
    ]
    for group, topic, problem, proposal, status, responsible, reason in rows:
        p = AkimProposal.objects.create(
            meeting=last,
            organisation=organisation,
            submitted_by=leader,
            topic=topic,
            problem=problem,
            proposal=proposal,
            district=district,
            group=group,
            status="forwarded",
        )
        services.proposal_follow_up(
            proposal=p,
            actor=staff,
            status=status,
            responsible=responsible,
            reason=reason,
            text="Әкімдіктің жауап хаты алынды." if status != "declined" else "",
        )
    return 2


def seed(stdout) -> None:
    staff = User.objects.filter(email="staff@demo.kz").first()
    leader = User.objects.filter(email="leader@demo.kz").first()
    news = _news(staff)
    materials = _library(staff)
    consultations = _consultations(staff, leader) if staff and leader else 0
    faq = _faq(staff)
    facilities = _facilities_and_bookings(staff, leader) if staff else 0
    meetings = _akim_meetings(staff, leader) if staff else 0
    stdout.write(
        f"  resources: {news} news, {materials} materials, "
        f"{consultations} consultations, {faq} FAQ entries, "
        f"{facilities} halls and equipment, {meetings} meetings with the akim"
    )
