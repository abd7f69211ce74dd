"""Generated documents (PDF, XLSX, ZIP) as jobs rendered by Celery.

An app registers a builder per document kind in its ``documents.py``::

    @register("memorandum_pdf")
    def build(job) -> tuple[str, bytes]:   # (file name, content)
        ...

and asks for a document with :func:`document_request`. Asking twice with the same key
returns the same job; a finished job is never rendered again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from kombu.exceptions import OperationalError as KombuOperationalError

from .models import DocumentJob

logger = logging.getLogger(__name__)

Builder = Callable[[DocumentJob], tuple[str, bytes]]
_builders: dict[str, Builder] = {}


def register(kind: str) -> Callable[[Builder], Builder]:
    def decorator(func: Builder) -> Builder:
        _builders[kind] = func
        return func

    return decorator


def autodiscover() -> None:
    autodiscover_modules("documents")


def document_request(*, kind: str, key: str, params: dict, user) -> DocumentJob:
    """Create (or find) the job for ``key`` and queue its rendering once committed."""
    from .tasks import render_document

    job, created = DocumentJob.objects.get_or_create(
        key=f"{kind}:{key}",
        defaults={"kind": kind, "params": params, "requested_by": user},
    )
    if created or job.status == DocumentJob.Status.FAILED or job.waits_for_queue:
        transaction.on_commit(lambda: _queue(job, render_document))
    return job


# What publishing raises when the broker cannot be reached.
BROKER_DOWN = (KombuOperationalError, ConnectionError, OSError)


def _queue(job: DocumentJob, task) -> None:
    """Hand the job to Celery. With the broker down the job stays waiting, marked
    as not queued: its page says the document will come later, and
    :func:`documents_requeue` (beat) or asking again hands it over once the broker
    is back. Never a server error, never a lost request."""
    try:
        task.delay(str(job.pk))
    except BROKER_DOWN as exc:
        logger.warning("Broker unavailable; document job %s not queued", job.pk)
        DocumentJob.objects.filter(pk=job.pk).update(
            status=DocumentJob.Status.PENDING,
            error=f"{DocumentJob.NOT_QUEUED}{exc}"[:2000],
        )
    except Exception as exc:
        # Eager mode (no Redis) renders inside delay(): a rendering error is a failure.
        logger.exception("Document job %s failed", job.pk)
        DocumentJob.objects.filter(pk=job.pk).update(
            status=DocumentJob.Status.FAILED, error=str(exc)[:2000]
        )
    else:
        DocumentJob.objects.filter(
            pk=job.pk, error__startswith=DocumentJob.NOT_QUEUED
        ).update(error="")


def documents_requeue() -> int:
    """Queue again the documents asked for while the broker was down."""
    from .tasks import render_document

    jobs = list(
        DocumentJob.objects.filter(
            status=DocumentJob.Status.PENDING, error__startswith=DocumentJob.NOT_QUEUED
        )[:200]
    )
    for job in jobs:
        _queue(job, render_document)
    return len(jobs)


def document_render(*, job_id: str) -> DocumentJob:
    """Render a job; idempotent: a finished job is left alone."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        if job.status in (DocumentJob.Status.DONE, DocumentJob.Status.RUNNING):
            return job
        job.status, job.progress, job.error = DocumentJob.Status.RUNNING, 10, ""
        job.save(update_fields=["status", "progress", "error", "updated_at"])
    try:
        filename, content = _builders[job.kind](job)
    except Exception as exc:
        job.status, job.error = DocumentJob.Status.FAILED, str(exc)[:2000]
        job.save(update_fields=["status", "error", "updated_at"])
        raise
    job.file.save(filename, ContentFile(content), save=False)
    job.filename = filename
    job.status, job.progress = DocumentJob.Status.DONE, 100
    job.save(update_fields=["file", "filename", "status", "progress", "updated_at"])
    return job
