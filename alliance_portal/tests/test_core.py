"""Settings, health check, formats, money, PDF rendering and Celery."""

import datetime
import gc
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.utils import formats, translation
from pypdf import PdfReader

from alliance_portal.documents import document_request, register
from alliance_portal.models import DocumentJob
from alliance_portal.money import format_tenge, to_money
from alliance_portal.pdf import render_pdf

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = "ӘҒҚҢӨҰҮҺІ"


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["status"] == "ok"


def test_healthz_is_503_when_the_broker_is_unreachable(client, settings):
    # given a broker URL that nothing listens on
    from alliance_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = old
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "1\xa0250\xa0000\xa0₸"),
        ("ru", "1\xa0250\xa0000\xa0₸"),
        ("en", "1,250,000\xa0₸"),
    ],
)
def test_tenge_follows_the_locale(language, expected):
    with translation.override(language):
        assert format_tenge(Decimal("1250000")) == expected


def test_tenge_keeps_tiyn_when_present():
    with translation.override("kk"):
        assert format_tenge(Decimal("311917000.5")) == "311\xa0917\xa0000,50\xa0₸"


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        to_money(0.1)
    assert to_money("10.005") == Decimal("10.01")


def test_kazakh_dates_are_day_month_year():
    day = datetime.date(2026, 11, 25)
    with translation.override("kk"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "25.11.2026"


@register("sample_pdf")
def _build_sample(job):
    content = render_pdf(
        "documents/sample.html", {"title": job.params["title"]}, language="kk"
    )
    return "sample.pdf", content


def test_pdf_renders_with_the_garbage_collector_paused_then_restores_it(monkeypatch):
    import weasyprint

    # given WeasyPrint watched while it writes
    seen = []
    write_pdf = weasyprint.HTML.write_pdf

    def watched(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", watched)
    # when a document renders, and another fails
    render_pdf("documents/sample.html", {"title": "Қызылорда"}, language="kk")
    with pytest.raises(TemplateDoesNotExist):
        render_pdf("documents/nowhere.html", {}, language="kk")
    # then the collector was off while WeasyPrint worked, and is on again
    assert seen == [False]
    assert gc.isenabled()


def test_pdf_embeds_a_font_with_the_kazakh_letters(tmp_path):
    # given a document with Kazakh text
    pdf = render_pdf("documents/sample.html", {"title": "Қызылорда"}, language="kk")
    path = tmp_path / "sample.pdf"
    path.write_bytes(pdf)
    # when its text is extracted
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    # then every Kazakh letter is there, and the embedded font is DejaVu
    for letter in KAZAKH_LETTERS:
        assert letter in text
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True
    ).stdout
    font_rows = [line for line in fonts.splitlines() if "DejaVu" in line]
    assert font_rows
    assert all(" yes " in row for row in font_rows)  # embedded


def test_document_job_renders_once_and_is_idempotent(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user("staff")
    # when the same document is asked for twice
    with django_capture_on_commit_callbacks(execute=True):
        job = document_request(
            kind="sample_pdf", key="one", params={"title": "Әрекет"}, user=user
        )
    again = document_request(
        kind="sample_pdf", key="one", params={"title": "Әрекет"}, user=user
    )
    # then there is one job, rendered, with a PDF file
    job.refresh_from_db()
    assert again.pk == job.pk
    assert DocumentJob.objects.count() == 1
    assert job.status == DocumentJob.Status.DONE
    assert job.file.read().startswith(b"%PDF")


def _run_manage(args, env):
    # The test process allows async-unsafe ORM use for Playwright; production does not.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_in_production_mode():
    env = {
        "DJANGO_SETTINGS_MODULE": "alliance_portal.settings.production",
        "SECRET_KEY": "x" * 30 + "-a-real-production-secret-key-123456",
        "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "portal.example.kz",
        "DEBUG": "false",
    }
    result = _run_manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {
        "DJANGO_SETTINGS_MODULE": "alliance_portal.settings.production",
        "SECRET_KEY": "",
        "DATABASE_URL": "sqlite:////tmp/x.sqlite3",
    }
    clean = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={**clean, **{k: v for k, v in env.items() if v}},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Missing required environment variable: SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_seed_demo_is_idempotent():
    from django.core.management import call_command

    from members.models import Organisation, User

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    counts = (User.objects.count(), Organisation.objects.count())
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (User.objects.count(), Organisation.objects.count()) == counts
    assert set(User.objects.values_list("role", flat=True)) == {
        "ngo_leader",
        "expert",
        "staff",
        "fund_officer",
        "official",
        "admin",
    }


def test_a_document_asked_for_while_the_broker_is_down_waits_for_it(
    make_user, django_capture_on_commit_callbacks
):
    from unittest import mock

    user = make_user("staff")
    with (
        mock.patch(
            "alliance_portal.tasks.render_document.delay", side_effect=OSError("down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = document_request(
            kind="sample_pdf", key="down", params={"title": "x"}, user=user
        )
    job.refresh_from_db()
    # not failed: kept, waiting for the broker
    assert job.status == DocumentJob.Status.PENDING
    assert job.waits_for_queue
    # asking again once the broker is back renders it
    with django_capture_on_commit_callbacks(execute=True):
        document_request(
            kind="sample_pdf", key="down", params={"title": "x"}, user=user
        )
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE


def test_a_starting_celery_worker_process_warms_up_weasyprint(monkeypatch):
    # given the warm-up function watched
    from alliance_portal import celery as celery_module
    from alliance_portal import pdf

    calls = []
    monkeypatch.setattr(pdf, "warm_up", lambda: calls.append("warm"))
    # when a worker process starts
    celery_module.worker_process_init.send(sender=None)
    # then WeasyPrint is warmed up once in it
    assert calls == ["warm"]
