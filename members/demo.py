"""Demo data of the members app: districts, partner bodies, one user per role."""

import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from alliance_portal.permissions import Role

from .models import (
    Affiliation,
    BankAccount,
    District,
    FieldOfActivity,
    MembershipPeriod,
    Organisation,
    User,
)
from .validators import bin_check_digit, iban_check_digits

# Documented in the README: every demo account uses these.
DEMO_PASSWORD = "Alliance-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPKZALLIAN"

DISTRICTS = [
    ("kyzylorda", "Қызылорда қаласы", "город Кызылорда"),
    ("aral", "Арал ауданы", "Аральский район"),
    ("kazaly", "Қазалы ауданы", "Казалинский район"),
    ("karmakshy", "Қармақшы ауданы", "Кармакшинский район"),
    ("zhalagash", "Жалағаш ауданы", "Жалагашский район"),
    ("syrdariya", "Сырдария ауданы", "Сырдарьинский район"),
    ("shieli", "Шиелі ауданы", "Шиелийский район"),
    ("zhanakorgan", "Жаңақорған ауданы", "Жанакорганский район"),
    ("baikonur", "Байқоңыр қаласы", "город Байконур"),
]

ORGANISATIONS = [
    (
        "alliance",
        Organisation.Kind.ALLIANCE,
        Organisation.LegalForm.ASSOCIATION,
        "Қызылорда облысы «Азаматтық альянсы» қауымдастығы",
        "Ассоциация «Гражданский альянс» Кызылординской области",
    ),
    (
        "akimat",
        Organisation.Kind.AKIMAT,
        Organisation.LegalForm.STATE_BODY,
        "Қызылорда облысының әкімдігі",
        "Акимат Кызылординской области",
    ),
    (
        "igilik",
        Organisation.Kind.FUND,
        Organisation.LegalForm.FOUNDATION,
        "«Игілік» корпоративтік қоры",
        "Корпоративный фонд «Игилик»",
    ),
    (
        "nur-otan",
        Organisation.Kind.PARTNER,
        Organisation.LegalForm.PUBLIC_ASSOCIATION,
        "«Нұр Отан» партиясының облыстық филиалы",
        "Областной филиал партии «Нур Отан»",
    ),
    (
        "trade-unions",
        Organisation.Kind.PARTNER,
        Organisation.LegalForm.ASSOCIATION,
        "Облыстық кәсіподақтар кеңесі",
        "Областной совет профсоюзов",
    ),
    (
        "atameken",
        Organisation.Kind.PARTNER,
        Organisation.LegalForm.OTHER,
        "«Атамекен» ұлттық кәсіпкерлер палатасының облыстық филиалы",
        "Региональная палата предпринимателей «Атамекен»",
    ),
    (
        "entrepreneurs-union",
        Organisation.Kind.PARTNER,
        Organisation.LegalForm.ASSOCIATION,
        "Облыстық кәсіпкерлер одағы",
        "Областной союз предпринимателей",
    ),
]

FIELDS = [
    ("children-youth", "Балалар мен жастар", "Дети и молодёжь"),
    ("social-protection", "Әлеуметтік қорғау", "Социальная защита"),
    ("health", "Денсаулық сақтау", "Здравоохранение"),
    ("aral-ecology", "Арал өңірінің экологиясы", "Экология Приаралья"),
    ("state-language", "Мемлекеттік тіл", "Государственный язык"),
    ("interethnic-accord", "Ұлтаралық келісім", "Межнациональное согласие"),
    (
        "anti-corruption",
        "Сыбайлас жемқорлыққа қарсы іс-қимыл",
        "Противодействие коррупции",
    ),
    ("veterans", "Ардагерлер", "Ветераны"),
    ("disability", "Мүгедектігі бар адамдар", "Люди с инвалидностью"),
    ("culture", "Мәдениет", "Культура"),
]

DEMO_USERS = [
    ("leader@demo.kz", Role.NGO_LEADER, "Айгүл Сәрсенова"),
    ("expert@demo.kz", Role.EXPERT, "Ержан Қалиев"),
    ("staff@demo.kz", Role.STAFF, "Гүлнар Әбдірахманова"),
    ("fund@demo.kz", Role.FUND_OFFICER, "Нұрлан Жұмабеков"),
    ("official@demo.kz", Role.OFFICIAL, "Бауыржан Омаров"),
    ("admin@demo.kz", Role.ADMIN, "Администратор"),
]


def demo_user(email: str, role: str, full_name: str) -> User:
    """Create a verified demo user once; MFA roles get TOTP with the known secret."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "role": role,
            "full_name": full_name,
            "is_staff": role == Role.ADMIN,
            "is_superuser": role == Role.ADMIN,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    needs_totp = role != Role.NGO_LEADER
    has_totp = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()
    if needs_totp and not has_totp:
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


ACTIVE, SUSPENDED = MembershipPeriod.Status.ACTIVE, MembershipPeriod.Status.SUSPENDED
D = datetime.date

# slug, name kk, name ru, district, fields, registered, leader, membership periods
# (status, from, until). 8 members at the end of 2006, 9 today, some left or suspended.
DEMO_NGOS = [
    (
        "umit",
        "«Үміт» қоғамдық бірлестігі",
        "Общественное объединение «Умит»",
        "kyzylorda",
        ["children-youth", "social-protection"],
        D(2003, 4, 10),
        "Айгүл Сәрсенова",
        [(ACTIVE, D(2006, 3, 15), None)],
    ),
    (
        "aral-tenizi",
        "«Арал теңізі» экологиялық қоғамдық бірлестігі",
        "Экологическое общественное объединение «Аральское море»",
        "aral",
        ["aral-ecology", "health"],
        D(1999, 6, 2),
        "Мұхтар Жақыпов",
        [(ACTIVE, D(2006, 3, 15), None)],
    ),
    (
        "mekter",
        "«Мейірім» қайырымдылық қоры",
        "Благотворительный фонд «Мейирим»",
        "kazaly",
        ["social-protection", "disability"],
        D(2004, 9, 1),
        "Сәуле Бекова",
        [(ACTIVE, D(2006, 3, 15), None)],
    ),
    (
        "zhastar-kenesi",
        "«Жастар кеңесі» қоғамдық бірлестігі",
        "Общественное объединение «Совет молодёжи»",
        "shieli",
        ["children-youth"],
        D(2005, 2, 20),
        "Ерлан Оспанов",
        [(ACTIVE, D(2006, 5, 4), None)],
    ),
    (
        "ana-tili",
        "«Ана тілі» қоғамдық бірлестігі",
        "Общественное объединение «Родной язык»",
        "zhanakorgan",
        ["state-language", "culture"],
        D(2002, 11, 11),
        "Күләш Әлімбетова",
        [(ACTIVE, D(2006, 5, 4), None)],
    ),
    (
        "ardager",
        "«Ардагер» қоғамдық бірлестігі",
        "Общественное объединение «Ветеран»",
        "zhalagash",
        ["veterans"],
        D(2001, 1, 15),
        "Сейітқали Нұрпейісов",
        [(ACTIVE, D(2006, 9, 12), None)],
    ),
    (
        "dostyq",
        "«Достық» этномәдени бірлестігі",
        "Этнокультурное объединение «Достык»",
        "syrdariya",
        ["interethnic-accord", "culture"],
        D(2004, 3, 3),
        "Ольга Ким",
        [(ACTIVE, D(2006, 9, 12), D(2010, 5, 1))],
    ),
    (
        "adal",
        "«Адал» сыбайлас жемқорлыққа қарсы орталығы",
        "Антикоррупционный центр «Адал»",
        "karmakshy",
        ["anti-corruption"],
        D(2005, 7, 7),
        "Дәурен Ахметов",
        [
            (ACTIVE, D(2006, 11, 20), D(2012, 2, 1)),
            (SUSPENDED, D(2012, 2, 1), D(2013, 3, 1)),
            (ACTIVE, D(2013, 3, 1), None),
        ],
    ),
    (
        "densaulyq",
        "«Денсаулық» қоғамдық бірлестігі",
        "Общественное объединение «Здоровье»",
        "kyzylorda",
        ["health"],
        D(2007, 5, 5),
        "Гүлмира Тәжібаева",
        [(ACTIVE, D(2009, 4, 1), None)],
    ),
    (
        "qamqor",
        "«Қамқор» жеке мекемесі",
        "Частное учреждение «Камкор»",
        "kazaly",
        ["social-protection", "children-youth"],
        D(2011, 10, 10),
        "Бақыт Сыздықов",
        [(ACTIVE, D(2014, 6, 16), None)],
    ),
    (
        "syr-ulagaty",
        "«Сыр ұлағаты» қоғамдық бірлестігі",
        "Общественное объединение «Сыр ұлағаты»",
        "aral",
        ["culture", "state-language"],
        D(2012, 8, 8),
        "Нұржан Көпбаев",
        [(ACTIVE, D(2016, 2, 2), D(2023, 9, 1)), (SUSPENDED, D(2023, 9, 1), None)],
    ),
    (
        "zhan-shuaq",
        "«Жан шуақ» мүгедектігі бар адамдарды қолдау қоры",
        "Фонд поддержки людей с инвалидностью «Жан шуак»",
        "baikonur",
        ["disability"],
        D(2018, 12, 1),
        "Әсел Мырзабекова",
        [],
    ),
]


def demo_bin(registered: datetime.date, serial: int) -> str:
    """A valid BIN of a legal entity registered in that month (check digit computed)."""
    while True:
        first = f"{registered:%y%m}40{serial:05d}"
        digit = bin_check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
        serial += 1


def seed_ngos() -> None:
    districts = {d.code: d for d in District.objects.all()}
    fields = {f.code: f for f in FieldOfActivity.objects.all()}
    for n, (slug, kk, ru, district, codes, registered, leader, periods) in enumerate(
        DEMO_NGOS, start=1
    ):
        organisation, _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "kind": Organisation.Kind.NGO,
                "name_kk": kk,
                "name_ru": ru,
                "legal_form": Organisation.LegalForm.FOUNDATION
                if kk.endswith("қоры")
                else Organisation.LegalForm.PUBLIC_ASSOCIATION,
                "bin": demo_bin(registered, 1000 + n * 37),
                "district": districts[district],
                "registration_date": registered,
                "leader_name": leader,
                "address": f"{districts[district].name_ru}, ул. Абая, {n}",
                "phone": f"+7 7242 {20 + n:02d}-{10 + n:02d}-{30 + n:02d}",
                "email": f"info@{slug}.kz",
                "description_kk": f"{kk} — облыстағы азаматтық қоғамның белсенді мүшесі.",
                "description_ru": f"{ru} — активный участник гражданского общества области.",
                "is_published": True,
            },
        )
        organisation.fields_of_activity.set([fields[c] for c in codes])
        for status, started, ended in periods:
            MembershipPeriod.objects.update_or_create(
                organisation=organisation,
                started_on=started,
                defaults={"status": status, "ended_on": ended},
            )
    leader = User.objects.get(email="leader@demo.kz")
    Affiliation.objects.update_or_create(
        user=leader,
        organisation=Organisation.objects.get(slug="umit"),
        defaults={
            "role": Affiliation.Role.LEADER,
            "status": Affiliation.Status.APPROVED,
        },
    )


# (bank, BIK, the bank's 3-digit code in an IBAN)
DEMO_BANKS = [
    ("АҚ «Қазақстан Халық Банкі»", "HSBKKZKX", "601"),
    ("АҚ «Kaspi Bank»", "CASPKZKA", "722"),
    ("АҚ «Банк ЦентрКредит»", "KCJBKZKX", "856"),
    ("АҚ «ForteBank»", "IRTYKZKA", "965"),
]
# slug → (BIN registration month, head's name, position kk, position ru, basis,
# power of attorney No. and date)
PARTY_REQUISITES = {
    "alliance": (
        datetime.date(2006, 2, 1),
        "Жанар Сейітова",
        "Төраға",
        "Председатель",
        Organisation.AuthorityBasis.CHARTER,
        "",
        None,
    ),
    "igilik": (
        datetime.date(2009, 3, 1),
        "Ерлан Сұлтанов",
        "Атқарушы директор",
        "Исполнительный директор",
        Organisation.AuthorityBasis.ATTORNEY,
        "17-Д",
        datetime.date(2026, 1, 10),
    ),
    "akimat": (
        datetime.date(1997, 5, 1),
        "Дәурен Мұратов",
        "Ішкі саясат басқармасының басшысы",
        "Руководитель управления внутренней политики",
        Organisation.AuthorityBasis.ATTORNEY,
        "45",
        datetime.date(2026, 1, 5),
    ),
}


def demo_iban(bank_code: str, serial: int) -> str:
    bban = f"{bank_code}{serial:013d}"
    return f"KZ{iban_check_digits('KZ', bban)}{bban}"


def seed_requisites() -> None:
    """Legal addresses, signatories and bank accounts of the alliance, the fund, the
    akimat and the demo NGOs, so contracts can be generated from the demo data."""
    parties = Organisation.objects.filter(slug__in=PARTY_REQUISITES)
    ngos = Organisation.objects.filter(slug__in=[n[0] for n in DEMO_NGOS])
    for n, organisation in enumerate([*parties, *ngos], start=1):
        if organisation.slug in PARTY_REQUISITES:
            month, head, pos_kk, pos_ru, basis, number, date = PARTY_REQUISITES[
                organisation.slug
            ]
            if not organisation.bin:
                organisation.bin = demo_bin(month, 500 + n * 11)
            organisation.leader_name = head
        else:
            pos_kk, pos_ru = "Төраға", "Председатель"
            basis, number, date = Organisation.AuthorityBasis.CHARTER, "", None
        district = organisation.district.name_kk if organisation.district else ""
        organisation.legal_address = (
            organisation.legal_address
            or f"{district}, Әйтеке би көшесі, {10 + n}".lstrip(", ")
        )
        organisation.head_position_kk = organisation.head_position_kk or pos_kk
        organisation.head_position_ru = organisation.head_position_ru or pos_ru
        organisation.authority_basis = organisation.authority_basis or basis
        organisation.attorney_number = organisation.attorney_number or number
        organisation.attorney_date = organisation.attorney_date or date
        organisation.save()
        bank, bik, code = DEMO_BANKS[n % len(DEMO_BANKS)]
        BankAccount.objects.get_or_create(
            organisation=organisation,
            is_primary=True,
            defaults={
                "bank_name": bank,
                "iban": demo_iban(code, 4000000 + n),
                "bik": bik,
                "kbe": "12" if organisation.kind == Organisation.Kind.AKIMAT else "18",
            },
        )


def seed(stdout) -> None:
    for order, (code, kk, ru) in enumerate(DISTRICTS):
        District.objects.update_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "order": order}
        )
    for order, (code, kk, ru) in enumerate(FIELDS):
        FieldOfActivity.objects.update_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "order": order}
        )
    city = District.objects.get(code="kyzylorda")
    for slug, kind, form, kk, ru in ORGANISATIONS:
        Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "kind": kind,
                "legal_form": form,
                "name_kk": kk,
                "name_ru": ru,
                "district": city,
            },
        )
    for email, role, name in DEMO_USERS:
        demo_user(email, role, name)
    seed_ngos()
    seed_requisites()
    stdout.write(
        f"  members: {len(DISTRICTS)} districts, {len(DEMO_USERS)} demo users, {len(DEMO_NGOS)} NGOs"
    )
