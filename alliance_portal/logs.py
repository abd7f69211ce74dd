"""Logs an operator can read and grep: one JSON line per request and per Celery task.

What goes in a line is chosen so that it carries no personal data beyond ids: the user's
id (never the email or name), the path without its query string (searches carry names),
the route pattern, the status and the duration; for a task its name, id, state and
duration, and on failure its arguments reduced to ids and the exception's class (the
message may quote a person's data; the full error goes to Sentry when it is configured).

This module is imported by the settings, so it imports nothing of Django at module level.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

REQUEST_LOGGER = "portal.request"
TASK_LOGGER = "portal.task"

# Fields a record may carry into the line, beyond the message.
_RESERVED = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """``{"ts": ..., "level": ..., "logger": ..., "event": ..., <extra fields>}``."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        line.update(_extra(record))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class KeyValueFormatter(logging.Formatter):
    """``ts=... level=... logger=... event="..." key=value ...`` for those who prefer it."""

    def format(self, record: logging.LogRecord) -> str:
        parts = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        parts.update(_extra(record))
        text = " ".join(f"{k}={_kv(v)}" for k, v in parts.items())
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def _extra(record: logging.LogRecord) -> dict:
    """The fields given with ``extra=``."""
    return {
        key: value
        for key, value in record.__dict__.items()
        if key not in _RESERVED and not key.startswith("_")
    }


def _kv(value) -> str:
    text = "" if value is None else str(value)
    if not text or re.search(r'[\s"=]', text):
        return json.dumps(text, ensure_ascii=False)
    return text


def build_logging(*, level: str, fmt: str, activity: bool) -> dict:
    """The ``LOGGING`` setting. ``activity`` turns on the per-request and per-task lines;
    warnings, errors and task failures are logged whatever it says."""
    formatter = "keyvalue" if fmt == "keyvalue" else "json"
    activity_level = "INFO" if activity else "WARNING"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "alliance_portal.logs.JsonFormatter"},
            "keyvalue": {"()": "alliance_portal.logs.KeyValueFormatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": formatter}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            REQUEST_LOGGER: {"level": activity_level},
            TASK_LOGGER: {"level": activity_level},
        },
    }


class RequestLogMiddleware:
    """One line per request. First in MIDDLEWARE, so the duration covers all of it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.logger = logging.getLogger(REQUEST_LOGGER)

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        status = response.status_code
        level = logging.ERROR if status >= 500 else logging.INFO
        if self.logger.isEnabledFor(level):
            match = getattr(request, "resolver_match", None)
            self.logger.log(
                level,
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": match.route if match else None,
                    "status": status,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user": _user_id(request),
                },
            )
        return response


def _user_id(request) -> int | None:
    # Static files are answered before the authentication middleware runs: no user.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user.pk


_ID_TEXT = re.compile(
    r"^(\d{1,19}|[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})$",
    re.IGNORECASE,
)


def ids_only(value):
    """Ids (integers, UUIDs, digit or UUID strings) as they are; anything else by its
    type only, so a task called with a name or an email never writes it to the log."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | uuid.UUID):
        return value if isinstance(value, int) else str(value)
    if isinstance(value, str) and _ID_TEXT.match(value):
        return value
    if isinstance(value, list | tuple):
        return [ids_only(v) for v in value]
    if isinstance(value, dict):
        return {str(k): ids_only(v) for k, v in value.items()}
    return f"<{type(value).__name__}>"


_started: dict[str, float] = {}


def _task_prerun(task_id=None, task=None, **kwargs):
    _started[task_id] = time.monotonic()


def _task_postrun(task_id=None, task=None, state=None, **kwargs):
    started = _started.pop(task_id, None)
    logger = logging.getLogger(TASK_LOGGER)
    if state == "FAILURE":
        return  # the failure handler wrote the line, with the error
    logger.info(
        "task",
        extra={
            "task": task.name if task else None,
            "task_id": task_id,
            "state": state,
            "duration_ms": (
                round((time.monotonic() - started) * 1000, 1) if started else None
            ),
        },
    )


def _task_failure(
    sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra
):
    started = _started.get(task_id)
    logging.getLogger(TASK_LOGGER).error(
        "task failed",
        extra={
            "task": getattr(sender, "name", None),
            "task_id": task_id,
            "state": "FAILURE",
            "task_args": ids_only(list(args or [])),
            "task_kwargs": ids_only(dict(kwargs or {})),
            "error": type(exception).__name__ if exception else None,
            "duration_ms": (
                round((time.monotonic() - started) * 1000, 1) if started else None
            ),
        },
    )


def _setup_logging(**kwargs):
    """Celery would replace the root logger's handlers with its own format; the worker
    and beat log through the project's LOGGING instead."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


def connect_celery_signals() -> None:
    from celery import signals

    signals.setup_logging.connect(_setup_logging, weak=False)
    signals.task_prerun.connect(_task_prerun, weak=False)
    signals.task_postrun.connect(_task_postrun, weak=False)
    signals.task_failure.connect(_task_failure, weak=False)


def init_sentry(dsn: str, *, environment: str, traces_sample_rate: float) -> bool:
    """Error reporting to Sentry, only when a DSN is configured; never personal data
    (no emails, IP addresses or cookies: ``send_default_pii`` stays off)."""
    if not dsn:
        return False
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
    )
    return True
