"""Production: every secret must come from the environment, or the process refuses to start."""

import sys

from django.core.exceptions import ImproperlyConfigured

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
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
}
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

# Test certification authorities never sign anything real.
ESIGN_ALLOW_TEST_ANCHORS = False
