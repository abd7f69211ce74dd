"""Structured logs: one line per request and per task, ids only."""

import json
import logging
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from alliance_portal.logs import (
    REQUEST_LOGGER,
    TASK_LOGGER,
    JsonFormatter,
    KeyValueFormatter,
    ids_only,
)


def _lines(caplog, logger):
    return [r for r in caplog.records if r.name == logger]


@pytest.mark.django_db
def test_one_request_line_with_user_id_path_status_and_duration(
    client, make_user, caplog
):
    user = make_user("ngo_leader", email="aigerim.sultanova@example.kz")
    client.force_login(user)
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)

    response = client.get("/kk/notifications/?q=Aigerim+Sultanova")

    assert response.status_code == 200
    [record] = _lines(caplog, REQUEST_LOGGER)
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "request"
    assert line["method"] == "GET"
    assert line["path"] == "/kk/notifications/"
    assert line["route"] == "kk/notifications/"
    assert line["status"] == 200
    assert line["user"] == user.pk
    assert isinstance(line["duration_ms"], float)
    # Nothing personal: the query string (a search for a name) and the email stay out.
    text = json.dumps(line)
    assert "Aigerim" not in text
    assert "aigerim" not in text.lower()
    assert user.email not in text


@pytest.mark.django_db
def test_anonymous_and_not_found_requests_are_logged_without_a_user(client, caplog):
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    client.get("/kk/no-such-page/")
    [record] = _lines(caplog, REQUEST_LOGGER)
    assert record.status == 404
    assert record.user is None
    assert record.levelno == logging.INFO


@pytest.mark.django_db
def test_request_lines_are_off_unless_activity_logging_is_on(client, caplog):
    caplog.set_level(logging.WARNING, logger=REQUEST_LOGGER)
    client.get("/kk/no-such-page/")
    assert _lines(caplog, REQUEST_LOGGER) == []


@pytest.mark.django_db
def test_a_task_logs_one_line_with_name_id_state_and_duration(caplog):
    from alliance_portal.tasks import ping

    caplog.set_level(logging.INFO, logger=TASK_LOGGER)
    result = ping.delay()
    [record] = _lines(caplog, TASK_LOGGER)
    assert record.task == "alliance_portal.tasks.ping"
    assert record.task_id == result.id
    assert record.state == "SUCCESS"
    assert record.duration_ms >= 0


@pytest.mark.django_db
def test_a_failing_task_is_logged_with_its_name_and_id_only_arguments(caplog):
    from alliance_portal.models import DocumentJob
    from alliance_portal.tasks import render_document

    missing = str(uuid.uuid4())
    caplog.set_level(logging.WARNING, logger=TASK_LOGGER)
    # As a worker runs it: the error is recorded, not raised into the caller.
    result = render_document.apply(args=[missing], throw=False)
    assert isinstance(result.result, DocumentJob.DoesNotExist)
    [record] = _lines(caplog, TASK_LOGGER)
    assert record.levelno == logging.ERROR
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "task failed"
    assert line["task"] == "alliance_portal.tasks.render_document"
    assert line["task_args"] == [missing]
    assert line["task_kwargs"] == {}
    assert line["error"] == "DoesNotExist"
    assert line["task_id"]


def test_ids_only_keeps_ids_and_hides_everything_else():
    pk = uuid.uuid4()
    assert ids_only([42, "17", pk, str(pk), None, True]) == [
        42,
        "17",
        str(pk),
        str(pk),
        None,
        True,
    ]
    assert ids_only(
        {"user_id": 7, "email": "a@b.kz", "name": "Айгерім", "amount": 1.5}
    ) == {"user_id": 7, "email": "<str>", "name": "<str>", "amount": "<float>"}


def test_key_value_format_quotes_what_needs_quoting():
    record = logging.makeLogRecord(
        {"name": "portal.request", "levelname": "INFO", "msg": "request"}
    )
    record.path = "/kk/a b/"
    record.status = 200
    text = KeyValueFormatter().format(record)
    assert 'path="/kk/a b/"' in text
    assert "status=200" in text
    assert "event=request" in text


def test_production_logs_activity_as_json_and_wires_the_private_file_prefix():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "alliance_portal.settings.production",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "sqlite:////tmp/i15-logs.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "ALLOWED_HOSTS": "portal.example.kz",
        "PRIVATE_FILES_ACCEL_PREFIX": "/_protected/",
    }
    env.pop("SENTRY_DSN", None)
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "import sentry_sdk;"
        "print(json.dumps([s.LOGGING['loggers'], s.LOGGING['handlers'],"
        " s.PRIVATE_FILES_ACCEL_PREFIX, s.SESSION_ENGINE, s.MIDDLEWARE[0],"
        " sentry_sdk.get_client().is_active()]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    loggers, handlers, prefix, sessions, first, sentry = json.loads(result.stdout)
    assert loggers[REQUEST_LOGGER]["level"] == "INFO"
    assert loggers[TASK_LOGGER]["level"] == "INFO"
    assert handlers["console"]["formatter"] == "json"
    assert prefix == "/_protected/"
    assert sessions == "django.contrib.sessions.backends.cached_db"
    assert first == "alliance_portal.logs.RequestLogMiddleware"
    assert sentry is False  # no SENTRY_DSN, no error reporting


def test_sentry_is_initialised_only_with_a_dsn_and_without_personal_data(
    monkeypatch,
):
    import sentry_sdk

    from alliance_portal.logs import init_sentry

    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **kw: calls.append(kw))
    assert init_sentry("", environment="production", traces_sample_rate=0.0) is False
    assert calls == []
    dsn = "https://key@sentry.example.kz/3"
    assert init_sentry(dsn, environment="staging", traces_sample_rate=0.1) is True
    assert calls == [
        {
            "dsn": dsn,
            "environment": "staging",
            "traces_sample_rate": 0.1,
            "send_default_pii": False,
        }
    ]
