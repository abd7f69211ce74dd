"""Demo data of the grants app: one active grant half-way through (first tranche paid,
some spending, interim report submitted) and one closed grant with a returned
remainder. Idempotent: grants are found by their application's number."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from alliance_portal.permissions import Role
from grants import services
from grants.documents import contract_pdf
from grants.models import Grant, Report
from members.models import Affiliation, BankAccount, District, Organisation, User
from projects.models import Application, BudgetLine, Call

DEMO_CALL = "Демо: әлеуметтік жобалар конкурсы (Игілік)"
DEMO_LINES = (
    (BudgetLine.Category.STAFF, "Жоба үйлестірушісінің еңбекақысы", Decimal("600000")),
    (BudgetLine.Category.EVENTS, "Аудандарда семинар-тренингтер", Decimal("650000")),
    (BudgetLine.Category.PUBLICATIONS, "Буклеттер мен баннерлер", Decimal("250000")),
)


def _user(email: str, role: str) -> User | None:
    return User.objects.filter(email=email, role=role).first()


def _approved(user, organisation, role=Affiliation.Role.LEADER) -> None:
    Affiliation.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={"status": Affiliation.Status.APPROVED, "role": role},
    )


def _ensure_requisites(
    organisation: Organisation,
    *,
    number: int,
    address: str,
    head: str = "Асқар Жұмабаев",
) -> None:
    """Requisites, so the organisation's contract can be generated from demo data."""
    if not organisation.requisites_missing():
        return
    from members.demo import demo_bin, demo_iban

    organisation.bin = organisation.bin or demo_bin(datetime.date(2012, 6, 1), number)
    organisation.legal_address = organisation.legal_address or address
    organisation.leader_name = organisation.leader_name or head
    organisation.head_position_kk = organisation.head_position_kk or "Төраға"
    organisation.head_position_ru = organisation.head_position_ru or "Председатель"
    organisation.authority_basis = (
        organisation.authority_basis or Organisation.AuthorityBasis.CHARTER
    )
    organisation.save()
    BankAccount.objects.get_or_create(
        organisation=organisation,
        is_primary=True,
        defaults={
            "bank_name": "АҚ «Қазақстан Халық Банкі»",
            "iban": demo_iban("601", number),
            "bik": "HSBKKZKX",
            "kbe": "18",
        },
    )


def _ngo() -> Organisation:
    ngo, _created = Organisation.objects.get_or_create(
        slug="demo-ngo-1",
        defaults={
            "name_kk": "«Арал жастары» қоғамдық бірлестігі",
            "name_ru": "Общественное объединение «Молодёжь Арала»",
            "kind": Organisation.Kind.NGO,
            "district": District.objects.filter(code="aral").first(),
        },
    )
    _ensure_requisites(ngo, number=7301, address="Арал қ., Бақтыбай батыр көшесі, 4")
    return ngo


def _call(igilik: Organisation) -> Call:
    now = timezone.now()
    call, _created = Call.objects.get_or_create(
        title_kk=DEMO_CALL,
        defaults={
            "title_ru": "Демо: конкурс социальных проектов (Игилик)",
            "funder": igilik,
            "envelope": Decimal("20000000"),
            "min_grant": Decimal("500000"),
            "max_grant": Decimal("3000000"),
            "opens_at": now - datetime.timedelta(days=500),
            "closes_at": now - datetime.timedelta(days=450),
            "status": Call.Status.DECIDED,
        },
    )
    return call


def _application(*, number: str, title: str, call, ngo, leader) -> Application:
    app, created = Application.objects.get_or_create(
        number=number,
        defaults={
            "call": call,
            "organisation": ngo,
            "created_by": leader,
            "title": title,
            "status": Application.Status.RECOMMENDED,
            "problem": "Ауыл жастарының бос уақыты ұйымдастырылмаған.",
            "goals": "Аудандарда жастарға арналған үйірмелер мен тренингтер.",
            "beneficiaries_direct": 150,
            "requested_amount": Decimal("1500000"),
            "approved_amount": Decimal("1500000"),
            "submitted_at": timezone.now() - datetime.timedelta(days=480),
        },
    )
    if created:
        for order, (category, item, amount) in enumerate(DEMO_LINES):
            BudgetLine.objects.create(
                application=app,
                category=category,
                item=item,
                unit="—",
                quantity=Decimal(1),
                unit_cost=amount,
                grant_amount=amount,
                order=order,
            )
    return app


def _sign(grant: Grant, staff) -> Grant:
    services.grant_generate_contract(grant=grant, actor=staff)
    scan = ContentFile(contract_pdf(grant, "kk"), name="signed.pdf")
    return services.grant_sign(grant=grant, actor=staff, scan=scan)


def _pay(grant: Grant, sequence: int, *, staff, officer, paid_on) -> None:
    tranche = grant.tranches.get(sequence=sequence)
    services.tranche_approve(tranche=tranche, actor=staff)
    services.tranche_confirm_payment(
        tranche=tranche,
        actor=officer,
        paid_on=paid_on,
        payment_document=f"ПП-{grant.number[-4:]}-{sequence}",
    )


def _spend(grant: Grant, leader, items) -> None:
    lines = list(grant.budget_lines.order_by("order"))
    for line_index, day, description, amount in items:
        services.expenditure_record(
            grant=grant,
            actor=leader,
            budget_line_id=lines[line_index].pk,
            spent_on=grant.starts_on + datetime.timedelta(days=day),
            description=description,
            amount=Decimal(amount),
            supplier="ЖШС «Сыр медиа»" if line_index == 2 else "ЖК «Арал»",
            payment_document=f"ПП-{day}",
        )


def _report(grant: Grant, leader, kind, start_day: int, end_day: int) -> Report:
    return services.report_save(
        grant=grant,
        actor=leader,
        kind=kind,
        period_start=grant.starts_on + datetime.timedelta(days=start_day),
        period_end=grant.starts_on + datetime.timedelta(days=end_day),
        activities="Арал, Қазалы аудандарында 4 семинар-тренинг өтті.",
        results="Индикатор 1: 80 жасөспірім оқытылды (жоспар 75).",
        beneficiaries_reached=80,
    )


def seed(stdout) -> None:
    igilik = Organisation.objects.filter(slug="igilik").first()
    staff = _user("staff@demo.kz", Role.STAFF)
    officer = _user("fund@demo.kz", Role.FUND_OFFICER)
    leader = _user("leader@demo.kz", Role.NGO_LEADER)
    if not (igilik and staff and officer and leader):
        stdout.write("  grants: skipped (members demo data missing)")
        return
    _approved(officer, igilik, role=Affiliation.Role.STAFF)
    ngo = _ngo()
    _approved(leader, ngo)
    call = _call(igilik)
    today = timezone.localdate()

    active_app = _application(
        number="IG-DEMO-G1",
        title="Арал жастарына арналған көшбасшылық мектебі",
        call=call,
        ngo=ngo,
        leader=leader,
    )
    if not Grant.objects.filter(application=active_app).exists():
        start = today - datetime.timedelta(days=120)
        grant = services.grant_create(
            application=active_app,
            actor=staff,
            starts_on=start,
            ends_on=today + datetime.timedelta(days=180),
        )
        grant = _sign(grant, staff)
        _pay(grant, 1, staff=staff, officer=officer, paid_on=start)
        _spend(
            grant,
            leader,
            [
                (0, 30, "Үйлестірушінің 1-ай еңбекақысы", "100000"),
                (1, 40, "Арал ауданында семинар", "180000"),
                (2, 50, "Буклет басып шығару", "90000"),
            ],
        )
        report = _report(grant, leader, Report.Kind.INTERIM, 0, 100)
        services.report_submit(report=report, actor=leader)

    closed_app = _application(
        number="IG-DEMO-G2",
        title="Қазалы ауданындағы қарттарға әлеуметтік көмек",
        call=call,
        ngo=ngo,
        leader=leader,
    )
    if not Grant.objects.filter(application=closed_app).exists():
        start = today - datetime.timedelta(days=400)
        grant = services.grant_create(
            application=closed_app,
            actor=staff,
            starts_on=start,
            ends_on=today - datetime.timedelta(days=40),
            amount=Decimal("1200000"),
        )
        grant = _sign(grant, staff)
        _pay(grant, 1, staff=staff, officer=officer, paid_on=start)
        _spend(
            grant, leader, [(0, 20, "Еңбекақы", "300000"), (1, 60, "Семинар", "250000")]
        )
        interim = _report(grant, leader, Report.Kind.INTERIM, 0, 150)
        services.report_submit(report=interim, actor=leader)
        services.report_decide(report=interim, actor=staff, approve=True)
        _pay(
            grant,
            2,
            staff=staff,
            officer=officer,
            paid_on=start + datetime.timedelta(days=160),
        )
        _spend(grant, leader, [(1, 200, "Қорытынды семинар", "250000")])
        final = _report(grant, leader, Report.Kind.FINAL, 151, 350)
        services.report_submit(report=final, actor=leader)
        services.report_decide(report=final, actor=staff, approve=True)
        services.monitoring_visit_record(
            grant=grant,
            actor=staff,
            visited_on=start + datetime.timedelta(days=90),
            visitors="Г. Әбдірахманова",
            findings="Іс-шаралар жоспар бойынша өтуде, құжаттар тәртіпте.",
            rating=5,
        )
        services.grant_close(grant=grant, actor=staff)
    _grant_of_2025(staff)
    stdout.write(f"  grants: {Grant.objects.count()} grants")


def _grant_of_2025(staff) -> None:
    """The funded project of the decided 2025 call (projects demo) gets its grant:
    no application is funded without one. Older demo databases marked it funded
    without a grant; they are repaired here."""
    app = Application.objects.filter(number="IG-2025-0001").first()
    if app is None or Grant.objects.filter(application=app).exists():
        return
    if app.status == Application.Status.FUNDED:
        app.status = Application.Status.RECOMMENDED
        app.save(update_fields=["status"])
    if not app.budget_lines.exists():
        BudgetLine.objects.create(
            application=app,
            category=BudgetLine.Category.EQUIPMENT,
            item="Спорт алаңының жабдығы",
            unit="жиынтық",
            quantity=Decimal(1),
            unit_cost=app.approved_amount or app.requested_amount,
            grant_amount=app.approved_amount or app.requested_amount,
        )
    _ensure_requisites(
        app.organisation, number=7302, address="Қызылорда қ., Абай даңғылы, 12"
    )
    grant = services.grant_create(
        application=app,
        actor=staff,
        starts_on=datetime.date(2025, 5, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    _sign(grant, staff)
