"""Demo data: the memoranda of the source article (the tripartite memoranda of
2009–2013 with the akimat and the Igilik fund, the bilateral ones of 2006–2007) and a
current tripartite memorandum with commitments. Idempotent: natural keys are (kind,
number, signing date)."""

from __future__ import annotations

import datetime

from members.models import Organisation

from .models import Commitment, CommitmentNote, Memorandum, MemorandumParty

D = datetime.date

AKIM_KK, AKIM_RU = "Қызылорда облысының әкімі", "Аким Кызылординской области"
CHAIR_KK, CHAIR_RU = "Қауымдастық төрағасы", "Председатель ассоциации"
FUND_KK, FUND_RU = "Қор директоры", "Директор фонда"

TRIPARTITE_TITLE = (
    "Бірлескен іс-қимыл және әріптестік туралы үшжақты меморандум",
    "Трёхсторонний меморандум о совместных действиях и партнёрстве",
)
TRIPARTITE_GOALS = (
    "Облыстағы азаматтық қоғамды дамыту, үкіметтік емес ұйымдардың әлеуметтік "
    "маңызы бар жобаларын қолдау және өңір тұрғындарының түйткілді мәселелерін "
    "билікпен бірлесе шешу.\n"
    "Әлеуметтік жобаларды қаржыландырудың ашықтығы мен тиімділігін қамтамасыз ету.",
    "Развитие гражданского общества в области, поддержка социально значимых "
    "проектов неправительственных организаций и совместное с властью решение "
    "острых проблем жителей региона.\n"
    "Обеспечение прозрачности и эффективности финансирования социальных проектов.",
)
TRIPARTITE_DIRECTIONS = (
    "«Игілік» қоры арқылы ҮЕҰ-дың әлеуметтік жобаларын қаржыландыру.\n"
    "Жобаларды іріктеуді, қаржыландыруға ұсынуды және қаржының жұмсалуын бақылауды "
    "«Азаматтық альянсқа» тапсыру.\n"
    "Аудандар мен ауылдардағы үкіметтік емес секторды дамыту.",
    "Финансирование социальных проектов НПО через фонд «Игилик».\n"
    "Поручение «Гражданскому альянсу» отбора проектов, рекомендации их к "
    "финансированию и контроля за расходованием средств.\n"
    "Развитие неправительственного сектора в районах и сёлах.",
)
# (number, signing date, akim's name). Only the 1st (17 March 2009) and the 5th
# (18 April 2013) dates are in the source article; the others are illustrative.
TRIPARTITE = [
    (1, D(2009, 3, 17), "Б. Қуандықов"),
    (2, D(2010, 3, 25), "Б. Қуандықов"),
    (3, D(2011, 4, 12), "Б. Қуандықов"),
    (4, D(2012, 4, 10), "Б. Қуандықов"),
    (5, D(2013, 4, 18), "Қ. Көшербаев"),
]
TRIPARTITE_COMMITMENTS = [
    (
        "igilik",
        "ҮЕҰ-дың әлеуметтік жобаларын қаржыландыруға қаражат бөлу",
        "Выделить средства на финансирование социальных проектов НПО",
        60,
        Commitment.Status.DONE,
    ),
    (
        "alliance",
        "Әлеуметтік жобалар конкурсын өткізіп, жобаларды іріктеу",
        "Провести конкурс социальных проектов и отобрать проекты",
        120,
        Commitment.Status.DONE,
    ),
    (
        "alliance",
        "Қаржының мақсатты жұмсалуына мониторинг жүргізіп, есеп беру",
        "Провести мониторинг целевого расходования средств и отчитаться",
        330,
        Commitment.Status.DONE,
    ),
    (
        "akimat",
        "Облыс әкімінің ҮЕҰ жетекшілерімен жыл сайынғы кездесуін өткізу",
        "Провести ежегодную встречу акима области с руководителями НПО",
        300,
        Commitment.Status.DROPPED,
    ),
]

BILATERAL = [
    # slug, signed, until, status, title kk, title ru, signatory, position kk/ru
    (
        "nur-otan",
        D(2007, 3, 20),
        D(2012, 3, 19),
        Memorandum.Status.EXPIRED,
        "«Нұр Отан» партиясының облыстық филиалымен әлеуметтік әріптестік туралы "
        "меморандум",
        "Меморандум о социальном партнёрстве с областным филиалом партии «Нур Отан»",
        "Филиал төрағасының бірінші орынбасары",
        "Первый заместитель председателя филиала",
    ),
    (
        "trade-unions",
        D(2006, 11, 15),
        None,
        Memorandum.Status.IN_FORCE,
        "Облыстық кәсіподақтар кеңесімен бірлескен іс-қимыл туралы меморандум",
        "Меморандум о совместных действиях с областным советом профсоюзов",
        "Кеңес төрағасы",
        "Председатель совета",
    ),
    (
        "atameken",
        D(2006, 12, 5),
        None,
        Memorandum.Status.IN_FORCE,
        "«Атамекен» палатасының облыстық филиалымен бірлескен іс-қимыл туралы "
        "меморандум",
        "Меморандум о совместных действиях с региональной палатой «Атамекен»",
        "Филиал директоры",
        "Директор филиала",
    ),
    (
        "entrepreneurs-union",
        D(2007, 5, 14),
        D(2010, 5, 13),
        Memorandum.Status.EXPIRED,
        "Облыстық кәсіпкерлер одағымен бірлескен іс-қимыл туралы меморандум",
        "Меморандум о совместных действиях с областным союзом предпринимателей",
        "Одақ төрағасы",
        "Председатель союза",
    ),
]
BILATERAL_COMMITMENTS = [
    (
        "partner",
        "ҮЕҰ өкілдерін әлеуметтік әріптестік жөніндегі кеңестерге қатыстыру",
        "Привлекать представителей НПО к советам по социальному партнёрству",
        180,
        Commitment.Status.DONE,
    ),
    (
        "alliance",
        "Бірлескен дөңгелек үстел мен семинар өткізу",
        "Провести совместный круглый стол и семинар",
        365,
        Commitment.Status.IN_PROGRESS,
    ),
]

CURRENT_COMMITMENTS = [
    (
        "igilik",
        "2026 жылғы әлеуметтік жобалар конкурсына қаражат бөлу",
        "Выделить средства на конкурс социальных проектов 2026 года",
        D(2026, 3, 31),
        Commitment.Status.DONE,
    ),
    (
        "alliance",
        "Жобаларды іріктеп, сарапшылар кеңесінің шешімін жариялау",
        "Отобрать проекты и опубликовать решение экспертного совета",
        D(2026, 6, 30),
        Commitment.Status.DONE,
    ),
    (
        "alliance",
        "Аудандардағы жобаларға мониторинг сапарларын өткізу",
        "Провести мониторинговые визиты по проектам в районах",
        D(2026, 10, 31),
        Commitment.Status.IN_PROGRESS,
    ),
    (
        "akimat",
        "Облыс әкімінің ҮЕҰ жетекшілерімен жылдық кездесуін ұйымдастыру",
        "Организовать ежегодную встречу акима области с руководителями НПО",
        D(2026, 9, 30),
        Commitment.Status.PLANNED,
    ),
    (
        "alliance",
        "Меморандумның орындалуы туралы қорытынды есеп дайындау",
        "Подготовить итоговый отчёт о выполнении меморандума",
        D(2027, 2, 15),
        Commitment.Status.PLANNED,
    ),
]


def _memorandum(**fields) -> Memorandum:
    memorandum, _ = Memorandum.objects.update_or_create(
        kind=fields.pop("kind"),
        number=fields.pop("number"),
        signed_on=fields.pop("signed_on"),
        defaults=fields,
    )
    return memorandum


def _party(memorandum, org, order, name, pos_kk, pos_ru) -> None:
    MemorandumParty.objects.update_or_create(
        memorandum=memorandum,
        organisation=org,
        defaults={
            "signatory_name": name,
            "signatory_position_kk": pos_kk,
            "signatory_position_ru": pos_ru,
            "order": order,
        },
    )


def _commitment(memorandum, order, org, kk, ru, due, status) -> None:
    done = status == Commitment.Status.DONE
    commitment, created = Commitment.objects.update_or_create(
        memorandum=memorandum,
        order=order,
        defaults={
            "text_kk": kk,
            "text_ru": ru,
            "responsible": org,
            "due_on": due,
            "status": status,
            "completed_on": due if done else None,
        },
    )
    if created and status != Commitment.Status.PLANNED:
        CommitmentNote.objects.create(
            commitment=commitment,
            text="Демо: орындалу барысы тіркелді.",
            from_status=Commitment.Status.PLANNED,
            to_status=status,
        )


def seed(stdout) -> None:
    orgs = {o.slug: o for o in Organisation.objects.all()}
    akimat, alliance, igilik = orgs["akimat"], orgs["alliance"], orgs["igilik"]
    count = 0
    for number, signed, akim in TRIPARTITE:
        memorandum = _memorandum(
            kind=Memorandum.Kind.TRIPARTITE,
            number=number,
            signed_on=signed,
            title_kk=TRIPARTITE_TITLE[0],
            title_ru=TRIPARTITE_TITLE[1],
            valid_from=signed,
            valid_until=signed.replace(year=signed.year + 1) - datetime.timedelta(1),
            goals_kk=TRIPARTITE_GOALS[0],
            goals_ru=TRIPARTITE_GOALS[1],
            directions_kk=TRIPARTITE_DIRECTIONS[0],
            directions_ru=TRIPARTITE_DIRECTIONS[1],
            status=Memorandum.Status.EXPIRED,
        )
        _party(memorandum, akimat, 0, akim, AKIM_KK, AKIM_RU)
        _party(memorandum, alliance, 1, "Д. Ақмағамбетова", CHAIR_KK, CHAIR_RU)
        _party(memorandum, igilik, 2, "Н. Жұмабеков", FUND_KK, FUND_RU)
        for order, (slug, kk, ru, days, status) in enumerate(TRIPARTITE_COMMITMENTS):
            # The last tripartite memorandum leaves its monitoring report undone:
            # an overdue commitment for the demo.
            if number == 5 and order == 2:
                status = Commitment.Status.IN_PROGRESS
            due = signed + datetime.timedelta(days=days)
            _commitment(memorandum, order, orgs[slug], kk, ru, due, status)
        count += 1
    for slug, signed, until, status, t_kk, t_ru, pos_kk, pos_ru in BILATERAL:
        partner = orgs[slug]
        memorandum = _memorandum(
            kind=Memorandum.Kind.BILATERAL,
            number=1,
            signed_on=signed,
            title_kk=t_kk,
            title_ru=t_ru,
            valid_from=signed,
            valid_until=until,
            goals_kk="Әлеуметтік әріптестікті дамыту және азаматтық қоғамды нығайту.",
            goals_ru="Развитие социального партнёрства и укрепление гражданского "
            "общества.",
            directions_kk="Бірлескен іс-шаралар, ақпарат алмасу, "
            "ҮЕҰ бастамаларын қолдау.",
            directions_ru="Совместные мероприятия, обмен информацией, "
            "поддержка инициатив НПО.",
            status=status,
        )
        _party(memorandum, alliance, 0, "Д. Ақмағамбетова", CHAIR_KK, CHAIR_RU)
        _party(memorandum, partner, 1, "С. Серікбаев", pos_kk, pos_ru)
        for order, (who, kk, ru, days, c_status) in enumerate(BILATERAL_COMMITMENTS):
            org = partner if who == "partner" else alliance
            due = signed + datetime.timedelta(days=days)
            if until is None and order == 1:
                # Open-ended memoranda plan a joint event each year: one is
                # overdue, the other due soon.
                due = D(2026, 11, 20) if slug == "trade-unions" else D(2026, 12, 15)
            _commitment(memorandum, order, org, kk, ru, due, c_status)
        count += 1
    current = _memorandum(
        kind=Memorandum.Kind.TRIPARTITE,
        number=18,
        signed_on=D(2026, 2, 20),
        title_kk=TRIPARTITE_TITLE[0],
        title_ru=TRIPARTITE_TITLE[1],
        valid_from=D(2026, 2, 20),
        valid_until=D(2027, 2, 19),
        goals_kk=TRIPARTITE_GOALS[0],
        goals_ru=TRIPARTITE_GOALS[1],
        directions_kk=TRIPARTITE_DIRECTIONS[0],
        directions_ru=TRIPARTITE_DIRECTIONS[1],
        status=Memorandum.Status.IN_FORCE,
    )
    _party(current, akimat, 0, "А. Әкімов", AKIM_KK, AKIM_RU)
    _party(current, alliance, 1, "Г. Әбдірахманова", CHAIR_KK, CHAIR_RU)
    _party(current, igilik, 2, "Н. Жұмабеков", FUND_KK, FUND_RU)
    for order, (slug, kk, ru, due, status) in enumerate(CURRENT_COMMITMENTS):
        _commitment(current, order, orgs[slug], kk, ru, due, status)
    count += 1
    stdout.write(f"  memoranda: {count} memoranda with parties and commitments")
