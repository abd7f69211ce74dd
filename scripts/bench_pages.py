"""Benchmark of the portal's pages through gunicorn with production settings.

Seeds (once; ``seed --reseed`` to start over) the ten years of
``scripts/bench_dashboard.py`` (2,000 NGOs, 20,000 applications with ~1,900-character
problem texts, 5,000 grants, 200,000 expenditures) plus what the review, council,
notification and event pages read: 24 experts (one with 2,500 assignments), 60,000
submitted reviews with 6 scores each, 40 decided council sessions (one on a call of
500 applications), 18,000 notifications and 10,000 event registrations.

Then ``run`` starts gunicorn (4 sync workers) on 127.0.0.1 with
``alliance_portal.settings.production``, logs in one user per role (sessions made
directly, with the two-factor check passed), and measures:

- every page sequentially (``--requests`` each, after three warm-up requests):
  p50, p95, the ratio of p95 to the floor's p95 (a bare logged-in page through the
  same stack), and the response size;
- 50 users clicking through a mix of pages with 1.5–4.5 s of think time, then a
  saturation run without pauses (``--saturation-users``): p50, p95, requests/s,
  errors. The loop is bounded by ``--duration`` seconds and only talks to 127.0.0.1;
- the minutes PDF of the 500-application session and a contract PDF in a fresh
  process (a cold worker), with and without WeasyPrint's warm-up.

Usage (not a test, never run by pytest)::

    createdb -h 127.0.0.1 -U postgres i14bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/i14bench
    export REDIS_URL=redis://127.0.0.1:6379/14
    .venv/bin/python scripts/bench_pages.py seed            # a few minutes, once
    .venv/bin/python scripts/bench_pages.py run [--code-dir DIR] [--port 8140]

``--compare DIR`` also serves another checkout of the portal (e.g. ``git archive``
of an older commit) against the same database on the next port, and the two servers
take turns request by request: on a shared machine both then meet the same load.
The load runs go one server after the other (the load average is printed).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "scripts"))

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "alliance_portal.settings.production",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "EMAIL_URL": "consolemail://",
}
for _key, _value in PRODUCTION_ENV.items():
    os.environ.setdefault(_key, _value)
if "DATABASE_URL" not in os.environ:
    raise SystemExit(
        "Set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/i14bench)"
    )

import bench_dashboard  # noqa: E402  (sets Django up)
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

EXPERTS, REVIEWS, SCORES_PER_REVIEW = 24, 60000, 6
BUSY_EXPERT_ASSIGNMENTS = 2500
RANKING_CALL_APPLICATIONS = 500
NOTIFICATIONS, REGISTRATIONS, EVENTS = 18000, 10000, 50
PASSWORD = "Bench-pages-2026"
log = bench_dashboard._log


# --- seed -----------------------------------------------------------------------


def _user(email: str, role: str):
    from members.models import User

    user, created = User.objects.get_or_create(
        email=email, defaults={"role": role, "full_name": email.split("@")[0]}
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_more(rng: random.Random) -> None:
    import datetime
    from decimal import Decimal

    from alliance_portal.models import Notification
    from forums.models import Event, Registration
    from members.models import Affiliation, District, Organisation
    from projects.models import Application, Call
    from reviews.models import (
        Assignment,
        CallExpert,
        CallReviewSettings,
        ConflictStatement,
        CouncilDecision,
        CouncilSession,
        Criterion,
        ExpertProfile,
        Review,
        Score,
        SessionAttendance,
    )

    started = time.perf_counter()
    staff = _user("bench-staff@example.kz", "staff")
    leader = _user("bench-leader@example.kz", "ngo_leader")
    _user("bench-official@example.kz", "official")
    _user("bench-fund@example.kz", "fund_officer")
    ngos = list(Organisation.objects.filter(kind="ngo").order_by("pk"))
    Affiliation.objects.get_or_create(
        user=leader,
        organisation=ngos[0],
        defaults={"status": Affiliation.Status.APPROVED},
    )
    experts = []
    for i in range(EXPERTS):
        user = _user(f"bench-expert-{i}@example.kz", "expert")
        experts.append(
            ExpertProfile.objects.get_or_create(
                user=user, defaults={"expertise": "Әлеуметтік жобалар"}
            )[0]
        )

    # A call under review of 500 applications: half decided by its council session
    # (the 40th), half admitted and awaiting a decision.
    first_call = Call.objects.order_by("pk").first()
    opens = timezone.now() - datetime.timedelta(days=60)
    ranking_call = Call.objects.create(
        title_kk="Үлкен конкурс",
        title_ru="Большой конкурс",
        code="BR",
        funder=first_call.funder,
        envelope=Decimal("900000000.00"),
        min_grant=Decimal("500000.00"),
        max_grant=Decimal("6000000.00"),
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=30),
        status="under_review",
    )
    themes = list(Application.objects.values_list("theme_id", flat=True)[:10])
    big = Application.objects.bulk_create(
        [
            Application(
                call=ranking_call,
                organisation=rng.choice(ngos),
                created_by=leader,
                number=f"BR-{i:06d}",
                status="admitted" if i % 2 else "recommended",
                title=f"{bench_dashboard._text(rng, 60)} (BR {i})",
                problem=bench_dashboard._text(rng, 1900),
                theme_id=rng.choice(themes),
                requested_amount=Decimal(rng.randint(5, 60) * 100000),
                submitted_at=opens + datetime.timedelta(days=rng.randint(1, 28)),
            )
            for i in range(RANKING_CALL_APPLICATIONS)
        ]
    )
    log(
        f"  experts and the 500-application call in {time.perf_counter() - started:.1f}s"
    )

    calls = list(Call.objects.order_by("pk"))
    criteria = {}
    for call in calls:
        CallReviewSettings.objects.get_or_create(call=call)
        criteria[call.pk] = Criterion.objects.bulk_create(
            [
                Criterion(
                    call=call,
                    name_kk=f"Критерий {k}",
                    name_ru=f"Критерий {k}",
                    weight=Decimal("1"),
                    scale_max=10,
                    order=k,
                )
                for k in range(SCORES_PER_REVIEW)
            ]
        )
    reviewed = list(
        Application.objects.exclude(status__in=["draft", "withdrawn", "returned"])
        .order_by("pk")
        .values_list("pk", "call_id", "organisation_id")
    )
    busy = experts[0]
    busy_apps = set(rng.sample(range(len(reviewed)), BUSY_EXPERT_ASSIGNMENTS))
    pairs = []
    for index, (app_id, call_id, org_id) in enumerate(reviewed):
        chosen = [busy] if index in busy_apps else []
        chosen += rng.sample(experts[1:], 3 - len(chosen))
        pairs.extend((e, app_id, call_id, org_id) for e in chosen)
    # Up to 60,000: a fourth expert for some applications.
    while len(pairs) < REVIEWS:
        app_id, call_id, org_id = rng.choice(reviewed)
        taken = {p[0].pk for p in pairs[-4:] if p[1] == app_id}
        expert = rng.choice([e for e in experts[1:] if e.pk not in taken])
        pairs.append((expert, app_id, call_id, org_id))
    seen, unique = set(), []
    for p in pairs:
        if (p[0].pk, p[1]) not in seen:
            seen.add((p[0].pk, p[1]))
            unique.append(p)
    pairs = unique[:REVIEWS]
    now = timezone.now()
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                expert=e,
                application_id=app_id,
                call_id=call_id,
                organisation_id=org_id,
                status="submitted",
                due=now + datetime.timedelta(days=rng.randint(-3000, 30)),
                assigned_by=staff,
            )
            for e, app_id, call_id, org_id in pairs
        ],
        batch_size=5000,
    )
    log(f"  {len(assignments):,} assignments in {time.perf_counter() - started:.1f}s")
    reviews = Review.objects.bulk_create(
        [
            Review(
                assignment=a,
                recommendation="fund",
                total=Decimal(rng.randint(40, 95)),
                submitted_at=now,
            )
            for a in assignments
        ],
        batch_size=5000,
    )
    batch = []
    for review, (_e, _app, call_id, _org) in zip(reviews, pairs, strict=True):
        batch.extend(
            Score(review=review, criterion=c, value=Decimal(rng.randint(4, 10)))
            for c in criteria[call_id]
        )
        if len(batch) >= 30000:
            Score.objects.bulk_create(batch, batch_size=10000)
            batch = []
    Score.objects.bulk_create(batch, batch_size=10000)
    log(f"  reviews and scores in {time.perf_counter() - started:.1f}s")

    panel = {(e.pk, call_id) for e, _a, call_id, _o in pairs}
    CallExpert.objects.bulk_create(
        [CallExpert(call_id=c, expert_id=e) for e, c in panel], batch_size=5000
    )
    # Every conflict statement but one, so the busy expert sees a call to declare.
    ConflictStatement.objects.bulk_create(
        [
            ConflictStatement(call_id=c, expert_id=e)
            for e, c in panel
            if not (e == busy.pk and c == first_call.pk)
        ],
        batch_size=5000,
    )
    sessions = []
    decided_calls = [*[c for c in calls if c.status == "decided"][:39], ranking_call]
    for call in decided_calls:
        members = sorted({e for e, c in panel if c == call.pk})
        session = CouncilSession.objects.create(
            call=call,
            held_on=(call.closes_at + datetime.timedelta(days=20)).date(),
            place="Қызылорда",
            council_size=len(members),
            decided_at=call.closes_at + datetime.timedelta(days=20),
            created_by=staff,
        )
        SessionAttendance.objects.bulk_create(
            [SessionAttendance(session=session, expert_id=e) for e in members]
        )
        sessions.append(session)
    decisions = []
    for session in sessions:
        for app in Application.objects.filter(
            call=session.call, status__in=["recommended", "not_recommended"]
        ).only("pk", "status", "requested_amount"):
            recommended = app.status == "recommended"
            decisions.append(
                CouncilDecision(
                    session=session,
                    application=app,
                    decision="recommend" if recommended else "not_recommend",
                    amount=app.requested_amount if recommended else None,
                    decided_by=staff,
                )
            )
    CouncilDecision.objects.bulk_create(decisions, batch_size=5000)
    # The same call's second sitting, still open: the applications the first one did
    # not decide wait in its decision form (the heaviest form of the portal).
    members = sorted({e for e, c in panel if c == ranking_call.pk})
    open_session = CouncilSession.objects.create(
        call=ranking_call,
        held_on=now.date(),
        place="Қызылорда",
        council_size=len(members),
        created_by=staff,
    )
    SessionAttendance.objects.bulk_create(
        [SessionAttendance(session=open_session, expert_id=e) for e in members]
    )
    log(
        f"  {len(sessions)} decided sessions, {len(decisions):,} decisions in "
        f"{time.perf_counter() - started:.1f}s"
    )

    from members.models import User

    users = list(User.objects.values_list("pk", flat=True))
    bench_users = list(
        User.objects.filter(email__startswith="bench-").values_list("pk", flat=True)
    )
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=rng.choice(bench_users if i % 3 else users),
                kind="application_submitted",
                title=f"Өтінім {i} қабылданды",
                body="Альянс қызметкерлері қарап шығады.",
                url="/kk/projects/my/",
                read_at=None if i % 4 == 0 else now,
            )
            for i in range(NOTIFICATIONS)
        ],
        batch_size=5000,
    )
    districts = list(District.objects.all())
    events = []
    for i in range(EVENTS):
        starts = now + datetime.timedelta(days=rng.randint(-2000, 60))
        events.append(
            Event.objects.create(
                kind="training",
                title_kk=f"Семинар {i}",
                title_ru=f"Семинар {i}",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=6),
                district=rng.choice(districts),
                venue="Мәдениет үйі",
                capacity=400,
            )
        )
    from forums.models import normalise_name

    registrations = []
    for i in range(REGISTRATIONS):
        name = f"Қатысушы Әлиев {i}"
        registrations.append(
            Registration(
                event=events[i % EVENTS],
                full_name=name,
                name_key=normalise_name(name),
                organisation=rng.choice(ngos),
                registered_by=leader,
                status="confirmed",
            )
        )
    Registration.objects.bulk_create(registrations, batch_size=5000)
    log(
        f"  notifications, events, registrations in {time.perf_counter() - started:.1f}s"
    )
    del big


def seed(reseed: bool) -> None:
    from django.core.management import call_command

    from reviews.models import Review

    call_command("migrate", verbosity=0)
    if reseed:
        call_command("flush", interactive=False, verbosity=0)
    if Review.objects.count() >= REVIEWS:
        log("already seeded (seed --reseed to start over)")
        return
    rng = random.Random(2026)
    log("seeding…")
    with transaction.atomic():
        bench_dashboard.seed(rng)
        seed_more(rng)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- what to request --------------------------------------------------------------


def sessions_by_role() -> dict[str, str]:
    """A logged-in session key per role, two-factor check passed."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from members.models import User

    engine = import_module(settings.SESSION_ENGINE)
    keys = {}
    for role, email in {
        "staff": "bench-staff@example.kz",
        "expert": "bench-expert-0@example.kz",
        "leader": "bench-leader@example.kz",
        "official": "bench-official@example.kz",
        "fund": "bench-fund@example.kz",
    }.items():
        user = User.objects.get(email=email)
        session = engine.SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["mfa_ok"] = user.pk
        session.create()
        keys[role] = session.session_key
    return keys


def pages() -> list[tuple[str, str, str]]:
    """(name, role, path) of every page measured."""
    from grants.models import Grant
    from members.models import Affiliation, District, Organisation
    from projects.models import Application, Call
    from reviews.models import Assignment, CouncilSession, Review

    ranking_call = Call.objects.get(code="BR")
    big_session = CouncilSession.objects.get(
        call=ranking_call, decided_at__isnull=False
    )
    open_session = CouncilSession.objects.get(call=ranking_call, decided_at=None)
    heavy = (
        Application.objects.filter(call=ranking_call).order_by("pk").first()
    )  # a call of 500 applications with ~1,900-character texts
    grant = Grant.objects.order_by("-pk").first()
    org = Organisation.objects.filter(kind="ngo").order_by("pk").first()
    district = District.objects.get(code="aral")
    leader_org = Affiliation.objects.get(user__email="bench-leader@example.kz")
    leader_grant = Grant.objects.filter(organisation=leader_org.organisation).first()
    assignment = Assignment.objects.filter(
        expert__user__email="bench-expert-0@example.kz"
    ).first()
    review = Review.objects.order_by("pk").first()
    old_call = Call.objects.filter(status="decided").order_by("pk").first()
    result = [
        ("floor: bare logged-in page", "staff", "/kk/accounts/password/change/"),
        ("home (staff)", "staff", "/kk/"),
        ("notifications (staff)", "staff", "/kk/notifications/"),
        ("deadlines (staff)", "staff", "/kk/deadlines/"),
        ("screening list", "staff", "/kk/projects/screening/"),
        ("screening list, page 500", "staff", "/kk/projects/screening/?page=500"),
        ("screen one application", "staff", f"/kk/projects/screening/{heavy.pk}/"),
        ("calls (public)", "staff", "/kk/projects/calls/"),
        ("call detail", "staff", f"/kk/projects/calls/{ranking_call.pk}/"),
        ("manage calls", "staff", "/kk/projects/manage/calls/"),
        ("review calls", "staff", "/kk/reviews/calls/"),
        ("review call manage", "staff", f"/kk/reviews/calls/{ranking_call.pk}/"),
        ("ranking (500)", "staff", f"/kk/reviews/calls/{ranking_call.pk}/ranking/"),
        ("council session (500)", "staff", f"/kk/reviews/sessions/{big_session.pk}/"),
        (
            "council session open, 250 to decide",
            "staff",
            f"/kk/reviews/sessions/{open_session.pk}/",
        ),
        ("council results", "staff", "/kk/reviews/results/"),
        ("review detail", "staff", f"/kk/reviews/review/{review.pk}/"),
        ("grants list", "staff", "/kk/grants/"),
        (
            "grants list, by funder",
            "staff",
            f"/kk/grants/?funder={grant.funder_id}",
        ),
        ("grant detail", "staff", f"/kk/grants/{grant.pk}/"),
        ("payments", "staff", "/kk/grants/payments/"),
        ("directory", "staff", "/kk/members/"),
        ("organisation", "staff", f"/kk/members/o/{org.slug}/"),
        ("memoranda", "staff", "/kk/memoranda/"),
        ("forums", "staff", "/kk/forums/"),
        ("calendar", "staff", "/kk/forums/calendar/"),
        ("expert: my assignments", "expert", "/kk/reviews/my/"),
        ("expert: my assignments p.50", "expert", "/kk/reviews/my/?page=50"),
        ("expert: one assignment", "expert", f"/kk/reviews/my/{assignment.pk}/"),
        ("leader: home", "leader", "/kk/"),
        ("leader: my applications", "leader", "/kk/projects/my/"),
        ("leader: my grants", "leader", "/kk/grants/my/"),
        ("leader: registrations", "leader", "/kk/forums/registrations/"),
        ("official: dashboard (cold)", "official", "/kk/dashboard/?cold=1"),
        ("official: dashboard (warm)", "official", "/kk/dashboard/"),
        (
            "official: district drill-down",
            "official",
            f"/kk/dashboard/district/{district.pk}/",
        ),
        ("official: ranking", "official", f"/kk/reviews/calls/{old_call.pk}/ranking/"),
        ("fund: grants", "fund", "/kk/grants/"),
        ("transparency (public)", "", "/kk/dashboard/transparency/"),
    ]
    if leader_grant is not None:
        result.append(("leader: grant", "leader", f"/kk/grants/{leader_grant.pk}/"))
    result += _more_pages(grant=grant, ranking_call=ranking_call, leader_org=leader_org)
    return result


def _more_pages(*, grant, ranking_call, leader_org) -> list[tuple[str, str, str]]:
    """The other list, detail and dashboard pages of every role, where the seed has
    something to show on them."""
    from forums.models import Event, Forum, Resolution
    from grants.models import Report
    from memoranda.models import Memorandum
    from projects.models import Application

    more = [
        ("staff: grant timeline", "staff", f"/kk/grants/{grant.pk}/timeline/"),
        ("staff: contract templates", "staff", "/kk/grants/templates/"),
        ("staff: resolutions", "staff", "/kk/forums/resolutions/"),
        ("staff: forum statistics", "staff", "/kk/forums/stats/"),
        ("staff: membership desk", "staff", "/kk/members/desk/applications/"),
        ("staff: news", "staff", "/kk/resources/news/"),
        ("staff: library", "staff", "/kk/resources/library/"),
        ("staff: consultations", "staff", "/kk/resources/consultations/"),
        ("staff: bookings", "staff", "/kk/resources/bookings/"),
        ("staff: proposals to the akim", "staff", "/kk/resources/akim/"),
        ("staff: signatures awaited", "staff", "/kk/esign/waiting/"),
        ("staff: erasure requests", "staff", "/kk/members/privacy/requests/"),
        ("expert: notifications", "expert", "/kk/notifications/"),
        ("leader: notifications", "leader", "/kk/notifications/"),
        ("leader: calls", "leader", "/kk/projects/calls/"),
        ("leader: news", "leader", "/kk/resources/news/"),
        ("leader: library", "leader", "/kk/resources/library/"),
        ("leader: my data", "leader", "/kk/members/privacy/my/"),
        (
            "leader: organisation",
            "leader",
            f"/kk/members/o/{leader_org.organisation.slug}/",
        ),
        ("official: results", "official", "/kk/reviews/results/"),
        ("official: grants", "official", "/kk/grants/"),
        ("official: memoranda", "official", "/kk/memoranda/"),
        ("official: project", "official", f"/kk/dashboard/project/{grant.pk}/"),
        ("fund: payments", "fund", "/kk/grants/payments/"),
        ("public: calls", "", "/kk/projects/calls/"),
        ("public: calendar", "", "/kk/forums/calendar/"),
        ("public: members tab", "", "/kk/dashboard/transparency/?tab=members"),
    ]
    application = (
        Application.objects.filter(organisation=leader_org.organisation)
        .order_by("-pk")
        .first()
    )
    if application is not None:
        more.append(
            (
                "leader: application",
                "leader",
                f"/kk/projects/applications/{application.pk}/",
            )
        )
    for name, model, path in (
        ("staff: memorandum", Memorandum, "/kk/memoranda/{}/"),
        ("staff: forum", Forum, "/kk/forums/{}/"),
        ("staff: resolution", Resolution, "/kk/forums/resolutions/{}/"),
        ("staff: event (200 registrations)", Event, "/kk/forums/events/{}/"),
        ("staff: report", Report, "/kk/grants/reports/{}/"),
    ):
        row = model.objects.order_by("-pk").first()
        if row is not None:
            more.append((name, "staff", path.format(row.pk)))
    return more


# --- HTTP -------------------------------------------------------------------------


class Browser:
    """One keep-alive connection with one user's session cookie."""

    def __init__(self, port: int, session_key: str | None):
        self.port = port
        self.cookie = (
            f"{settings.SESSION_COOKIE_NAME}={session_key}" if session_key else ""
        )
        self.conn = None

    def get(self, path: str) -> tuple[int, int, float]:
        path = path.replace("?cold=1", "").replace("&cold=1", "")
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=60
                )
            start = time.perf_counter()
            try:
                self.conn.request("GET", path, headers=headers)
                response = self.conn.getresponse()
                body = response.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            elapsed = (time.perf_counter() - start) * 1000
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, len(body), elapsed
        raise RuntimeError("unreachable")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p * len(ordered)) - 1))]


def start_gunicorn(code_dir: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(code_dir)}
    if not (code_dir / "staticfiles" / "staticfiles.json").exists():
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=code_dir,
            env=env,
            check=True,
        )
    # The production configuration (hooks included) where the code has one.
    config = code_dir / "deploy" / "gunicorn.conf.py"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            *(["-c", str(config)] if config.exists() else []),
            "alliance_portal.wsgi",
            "--chdir",
            str(code_dir),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=code_dir,
        env=env,
        # The JSON request log of production, kept out of the report.
        stderr=open(f"/tmp/bench-gunicorn-{port}.log", "ab"),  # noqa: SIM115
    )
    for _ in range(120):
        try:
            Browser(port, None).get("/healthz")
            return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("gunicorn did not start")


def measure_pages(
    servers: list[tuple[str, int]], keys: dict, requests: int, only: str | None
) -> dict[str, list[dict]]:
    """Each page ``requests`` times on every server, the servers taking turns
    request by request, so that the load of the machine falls on each alike."""
    from dashboard.services import dashboard_invalidate

    rows: dict[str, list[dict]] = {label: [] for label, _port in servers}
    browsers = {
        (label, role): Browser(port, keys.get(role))
        for label, port in servers
        for role in [*keys, ""]
    }
    for name, role, path in pages():
        if only and not any(part in name for part in only.split("|")):
            continue
        cold = "cold=1" in path
        times: dict[str, list[float]] = {label: [] for label, _port in servers}
        sizes: dict[str, int] = {}
        failed: dict[str, int] = {}
        for i in range(requests + 3):
            for label, _port in servers:
                if cold:
                    dashboard_invalidate(warm=False)
                status, size, elapsed = browsers[(label, role)].get(path)
                if status != 200:
                    failed[label] = status
                sizes[label] = size
                if i >= 3:  # three warm-up requests
                    times[label].append(elapsed)
        for label, _port in servers:
            rows[label].append(
                {
                    "page": name,
                    "p50": statistics.median(times[label]),
                    "p95": percentile(times[label], 0.95),
                    "kib": sizes[label] / 1024,
                    "status": failed.get(label, 200),
                }
            )
        log(
            f"  {name}: "
            + ", ".join(
                f"{label} p50 {statistics.median(t):.0f} / p95 {percentile(t, 0.95):.0f} ms"
                for label, t in times.items()
            )
        )
    return rows


def load_run(
    port: int, keys: dict, users: int, seconds: float, think: bool, skip=frozenset()
) -> dict:
    """``users`` threads clicking through the pages for ``seconds``; ``skip``: the
    pages left out (those an older code does not have, for both codes alike)."""
    mix = [
        (role, path)
        for name, role, path in pages()
        if "cold" not in name and name not in skip
    ]
    results, errors, lock = [], [], threading.Lock()
    deadline = time.monotonic() + seconds

    def user(n: int):
        rng = random.Random(n)
        role = ["staff", "expert", "leader", "official", "fund"][n % 5]
        browser = Browser(port, keys[role])
        own = [p for r, p in mix if r in (role, "")] or [p for _r, p in mix]
        if think:
            time.sleep(rng.uniform(0, 3))
        while time.monotonic() < deadline:
            try:
                status, _size, elapsed = browser.get(rng.choice(own))
            except Exception as exc:  # a timeout or a reset counts as an error
                with lock:
                    errors.append(repr(exc))
                continue
            with lock:
                results.append(elapsed)
                if status != 200:
                    errors.append(status)
            if think:
                time.sleep(rng.uniform(1.5, 4.5))

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "users": users,
        "think": think,
        "requests": len(results),
        "rps": len(results) / elapsed,
        "p50": statistics.median(results) if results else 0,
        "p95": percentile(results, 0.95) if results else 0,
        "errors": len(errors),
    }


def documents(code_dir: Path) -> dict:
    """The minutes PDF of the 500-application session (in this process), and a
    contract PDF in fresh processes of ``code_dir``: cold, and after the warm-up a
    Celery worker process runs when it starts (if that code has one)."""
    from grants.models import Grant
    from grants.tests.factories import OrganisationFactory, contract_ready
    from members.models import Organisation
    from members.tests.factories import valid_bin
    from reviews.models import CouncilSession

    # The seed's parties have no requisites: give the measured grant's three
    # parties theirs (and a memorandum in force), as the contract needs.
    with transaction.atomic():
        if not Organisation.objects.filter(kind=Organisation.Kind.ALLIANCE).exists():
            OrganisationFactory(
                kind=Organisation.Kind.ALLIANCE,
                slug="bench-alliance",
                bin=valid_bin(99001),
                name_kk="Қызылорда облысы «Азаматтық альянсы» қауымдастығы",
                name_ru="Ассоциация «Гражданский альянс» Кызылординской области",
            )
        grant = Grant.objects.select_related("organisation", "funder").order_by("-pk")[
            0
        ]
        for serial, party in ((99002, grant.organisation), (99003, grant.funder)):
            if not party.bin:
                party.bin = valid_bin(serial)
                party.save(update_fields=["bin"])
        contract_ready(grant)
    session = CouncilSession.objects.get(call__code="BR", decided_at__isnull=False)
    if not session.minutes_snapshot:  # seeded closed: frozen once, from the records
        from reviews.services import minutes_freeze_late

        session = minutes_freeze_late(session=session)
    script = (
        "import os,sys,time,django;sys.path.insert(0,os.getcwd());django.setup();"
        "from grants.models import Grant;"
        "from alliance_portal import pdf;"
        "warm=sys.argv[1]=='1' and hasattr(pdf,'warm_up');"
        "warm and pdf.warm_up();"
        "import importlib;docs=importlib.import_module('grants.documents');"
        "g=Grant.objects.order_by('-pk').first();"
        "t=time.perf_counter();"
        "docs.contract_pdf(g,'kk');"
        "print(json.dumps([(time.perf_counter()-t)*1000, bool(warm)]))"
    ).replace("import os,", "import json,os,")
    results = {}
    env = {**os.environ, "PYTHONPATH": str(code_dir)}
    for label, warm in (("cold", "0"), ("warmed", "1")):
        out = (
            subprocess.run(
                [sys.executable, "-c", script, warm],
                cwd=code_dir,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        results[f"contract, {label} worker"] = json.loads(out)
    subprocess_minutes = (
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import json,os,sys,time,django;sys.path.insert(0,os.getcwd());"
                "django.setup();from alliance_portal import pdf;"
                "hasattr(pdf,'warm_up') and pdf.warm_up();"
                "from reviews.documents import minutes_pdf;"
                "t=time.perf_counter();minutes_pdf(int(sys.argv[1]),'kk');"
                "a=(time.perf_counter()-t)*1000;t=time.perf_counter();"
                "minutes_pdf(int(sys.argv[1]),'kk');"
                "print(json.dumps([a,(time.perf_counter()-t)*1000]))",
                str(session.pk),
            ],
            cwd=code_dir,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    results["minutes PDF, 500 applications"] = json.loads(subprocess_minutes)
    return results


def exports_run(args) -> None:
    """Every export streamed through Django's handler in this process, as a small
    and as the full set: time to the last byte, and the peak of Python memory
    (tracemalloc, in a second pass) while the response streams. Memory that does
    not grow from the small set to the full one is what "streams" means."""
    import tracemalloc

    from django.db.models import Count
    from django.test import Client

    from grants.models import Grant
    from projects.models import Application, Call

    keys = sessions_by_role()
    staff = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    staff.cookies[settings.SESSION_COOKIE_NAME] = keys["staff"]
    public = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    big_call = Call.objects.get(code="BR").pk
    small_funder = (
        Grant.objects.values("funder_id")
        .annotate(n=Count("pk"))
        .order_by("n")
        .first()["funder_id"]
    )
    cases = [
        ("grants CSV", staff, "/kk/grants/export/csv/", Grant.objects.count()),
        (
            "grants CSV, one funder",
            staff,
            f"/kk/grants/export/csv/?funder={small_funder}",
            None,
        ),
        ("grants XLSX", staff, "/kk/grants/export/xlsx/", Grant.objects.count()),
        (
            "grants XLSX, one funder",
            staff,
            f"/kk/grants/export/xlsx/?funder={small_funder}",
            None,
        ),
        (
            "applications CSV",
            staff,
            "/kk/projects/screening/export.csv",
            Application.objects.count(),
        ),
        (
            "applications CSV, one call",
            staff,
            f"/kk/projects/screening/export.csv?call={big_call}",
            None,
        ),
        (
            "applications XLSX",
            staff,
            "/kk/projects/screening/export.xlsx",
            Application.objects.count(),
        ),
        (
            "applications XLSX, one call",
            staff,
            f"/kk/projects/screening/export.xlsx?call={big_call}",
            None,
        ),
        (
            "open data: projects JSON",
            public,
            "/kk/dashboard/open-data/projects.json",
            None,
        ),
        (
            "open data: projects CSV",
            public,
            "/kk/dashboard/open-data/projects.csv",
            None,
        ),
        (
            "open data: members JSON",
            public,
            "/kk/dashboard/open-data/members.json",
            None,
        ),
    ]

    def stream(client, path) -> tuple[int, int]:
        response = client.get(path)
        size, rows = 0, 0
        chunks = (
            response.streaming_content if response.streaming else [response.content]
        )
        for chunk in chunks:
            size += len(chunk)
            rows += chunk.count(b"\n")
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        return size, rows

    log(
        "\n| export | rows (lines) | MiB | time ms | peak Python memory MiB | streamed |"
    )
    log("|---|---|---|---|---|---|")
    for name, client, path, _rows in cases:
        stream(client, path)  # warm-up
        started = time.perf_counter()
        size, lines = stream(client, path)
        elapsed = (time.perf_counter() - started) * 1000
        tracemalloc.start()
        tracemalloc.reset_peak()
        response = client.get(path)
        for _chunk in (
            response.streaming_content if response.streaming else [response.content]
        ):
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        log(
            f"| {name} | {lines:,} | {size / 2**20:.1f} | {elapsed:.0f} "
            f"| {peak / 2**20:.1f} | {'yes' if response.streaming else 'no'} |"
        )


def _floor(rows: list[dict]) -> dict | None:
    return next((r for r in rows if r["page"].startswith("floor")), None)


def run(args) -> None:
    servers = [("after", Path(args.code_dir).resolve(), args.port)]
    if args.compare:
        servers.insert(0, ("before", Path(args.compare).resolve(), args.port + 1))
    keys = sessions_by_role()
    log(
        f"{os.cpu_count()} CPUs · load {os.getloadavg()[0]:.1f} · PostgreSQL "
        f"{connection.pg_version} · {args.workers} gunicorn sync workers · "
        + ", ".join(f"{label}: {code}" for label, code, _port in servers)
    )
    processes = []
    # Stopped by a signal, the script still stops its servers (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        for _label, code_dir, port in servers:
            processes.append(start_gunicorn(code_dir, port, args.workers))
            # Every worker loads its templates and translations once before timing.
            warm = Browser(port, keys["staff"])
            for _ in range(8 * args.workers):
                warm.get("/kk/")
        ports = [(label, port) for label, _code, port in servers]
        rows = measure_pages(ports, keys, args.requests, args.only)
        labels = [label for label, _port in ports]
        head = " | ".join(f"{label} p50 | {label} p95 | × floor" for label in labels)
        log(f"\n| page | {head} | KiB |\n|---|" + "---|---|---|" * len(labels) + "---|")
        for i, row in enumerate(rows[labels[0]]):
            cells = []
            for label in labels:
                r, floor = rows[label][i], _floor(rows[label])
                ratio = r["p95"] / floor["p95"] if floor else float("nan")
                cells.append(f"{r['p50']:.0f} ms | {r['p95']:.0f} ms | {ratio:.1f}")
            sizes = " → ".join(
                f"{rows[label][i]['kib']:.0f}"
                + (
                    f" (HTTP {rows[label][i]['status']})"
                    if rows[label][i]["status"] != 200
                    else ""
                )
                for label in labels
            )
            log(f"| {row['page']} | {' | '.join(cells)} | {sizes} |")
        missing = {
            row["page"]
            for label in labels
            for row in rows[label]
            if row["status"] != 200
        }
        if not args.only:
            if missing:
                log(
                    f"\nleft out of the load runs (not 200 everywhere): {sorted(missing)}"
                )
            log(
                "\n| code | run | requests | req/s | p50 ms | p95 ms | errors | load |"
                "\n|---|---|---|---|---|---|---|---|"
            )
            for label, port in ports:
                for think, users, seconds in (
                    (True, args.users, args.duration),
                    (False, args.saturation_users, args.duration / 2),
                ):
                    r = load_run(port, keys, users, seconds, think, missing)
                    run_name = (
                        f"{users} users, 1.5–4.5 s think time"
                        if think
                        else f"saturation, {users} users, no pauses"
                    )
                    log(
                        f"| {label} | {run_name} | {r['requests']} | {r['rps']:.1f} "
                        f"| {r['p50']:.0f} | {r['p95']:.0f} | {r['errors']} "
                        f"| {os.getloadavg()[0]:.1f} |"
                    )
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    if not args.only and not args.no_documents:
        for label, code_dir, _port in servers:
            log(f"\ndocuments, {label} (ms): " + json.dumps(documents(code_dir)))
    log(f"load at the end {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    seed_parser = sub.add_parser("seed")
    seed_parser.add_argument("--reseed", action="store_true")
    run_parser = sub.add_parser("run")
    run_parser.add_argument("--code-dir", default=str(BASE_DIR))
    run_parser.add_argument(
        "--compare", help="another checkout to measure alongside, request by request"
    )
    run_parser.add_argument("--port", type=int, default=8140)
    run_parser.add_argument("--workers", type=int, default=4)
    run_parser.add_argument("--requests", type=int, default=20)
    run_parser.add_argument("--users", type=int, default=50)
    run_parser.add_argument("--saturation-users", type=int, default=12)
    run_parser.add_argument("--duration", type=float, default=60)
    run_parser.add_argument(
        "--only", help="measure only pages whose name has one of these (a|b|c)"
    )
    run_parser.add_argument("--no-documents", action="store_true")
    sub.add_parser("exports", help="time and peak memory of every export")
    documents_parser = sub.add_parser(
        "documents", help="the contract and minutes PDFs in fresh processes"
    )
    documents_parser.add_argument("--code-dir", default=str(BASE_DIR))
    documents_parser.add_argument("--compare", help="another checkout, measured first")
    args = parser.parse_args()
    if args.command == "seed":
        seed(args.reseed)
    elif args.command == "exports":
        exports_run(args)
    elif args.command == "documents":
        for label, code in (("before", args.compare), ("after", args.code_dir)):
            if code:
                log(f"documents, {label} (ms): " + json.dumps(documents(Path(code))))
    else:
        run(args)


if __name__ == "__main__":
    main()
