#!/usr/bin/env python
"""Benchmark of the staff screening list (not a test).

Seeds 20,000 applications with bulk_create in the database of DATABASE_URL (once; a
second run reuses them), then requests the list at page 1 and page 500 several
times and prints the median response time and the query count of each.

    createdb -h 127.0.0.1 -U postgres ap_projects_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ap_projects_bench \\
        .venv/bin/python scripts/bench_applications.py \\
        --settings alliance_portal.settings.local --runs 7
"""

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH_CODE = "BN"
TARGET = 20_000
BATCH = 2_000


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="alliance_portal.settings.local")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--count", type=int, default=TARGET)
    parser.add_argument("--pages", type=int, nargs="+", default=[1, 500])
    return parser.parse_args()


def seed(count: int) -> None:
    import datetime

    from django.utils import timezone

    from members.models import District, FieldOfActivity, Organisation, User
    from projects.models import Application, Call

    district, _ = District.objects.get_or_create(
        code="bench", defaults={"name_kk": "Бенч ауданы", "name_ru": "Бенч район"}
    )
    theme, _ = FieldOfActivity.objects.get_or_create(
        code="bench", defaults={"name_kk": "Бенч", "name_ru": "Бенч"}
    )
    funder, _ = Organisation.objects.get_or_create(
        slug="bench-fund",
        defaults={"name_kk": "Қор", "name_ru": "Фонд", "kind": "fund"},
    )
    now = timezone.now()
    call, _ = Call.objects.get_or_create(
        code=BENCH_CODE,
        title_ru="Бенчмарк",
        defaults={
            "title_kk": "Бенчмарк",
            "funder": funder,
            "envelope": Decimal("1000000000"),
            "min_grant": Decimal("100000"),
            "max_grant": Decimal("5000000"),
            "opens_at": now - datetime.timedelta(days=30),
            "closes_at": now + datetime.timedelta(days=30),
            "status": Call.Status.OPEN,
        },
    )
    author, _ = User.objects.get_or_create(
        email="bench-leader@example.kz", defaults={"role": "ngo_leader"}
    )
    existing = Application.objects.filter(call=call).count()
    if existing >= count:
        print(f"{existing} applications already seeded")
        return
    organisations = [
        Organisation(
            slug=f"bench-ngo-{i}",
            name_kk=f"«Бенч-{i}» бірлестігі",
            name_ru=f"Объединение «Бенч-{i}»",
            district=district,
        )
        for i in range(500)
    ]
    Organisation.objects.bulk_create(organisations, ignore_conflicts=True)
    organisations = list(Organisation.objects.filter(slug__startswith="bench-ngo-"))
    statuses = ["submitted", "resubmitted", "returned", "admitted", "rejected"]
    started = time.perf_counter()
    for start in range(existing, count, BATCH):
        rows = [
            Application(
                call=call,
                organisation=organisations[n % len(organisations)],
                created_by=author,
                number=f"{BENCH_CODE}-{now.year}-{n + 1:05d}",
                sequence=n + 1,
                status=statuses[n % len(statuses)],
                title=f"Бенч жобасы {n}",
                problem="Ауылдағы жастардың бос уақыты ұйымдастырылмаған. " * 5,
                theme=theme,
                requested_amount=Decimal(1_000_000 + n),
                submitted_at=now - datetime.timedelta(minutes=n),
            )
            for n in range(start, min(start + BATCH, count))
        ]
        Application.objects.bulk_create(rows)
    print(
        f"seeded {count - existing} applications in {time.perf_counter() - started:.1f} s"
    )


def measure(runs: int, pages: list[int]) -> list[tuple]:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from members.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    staff, _ = User.objects.get_or_create(
        email="bench-staff@example.kz", defaults={"role": "staff"}
    )
    if not Authenticator.objects.filter(user=staff, type="totp").exists():
        TOTP.activate(staff, "JBSWY3DPEHPK3PXPKZALLIAN")
    client = Client()
    client.force_login(staff)
    url = reverse("projects:screening_list")
    results = []
    for page in pages:
        client.get(url, {"page": page})  # warm up
        times, queries = [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url, {"page": page})
                times.append((time.perf_counter() - t0) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"page {page}: HTTP {response.status_code}")
            queries = len(ctx.captured_queries)
        results.append((page, statistics.median(times), min(times), queries))
    return results


def main() -> None:
    args = parse()
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    seed(args.count)
    from projects.models import Application

    total = Application.objects.count()
    results = measure(args.runs, args.pages)
    print(f"\nDatabase: {connection.vendor}, applications: {total}, runs: {args.runs}")
    print(f"{'page':>6} | {'median ms':>10} | {'min ms':>8} | {'queries':>7}")
    print("-" * 42)
    for page, median, fastest, queries in results:
        print(f"{page:>6} | {median:>10.1f} | {fastest:>8.1f} | {queries:>7}")


if __name__ == "__main__":
    main()
