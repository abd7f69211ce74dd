import os

from celery import Celery

from .logs import connect_celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_portal.settings.local")

app = Celery("alliance_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One log line per task, failures with ids-only arguments (see alliance_portal.logs).
connect_celery_signals()
