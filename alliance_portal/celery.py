import logging
import os

from celery import Celery
from celery.signals import worker_process_init

from .logs import connect_celery_signals

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_portal.settings.local")

app = Celery("alliance_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One log line per task, failures with ids-only arguments (see alliance_portal.logs).
connect_celery_signals()


@worker_process_init.connect
def _warm_pdf_renderer(**kwargs):
    # Each prefork child renders documents itself, so each one warms up.
    from alliance_portal.pdf import warm_up

    try:
        warm_up()
    except Exception:  # a worker must start even if the warm-up fails
        logger.exception("WeasyPrint warm-up failed")
