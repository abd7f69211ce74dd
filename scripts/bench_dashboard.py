"""Benchmark of the officials' dashboard at the scale of ten years of data.

Seeds (once; ``--reseed`` to start over) 2,000 NGOs, 20,000 applications (with
~1,900-character problem texts), 5,000
grants with 10,000 tranches, 10,000 reports and 200,000 expenditures with
``bulk_create`` into the database of DATABASE_URL, then times the dashboard through
the Django test Client as a logged-in akimat official:

- cold: the figures' cache made stale before every request (``dashboard_invalidate``),
  so every figure is computed by the database;
- warm: the same request again (figures from the cache).

Usage (PostgreSQL; not a test, never run by pytest)::

    createdb -h 127.0.0.1 -U postgres ap_dash_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ap_dash_bench \\
        .venv/bin/python scripts/bench_dashboard.py [--requests 25] [--reseed]

It prints a Markdown table (the one in docs/benchmarks.md, section "Dashboard").
Set REDIS_URL to time with the Redis cache that production uses.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_portal.settings.test")
os.environ.setdefault("DEBUG", "False")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

if os.environ.get("REDIS_URL"):
    # the test settings pin an in-process cache; production uses Redis
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

NGOS, APPLICATIONS, GRANTS, EXPENDITURES_PER_GRANT = 2000, 20000, 5000, 40
YEARS = range(2016, 2026)
CENT = Decimal("0.01")


def _log(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def _aware(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), timezone.get_current_timezone()
    )


WORDS = [
    "ауыл",
    "жастар",
    "балалар",
    "мектеп",
    "кітапхана",
    "спорт",
    "денсаулық",
    "экология",
    "су",
    "тұрғындар",
    "мүгедектігі",
    "бар",
    "адамдар",
    "әйелдер",
    "қарттар",
    "еріктілер",
    "тренинг",
    "семинар",
    "кеңес",
    "Арал",
    "Қазалы",
    "Жалағаш",
    "Шиелі",
    "Сырдария",
    "Қармақшы",
    "Жаңақорған",
    "Байқоңыр",
    "Қызылорда",
    "ұйымдастырылмаған",
    "жетіспейді",
    "қажет",
    "мәселе",
    "шешу",
    "мақсат",
    "нәтиже",
    "көмек",
    "қолдау",
    "білім",
    "мәдениет",
    "туризм",
    "кәсіпкерлік",
    "ақпарат",
    "медиа",
    "сауаттылық",
    "құқық",
    "заң",
    "отбасы",
    "бос",
    "уақыт",
    "үйірме",
    "клуб",
    "орталық",
    "жоба",
    "қатысушы",
    "пайда",
    "табыс",
    "жұмыссыздық",
    "көші-қон",
    "тұрақтылық",
    "серіктестік",
    "әкімдік",
    "қор",
    "азаматтық",
    "қоғам",
    "бастама",
    "жаттығу",
    "алаң",
    "саябақ",
]


def _text(rng: random.Random, length: int) -> str:
    """Kazakh-looking prose of about ``length`` characters."""
    words, size = [], 0
    while size < length:
        word = rng.choice(WORDS)
        if not words or rng.random() < 0.08:
            word = word.capitalize()
        words.append(word)
        size += len(word) + 1
        if rng.random() < 0.07:
            words[-1] += f" {rng.randint(2, 2025)}."
    return " ".join(words)[:length]


def seed(rng: random.Random) -> None:
    from forums.tests.factories import ForumFactory, ResolutionFactory
    from grants.models import Expenditure, Grant, GrantBudgetLine, Report, Tranche
    from members.models import (
        District,
        FieldOfActivity,
        MembershipPeriod,
        Organisation,
        User,
    )
    from memoranda.tests.factories import (
        CommitmentFactory,
        MemorandumFactory,
        MemorandumPartyFactory,
    )
    from projects.models import Application, Call

    started = time.perf_counter()
    districts = []
    for i, (code, kk, ru) in enumerate(
        [
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
    ):
        d, _ = District.objects.get_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "order": i}
        )
        districts.append(d)
    themes = []
    for i in range(10):
        t, _ = FieldOfActivity.objects.get_or_create(
            code=f"bench-theme-{i}",
            defaults={"name_kk": f"Бағыт {i}", "name_ru": f"Направление {i}"},
        )
        themes.append(t)
    funds = [
        Organisation.objects.create(
            kind="fund", slug=f"bench-fund-{i}", name_kk=f"Қор {i}", name_ru=f"Фонд {i}"
        )
        for i in range(3)
    ]
    ngos = Organisation.objects.bulk_create(
        [
            Organisation(
                kind="ngo",
                slug=f"bench-ngo-{i}",
                name_kk=f"«Үміт-{i}» ҚБ",
                name_ru=f"ОО «Умит-{i}»",
                district=rng.choice(districts),
            )
            for i in range(NGOS)
        ],
        batch_size=2000,
    )
    MembershipPeriod.objects.bulk_create(
        [
            MembershipPeriod(
                organisation=o,
                started_on=datetime.date(rng.choice(YEARS), 1, 15),
                ended_on=None if i % 4 else datetime.date(2025, 6, 1),
            )
            for i, o in enumerate(rng.sample(ngos, 300))
        ]
    )
    applicant, _ = User.objects.get_or_create(
        email="bench-applicant@example.kz", defaults={"role": "ngo_leader"}
    )
    calls = []
    for year in YEARS:
        for q in range(4):
            opens = _aware(datetime.date(year, 1 + 3 * q, 1))
            calls.append(
                Call(
                    title_kk=f"Конкурс {year}-{q + 1}",
                    title_ru=f"Конкурс {year}-{q + 1}",
                    code="BN",
                    funder=rng.choice(funds),
                    envelope=Decimal("80000000.00"),
                    min_grant=Decimal("500000.00"),
                    max_grant=Decimal("6000000.00"),
                    opens_at=opens,
                    closes_at=opens + datetime.timedelta(days=30),
                    status="decided",
                )
            )
    calls = Call.objects.bulk_create(calls)
    _log(f"  base rows in {time.perf_counter() - started:.1f}s")

    other_statuses = [
        "submitted",
        "returned",
        "admitted",
        "rejected",
        "recommended",
        "not_recommended",
        "withdrawn",
        "draft",
    ]
    apps = []
    for i in range(APPLICATIONS):
        call = calls[i % len(calls)]
        status = "funded" if i < GRANTS else rng.choice(other_statuses)
        submitted = (
            None
            if status == "draft"
            else call.opens_at + datetime.timedelta(days=rng.randint(1, 28))
        )
        apps.append(
            Application(
                call=call,
                organisation=rng.choice(ngos),
                created_by=applicant,
                number="" if status == "draft" else f"BN-{i:06d}",
                status=status,
                title=f"{_text(rng, 60)} ({i})",
                problem=_text(rng, 1900),
                theme=rng.choice(themes),
                requested_amount=Decimal(rng.randint(5, 60) * 100000),
                submitted_at=submitted,
            )
        )
    apps = Application.objects.bulk_create(apps, batch_size=5000)
    _log(f"  applications in {time.perf_counter() - started:.1f}s")

    grants = []
    for i, app in enumerate(apps[:GRANTS]):
        signed = app.submitted_at + datetime.timedelta(days=45)
        old = signed.year < 2024
        amount = Decimal(rng.randint(5, 50) * 100000)
        grants.append(
            Grant(
                number=f"BG-{i:06d}",
                application=app,
                organisation=app.organisation,
                funder=app.call.funder,
                amount=amount,
                tranches_total=amount,
                starts_on=signed.date(),
                ends_on=signed.date() + datetime.timedelta(days=270),
                status="closed" if old else "active",
                signed_scan="private/grants/bench.pdf",
                signed_at=signed,
                closed_at=signed + datetime.timedelta(days=300) if old else None,
                returned_amount=(amount * Decimal("0.02")).quantize(CENT)
                if old
                else Decimal("0.00"),
            )
        )
    grants = Grant.objects.bulk_create(grants, batch_size=5000)
    lines = GrantBudgetLine.objects.bulk_create(
        [
            GrantBudgetLine(
                grant=g, category="events", item="Іс-шаралар", planned=g.amount
            )
            for g in grants
        ],
        batch_size=5000,
    )
    tranches, reports = [], []
    for g in grants:
        first = (g.amount * Decimal("0.6")).quantize(CENT)
        second_paid = g.status == "closed"
        for seq, amount, day, paid in (
            (1, first, g.starts_on + datetime.timedelta(days=5), True),
            (
                2,
                g.amount - first,
                g.starts_on + datetime.timedelta(days=150),
                second_paid,
            ),
        ):
            tranches.append(
                Tranche(
                    grant=g,
                    sequence=seq,
                    planned_on=day,
                    amount=amount,
                    status="paid" if paid else "planned",
                    paid_on=day if paid else None,
                    paid_at=_aware(day) if paid else None,
                    payment_document=f"PP-{g.pk}-{seq}" if paid else "",
                )
            )
        for number in (1, 2):
            end = g.starts_on + datetime.timedelta(days=130 * number)
            reports.append(
                Report(
                    grant=g,
                    number=number,
                    kind="interim" if number == 1 else "final",
                    period_start=end - datetime.timedelta(days=120),
                    period_end=end,
                    beneficiaries_reached=rng.randint(20, 300),
                    status="approved"
                    if g.status == "closed" or number == 1
                    else "draft",
                )
            )
    Tranche.objects.bulk_create(tranches, batch_size=5000)
    Report.objects.bulk_create(reports, batch_size=5000)
    _log(f"  grants, tranches, reports in {time.perf_counter() - started:.1f}s")

    batch = []
    for g, line in zip(grants, lines, strict=True):
        per = (g.amount * Decimal("0.9") / EXPENDITURES_PER_GRANT).quantize(CENT)
        batch.extend(
            Expenditure(
                grant=g,
                budget_line=line,
                spent_on=g.starts_on + datetime.timedelta(days=6 * k + 6),
                description="Шығыс",
                amount=per,
                supplier="ЖШС",
                payment_document=f"E-{g.pk}-{k}",
                recorded_by=applicant,
            )
            for k in range(EXPENDITURES_PER_GRANT)
        )
        if len(batch) >= 20000:
            Expenditure.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Expenditure.objects.bulk_create(batch, batch_size=5000)
    _log(f"  expenditures in {time.perf_counter() - started:.1f}s")
    # bulk_create bypasses the services: fill the grants' quarter sums (the
    # dashboard reads them), as the services do when money moves
    from grants.services import money_summary_refresh

    money_summary_refresh()

    for n in range(3):
        memo = MemorandumFactory(
            valid_from=datetime.date(2016 + 3 * n, 3, 17),
            signed_on=datetime.date(2016 + 3 * n, 3, 17),
            valid_until=datetime.date(2030, 12, 31),
        )
        MemorandumPartyFactory(memorandum=memo, organisation=funds[0])
        for k in range(15):
            CommitmentFactory(
                memorandum=memo,
                responsible=funds[0],
                due_on=datetime.date(2017 + k % 9, 6, 1),
                status=rng.choice(["planned", "in_progress", "dropped"]),
            )
    for n, year in enumerate(range(2017, 2026, 2)):
        forum = ForumFactory(
            number=100 + n,
            starts_on=datetime.date(year, 10, 1),
            ends_on=datetime.date(year, 10, 2),
            district=districts[0],
        )
        for _k in range(6):
            ResolutionFactory(
                forum=forum,
                status=rng.choice(["planned", "in_progress", "done", "not_done"]),
            )
    _log(f"seeded in {time.perf_counter() - started:.1f}s")


def measure(client: Client, url: str, *, cold: bool, requests: int) -> dict:
    from dashboard.services import dashboard_invalidate

    if not cold:
        client.get(url)  # prime the cache
    times = []
    for _ in range(requests):
        if cold:
            dashboard_invalidate(warm=False)
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    if cold:
        dashboard_invalidate(warm=False)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return {
        "median": statistics.median(times),
        "p95": p95,
        "queries": len(ctx.captured_queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=25)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()

    from grants.models import Expenditure, Grant
    from members.models import District
    from members.tests.factories import UserFactory

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    if args.reseed:
        call_command("flush", interactive=False, verbosity=0)
    if Grant.objects.count() < GRANTS:
        _log("seeding…")
        with transaction.atomic():
            seed(random.Random(2026))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    official = UserFactory(
        role="official", email=f"bench-official-{time.time_ns()}@example.kz"
    )
    client = Client()
    client.force_login(official)
    # a completed login: the official's second factor counts as passed
    # (alliance_portal.middleware.RequireMFAMiddleware)
    session = client.session
    session["mfa_ok"] = official.pk
    session.save()

    from members.models import FieldOfActivity, Organisation

    aral = District.objects.get(code="aral")
    fund = Organisation.objects.filter(slug="bench-fund-0").first()
    theme = FieldOfActivity.objects.filter(code="bench-theme-0").first()
    pages = [
        ("dashboard, unfiltered", "/kk/dashboard/"),
        ("dashboard, year + district", f"/kk/dashboard/?year=2023&district={aral.pk}"),
        (
            "dashboard, dates + funder + theme",
            f"/kk/dashboard/?date_from=2020-01-01&date_to=2025-12-31"
            f"&funder={fund.pk}&theme={theme.pk}",
        ),
        ("district drill-down", f"/kk/dashboard/district/{aral.pk}/?year=2023"),
        ("transparency (public)", "/kk/dashboard/transparency/"),
    ]
    counts = f"{Grant.objects.count():,} grants, {Expenditure.objects.count():,} expenditures"
    _log(
        f"\n{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}"
        f" · cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
        f" · {counts} · {args.requests} requests each\n"
    )
    _log(
        "| page | cold median | cold p95 | cold queries | warm median | warm p95 | warm queries |"
    )
    _log("|---|---|---|---|---|---|---|")
    try:
        for name, url in pages:
            _report(name, client, url, args.requests)
    finally:
        official.delete()


def _report(name: str, client: Client, url: str, requests: int) -> None:
    cold = measure(client, url, cold=True, requests=requests)
    warm = measure(client, url, cold=False, requests=requests)
    _log(
        f"| {name} | {cold['median']:.0f} ms | {cold['p95']:.0f} ms | {cold['queries']} "
        f"| {warm['median']:.1f} ms | {warm['p95']:.1f} ms | {warm['queries']} |"
    )


if __name__ == "__main__":
    main()
