"""Production: every secret must come from the environment, or the process refuses to start."""

import sys

from django.core.exceptions import ImproperlyConfigured

from alliance_portal.logs import build_logging, init_sentry

from .base import *  # noqa: F403
from .base import env


def _require(name: str) -> str:
    try:
        return env(name)
    except ImproperlyConfigured:
        sys.stderr.write(f"Missing required environment variable: {name}\n")
        raise SystemExit(1) from None


SECRET_KEY = _require("SECRET_KEY")
DATABASES = {"default": env.db_url_config(_require("DATABASE_URL"))}
REDIS_URL = _require("REDIS_URL")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[]) or [_require("ALLOWED_HOSTS")]
DEBUG = False
CACHES = {
    "default": {
        "BACKEND": "alliance_portal.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
}
# Every page reads the session: from Redis, written through to the database so a
# cache flush logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Sessions read from Redis and kept in the database: every web node sees the same
# session, and a flushed Redis logs nobody out.
SESSION_ENGINE = env(
    "SESSION_ENGINE", default="django.contrib.sessions.backends.cached_db"
)

# Behind nginx: Django checks access, nginx sends the bytes from an internal location
# (deploy/nginx/alliance-portal.conf). Empty: Django streams the file itself.
PRIVATE_FILES_ACCEL_PREFIX = env("PRIVATE_FILES_ACCEL_PREFIX", default="")

LOGGING = build_logging(
    level=env("LOG_LEVEL", default="WARNING"),
    fmt=env("LOG_FORMAT", default="json"),
    activity=env.bool("ACTIVITY_LOG", default=True),
)

init_sentry(
    env("SENTRY_DSN", default=""),
    environment=env("SENTRY_ENVIRONMENT", default="production"),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)

# Test certification authorities never sign anything real.
ESIGN_ALLOW_TEST_ANCHORS = False
