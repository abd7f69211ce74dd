"""Demo data of the forums app: the regional civil forums III–VI from the source
article with their resolutions, the VII forum open for registration, and upcoming
events in the districts. Idempotent: rows are found by their natural keys."""

import datetime

from django.utils import timezone

from members.models import District, Organisation, User

from . import services
from .models import AgendaSession, Event, Forum, Registration, Resolution

VI_THEME_KK = (
    "Азаматтық қоғам – елдің әлеуметтік жаңғыруындағы биліктің стратегиялық "
    "серіктесі және тірегі"
)
VI_THEME_RU = (
    "Гражданское общество — стратегический партнёр и опора власти в социальной "
    "модернизации страны"
)

FORUMS = [
    (
        3,
        datetime.date(2007, 11, 16),
        "Азаматтық қоғам және мемлекет: серіктестіктің жаңа кезеңі",
        "Гражданское общество и государство: новый этап партнёрства",
    ),
    (
        4,
        datetime.date(2009, 11, 20),
        "Үкіметтік емес ұйымдар және мемлекеттік әлеуметтік тапсырыс",
        "Неправительственные организации и государственный социальный заказ",
    ),
    (
        5,
        datetime.date(2011, 11, 18),
        "Азаматтық қоғамның өңірлерді дамытудағы рөлі",
        "Роль гражданского общества в развитии регионов",
    ),
    (6, datetime.date(2013, 11, 15), VI_THEME_KK, VI_THEME_RU),
    (
        7,
        datetime.date(2027, 3, 18),
        "Азаматтық қоғам және ауылдардың тұрақты дамуы",
        "Гражданское общество и устойчивое развитие сёл",
    ),
]

D = Resolution.Status
RESOLUTIONS = {
    3: [
        (
            "Облыс әкімдігімен ҮЕҰ-ның ынтымақтастығы туралы меморандум жасау.",
            "Заключить меморандум о сотрудничестве НПО с акиматом области.",
            "akimat",
            datetime.date(2009, 3, 31),
            D.DONE,
        ),
        (
            "Аудандарда ҮЕҰ-ға арналған ақпараттық-ресурстық орталықтар ашу.",
            "Открыть информационно-ресурсные центры для НПО в районах.",
            "alliance",
            datetime.date(2008, 12, 31),
            D.NOT_DONE,
        ),
    ],
    4: [
        (
            "Мемлекеттік әлеуметтік тапсырыс конкурстарының ашықтығын қамтамасыз ету.",
            "Обеспечить открытость конкурсов государственного социального заказа.",
            "akimat",
            datetime.date(2010, 12, 31),
            D.DONE,
        ),
        (
            "«Игілік» қорымен үшжақты меморандумды жыл сайын жаңарту.",
            "Ежегодно возобновлять трёхсторонний меморандум с фондом «Игилик».",
            "igilik",
            datetime.date(2011, 4, 30),
            D.DONE,
        ),
        (
            "ҮЕҰ басшыларына арналған оқыту семинарларын ұйымдастыру.",
            "Организовать обучающие семинары для руководителей НПО.",
            "alliance",
            datetime.date(2011, 6, 30),
            D.IN_PROGRESS,
        ),
    ],
    5: [
        (
            "Ауылдық жерлердегі әлеуметтік жобаларды қаржыландыруды арттыру.",
            "Увеличить финансирование социальных проектов в сельской местности.",
            "igilik",
            datetime.date(2013, 6, 30),
            D.DONE,
        ),
        (
            "Әлеуметтік жобаларға қоғамдық мониторинг жүйесін енгізу.",
            "Внедрить систему общественного мониторинга социальных проектов.",
            "alliance",
            datetime.date(2013, 9, 30),
            D.IN_PROGRESS,
        ),
        (
            "Кәсіподақтармен екіжақты меморандумды жаңарту.",
            "Обновить двусторонний меморандум с профсоюзами.",
            "trade-unions",
            datetime.date(2012, 12, 31),
            D.NOT_DONE,
        ),
    ],
    6: [
        (
            "ҮЕҰ-ның әлеуметтік жаңғыру бағдарламаларына қатысуын кеңейту.",
            "Расширить участие НПО в программах социальной модернизации.",
            "akimat",
            datetime.date(2015, 6, 30),
            D.DONE,
        ),
        (
            "Альянс порталында жобалар мен гранттардың ашық тізілімін жариялау.",
            "Опубликовать открытый реестр проектов и грантов на портале альянса.",
            "alliance",
            datetime.date(2014, 12, 31),
            D.IN_PROGRESS,
        ),
        (
            "Кәсіпкерлер одағымен бірлескен әлеуметтік жобалар бастау.",
            "Начать совместные социальные проекты с союзом предпринимателей.",
            "entrepreneurs-union",
            datetime.date(2015, 3, 31),
            D.PLANNED,
        ),
    ],
}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


def _forums(city: District, orgs: dict) -> dict[int, Forum]:
    forums = {}
    for number, day, theme_kk, theme_ru in FORUMS:
        is_next = number == 7
        forum, _created = Forum.objects.update_or_create(
            level=Forum.Level.REGIONAL,
            number=number,
            defaults={
                "theme_kk": theme_kk,
                "theme_ru": theme_ru,
                "starts_on": day,
                "ends_on": day,
                "district": city,
                "venue": "Қызылорда, облыстық филармония"
                if not is_next
                else "Қызылорда, «Сыр елі» конгресс-холы",
                "capacity": 250 if is_next else None,
                "registration_deadline": _at(day - datetime.timedelta(days=8), 18)
                if is_next
                else None,
                "guests_of_note": "Облыс әкімі; ҚР Мәдениет және ақпарат министрлігінің өкілі"
                if number == 6
                else "",
            },
        )
        forum.organisers.set([orgs["alliance"], orgs["akimat"]])
        forums[number] = forum
    seventh = forums[7]
    for start, end, kk, ru, speakers in [
        (
            (9, 0),
            (10, 30),
            "Пленарлық отырыс: VI форум ұстанымдарының орындалуы",
            "Пленарное заседание: исполнение резолюций VI форума",
            "Альянс төрағасы; облыс әкімінің орынбасары",
        ),
        (
            (11, 0),
            (13, 0),
            "Секциялар: ауыл жастары, Арал өңірінің экологиясы",
            "Секции: сельская молодёжь, экология Приаралья",
            "ҮЕҰ басшылары",
        ),
    ]:
        AgendaSession.objects.update_or_create(
            forum=seventh,
            title_ru=ru,
            defaults={
                "title_kk": kk,
                "starts_at": _at(seventh.starts_on, *start),
                "ends_at": _at(seventh.starts_on, *end),
                "speakers": speakers,
            },
        )
    return forums


def _resolutions(forums: dict[int, Forum], orgs: dict) -> int:
    count = 0
    for number, rows in RESOLUTIONS.items():
        for i, (kk, ru, org, deadline, status) in enumerate(rows, start=1):
            Resolution.objects.update_or_create(
                forum=forums[number],
                number=i,
                defaults={
                    "text_kk": kk,
                    "text_ru": ru,
                    "responsible": orgs.get(org),
                    "deadline": deadline,
                    "status": status,
                },
            )
            count += 1
    return count


def _events(orgs: dict) -> list[Event]:
    today = timezone.localdate()
    rows = [
        (
            "aral",
            Event.Kind.TRAINING,
            14,
            (10, 0),
            (17, 0),
            "ҮЕҰ-ға арналған семинар-тренинг: әлеуметтік жобаны жазу",
            "Семинар-тренинг для НПО: как написать социальный проект",
            "Арал ауданы, аудандық мәдениет үйі",
            30,
        ),
        (
            "shieli",
            Event.Kind.ROUND_TABLE,
            21,
            (11, 0),
            (13, 0),
            "Дөңгелек үстел: ауыл жастарының бос уақыты",
            "Круглый стол: досуг сельской молодёжи",
            "Шиелі кенті, аудандық әкімдік мәжіліс залы",
            40,
        ),
        (
            "kyzylorda",
            Event.Kind.AKIM_MEETING,
            45,
            (15, 0),
            (17, 30),
            "Облыс әкімінің ҮЕҰ басшыларымен жыл сайынғы кездесуі",
            "Ежегодная встреча акима области с руководителями НПО",
            "Қызылорда, облыстық әкімдік, мәжіліс залы",
            120,
        ),
    ]
    events = []
    for code, kind, days, start, end, kk, ru, venue, capacity in rows:
        day = today + datetime.timedelta(days=days)
        event, _created = Event.objects.update_or_create(
            kind=kind,
            title_ru=ru,
            defaults={
                "title_kk": kk,
                "district": District.objects.get(code=code),
                "starts_at": _at(day, *start),
                "ends_at": _at(day, *end),
                "venue": venue,
                "organiser": orgs["alliance"],
                "capacity": capacity,
                "registration_deadline": _at(day - datetime.timedelta(days=2), 18),
                "description_kk": kk,
                "description_ru": ru,
            },
        )
        events.append(event)
    return events


def _registrations(forum: Forum, orgs: dict) -> None:
    staff = User.objects.filter(email="staff@demo.kz").first()
    if staff is None or not forum.is_registration_open:
        return
    for name, position, org in [
        ("Айгүл Сәрсенова", "Төраға", "alliance"),
        ("Бауыржан Омаров", "Ішкі саясат бөлімінің басшысы", "akimat"),
    ]:
        organisation = orgs[org]
        exists = Registration.objects.filter(
            forum=forum, full_name=name, organisation=organisation
        ).exists()
        if not exists:
            services.registration_create(
                gathering=forum,
                delegate=services.DelegateData(
                    full_name=name,
                    position=position,
                    organisation=organisation,
                    phone="+7 724 000 00 00",
                ),
                actor=staff,
            )


def seed(stdout) -> None:
    city = District.objects.get(code="kyzylorda")
    orgs = {o.slug: o for o in Organisation.objects.all()}
    forums = _forums(city, orgs)
    resolutions = _resolutions(forums, orgs)
    events = _events(orgs)
    _registrations(forums[7], orgs)
    stdout.write(
        f"  forums: {len(forums)} forums, {resolutions} resolutions, "
        f"{len(events)} events"
    )
