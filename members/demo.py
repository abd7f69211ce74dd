"""Demo data of the members app: districts, partner bodies, one user per role."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from alliance_portal.permissions import Role

from .models import District, FieldOfActivity, Organisation, User

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
    stdout.write(f"  members: {len(DISTRICTS)} districts, {len(DEMO_USERS)} demo users")
