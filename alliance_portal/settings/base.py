"""Settings shared by every environment; everything that differs comes from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from alliance_portal.logs import build_logging

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "import_export",
    # ours: lower layers first (see docs/architecture.md)
    "alliance_portal",
    "members",
    "esign",
    "resources",
    "memoranda",
    "projects",
    "reviews",
    "grants",
    "forums",
    "dashboard",
]

MIDDLEWARE = [
    "alliance_portal.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "alliance_portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "alliance_portal.middleware.RefuseNulBytesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "alliance_portal.middleware.RequireMFAMiddleware",
    "alliance_portal.middleware.RememberLanguageMiddleware",
]

ROOT_URLCONF = "alliance_portal.urls"
WSGI_APPLICATION = "alliance_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliance_portal.context_processors.portal",
            ],
        },
    },
]

# Embedded default (SQLite) so `make run` works anywhere; DATABASE_URL for PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
# The covering indexes (INCLUDE) of the busiest lists are PostgreSQL's; on the embedded
# SQLite default the same indexes are made on their key columns alone, which is all a
# demo needs, so Django's warning about it would only alarm whoever runs `make run`.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Scripts, styles, images and fonts come from the portal itself (everything is
# vendored under static/); no inline script, handler or style; data: only for the
# small SVGs Bootstrap's CSS and the TOTP QR code use.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
)
# htmx sends the token from the page (hx-headers on <body>); no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# allauth: log in by email; email confirmation is mandatory for self-service sign-up.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Account emails' subjects start with the portal's name in the reader's language, like
# the notifications' (allauth would use the request's host name).
ACCOUNT_EMAIL_SUBJECT_PREFIX = format_lazy("[{}] ", _("Civil Alliance"))
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "alliance_portal.accounts.AccountAdapter"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# Signing up asks for the name, an optional phone (greetings and the staff desk show
# them) and the consent to the privacy notice (members.forms.SignupConsentForm).
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupConsentForm"
# The version of the privacy notice consents are recorded against; change it with the text.
PRIVACY_NOTICE_VERSION = "2026-11-30"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Alliance Portal"

LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
FORMAT_MODULE_PATH = ["alliance_portal.formats"]
TIME_ZONE = "Asia/Qyzylorda"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # never served publicly: private files go through views
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Media through STORAGES: a shared or object storage is a matter of configuration
# (see docs/deployment.md, "Beyond one machine").
STORAGES = {
    "default": {
        "BACKEND": env(
            "MEDIA_STORAGE_BACKEND",
            default="django.core.files.storage.FileSystemStorage",
        ),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
MAX_UPLOAD_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console by default, any backend through EMAIL_URL (smtp://, consolemail://...).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@alliance-kyzylorda.kz")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Redis when REDIS_URL is set; otherwise an in-process cache and eager Celery.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down must not fail an action: reads miss, writes are dropped.
            "BACKEND": "alliance_portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# When Redis is down a user's action must not hang: give up publishing after a few
# seconds; what was not queued waits in the outbox (see notifications.outbox_flush).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "send-due-reminders": {
        "task": "alliance_portal.tasks.send_due_reminders",
        "schedule": crontab(hour=9, minute=0),  # 09:00 Asia/Qyzylorda
    },
    "send-daily-digests": {
        "task": "alliance_portal.tasks.send_digests",
        "schedule": crontab(hour=18, minute=0),
    },
    "warm-dashboard": {
        "task": "dashboard.tasks.warm_dashboard",
        # Cheap when nothing changed (the figures are still cached); after money
        # moved it refills the views officials open first.
        "schedule": crontab(minute="*/10"),
    },
    "expire-lapsed-memoranda": {
        "task": "memoranda.tasks.expire_lapsed_memoranda",
        "schedule": crontab(hour=0, minute=30),
    },
    "flush-email-outbox": {
        "task": "alliance_portal.tasks.flush_outbox",
        "schedule": crontab(minute="*/5"),
    },
    "requeue-documents": {
        # Documents asked for while the broker was down.
        "task": "alliance_portal.tasks.requeue_documents",
        "schedule": crontab(minute="*/5"),
    },
}

# Absolute links in emails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
PORTAL_NAME = _("Kyzylorda Region Civil Alliance")
# Roles that must use two-factor authentication before reaching their pages.
MFA_REQUIRED_ROLES = {"expert", "staff", "fund_officer", "official", "admin"}
# A session of one of those roles ends after this long without a request.
PRIVILEGED_SESSION_IDLE_SECONDS = env.int(
    "PRIVILEGED_SESSION_IDLE_SECONDS", default=1800
)

# JSON lines (or LOG_FORMAT=keyvalue); ACTIVITY_LOG adds one line per request and per
# task (on in production; runserver prints its own lines in development).
LOGGING = build_logging(
    level=env("LOG_LEVEL", default="WARNING"),
    fmt=env("LOG_FORMAT", default="json"),
    activity=env.bool("ACTIVITY_LOG", default=False),
)

# Electronic signatures (ЭЦП): the NCA trust anchors live in a folder of the server
# (see docs/deployment.md). Empty: no anchors, signing is unavailable and says why.
ESIGN_TRUST_DIR = env("ESIGN_TRUST_DIR", default="")
ESIGN_TRUST_PINS = env.list("ESIGN_TRUST_PINS", default=[])
ESIGN_ALLOW_TEST_ANCHORS = env.bool("ESIGN_ALLOW_TEST_ANCHORS", default=True)
# NCALayer listens on the signer's own computer; tests point this at a local stand-in.
ESIGN_NCALAYER_URL = env("ESIGN_NCALAYER_URL", default="wss://127.0.0.1:13579")
ESIGN_CRL_URLS = env.list(
    "ESIGN_CRL_URLS",
    default=[
        "http://crl.pki.gov.kz/nca_rsa_2022.crl",
        "http://crl.pki.gov.kz/nca_gost_2022.crl",
    ],
)
