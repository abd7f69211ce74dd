# The Celery app is imported here so that `.delay()` anywhere uses our configuration.
from .celery import app as celery_app

__all__ = ("celery_app",)
