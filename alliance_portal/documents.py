"""Generated documents (PDF, XLSX, ZIP) as jobs rendered by Celery.

An app registers a builder per document kind in its ``documents.py``::

    @register("memorandum_pdf")
    def build(job) -> tuple[str, bytes]:   # (file name, content)
        ...

and asks for a document with :func:`document_request`. Asking twice with the same key
returns the same job; a finished job is never rendered again.

An official document (contract, memorandum, minutes, certificates) is *issued*
with :func:`document_issue`: the job renders it once and stores the exact bytes with
their SHA-256 as an :class:`~alliance_portal.models.IssuedDocument` of a given version.
Who may download an issued document is decided by the app that owns its subject::

    @issued_access("memorandum_pdf")
    def can_download(user, memorandum) -> bool: ...
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import DocumentJob, IssuedDocument

logger = logging.getLogger(__name__)

Builder = Callable[[DocumentJob], tuple[str, bytes]]
_builders: dict[str, Builder] = {}
AccessCheck = Callable[..., bool]
_access: dict[str, AccessCheck] = {}
# Kinds whose new version staff may issue from the documents panel with a reason
# (the contract is re-issued only by generating it again, from its own page).
REISSUABLE: set[str] = set()


def register(kind: str) -> Callable[[Builder], Builder]:
    def decorator(func: Builder) -> Builder:
        _builders[kind] = func
        return func

    return decorator


def issued_access(kind: str, *, reissuable: bool = False):
    """Register who may download the issued documents of ``kind``:
    ``check(user, subject) -> bool``. Without a check nobody may (deny by default)."""

    def decorator(func: AccessCheck) -> AccessCheck:
        _access[kind] = func
        if reissuable:
            REISSUABLE.add(kind)
        return func

    return decorator


def can_download_issued(user, document: IssuedDocument) -> bool:
    check = _access.get(document.kind)
    subject = document.subject
    return bool(check and subject is not None and check(user, subject))


def autodiscover() -> None:
    autodiscover_modules("documents")


def document_request(*, kind: str, key: str, params: dict, user) -> DocumentJob:
    """Create (or find) the job for ``key`` and queue its rendering once committed."""
    from .tasks import render_document

    job, created = DocumentJob.objects.get_or_create(
        key=f"{kind}:{key}",
        defaults={"kind": kind, "params": params, "requested_by": user},
    )
    if created or job.status == DocumentJob.Status.FAILED:
        transaction.on_commit(lambda: _queue(job, render_document))
    return job


def _queue(job: DocumentJob, task) -> None:
    """Hand the job to Celery; with the broker down the job is marked failed (the
    status page says so, and asking again re-queues it) instead of a server error."""
    try:
        task.delay(str(job.pk))
    except Exception as exc:
        logger.warning("Broker unavailable; document job %s not queued", job.pk)
        DocumentJob.objects.filter(pk=job.pk).update(
            status=DocumentJob.Status.FAILED, error=f"queue unavailable: {exc}"[:2000]
        )


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
    with transaction.atomic():
        if job.params.get("issue"):
            _store_issued(job, filename, content)
        job.file.save(filename, ContentFile(content), save=False)
        job.filename = filename
        job.status, job.progress = DocumentJob.Status.DONE, 100
        job.save(update_fields=["file", "filename", "status", "progress", "updated_at"])
    return job


# --------------------------------------------------------------- issued documents


def issued_documents_of(*, subject, kinds: tuple[str, ...] = ()) -> list:
    """Every issued version of a subject's documents, newest version first."""
    qs = IssuedDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).select_related("issued_by")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return list(qs.order_by("kind", "-version", "variant"))


def latest_issued(*, kind: str, subject, variant: str) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.filter(
            kind=kind,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            variant=variant,
        )
        .order_by("-version")
        .first()
    )


def next_issue_version(*, kind: str, subject, variant: str) -> int:
    latest = IssuedDocument.objects.filter(
        kind=kind,
        variant=variant,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
    ).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def document_issue(
    *,
    kind: str,
    subject,
    variant: str,
    number: str,
    params: dict,
    user,
    version: int | None = None,
    reason: str = "",
    issued_on: datetime.date | None = None,
) -> DocumentJob:
    """Ask Celery to render and issue ``version`` of an official document (by default
    the next one). Asking again for the same version returns the same job, so a
    double click issues nothing twice. The builder finds the number, version and
    issue date in ``job.params["issue"]`` to print them on the document."""
    content_type = ContentType.objects.get_for_model(subject)
    if version is None:
        version = next_issue_version(kind=kind, subject=subject, variant=variant)
    issue = {
        "content_type": content_type.pk,
        "subject": subject.pk,
        "variant": variant,
        "version": version,
        "number": number,
        "reason": reason.strip(),
        "issued_on": (issued_on or timezone.localdate()).isoformat(),
    }
    return document_request(
        kind=kind,
        key=f"issue:{content_type.pk}:{subject.pk}:{variant}:v{version}",
        params={**params, "issue": issue},
        user=user,
    )


def document_reissue(*, document: IssuedDocument, reason: str, user) -> DocumentJob:
    """The next version of the same document from the same parameters, with the
    reason; the earlier versions are left exactly as they were."""
    subject = document.subject
    return document_issue(
        kind=document.kind,
        subject=subject,
        variant=document.variant,
        number=document.number,
        params=dict(document.params),
        user=user,
        reason=reason,
    )


def issue_info(job: DocumentJob) -> dict:
    """Number, version and issue date to print on an issued document (empty for a
    plain generated one)."""
    issue = job.params.get("issue")
    if not issue:
        return {}
    return {
        "number": issue["number"],
        "version": issue["version"],
        "issued_on": datetime.date.fromisoformat(issue["issued_on"]),
    }


def _store_issued(job: DocumentJob, filename: str, content: bytes) -> IssuedDocument:
    existing = IssuedDocument.objects.filter(job=job).first()
    if existing is not None:
        return existing
    issue = job.params["issue"]
    document = IssuedDocument(
        kind=job.kind,
        subject_type_id=issue["content_type"],
        subject_id=issue["subject"],
        variant=issue["variant"],
        version=issue["version"],
        number=issue["number"],
        issued_on=datetime.date.fromisoformat(issue["issued_on"]),
        issued_by=job.requested_by,
        reason=issue.get("reason", ""),
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        params={k: v for k, v in job.params.items() if k != "issue"},
        job=job,
    )
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


def issued_panel(*, user, subject, kinds: tuple[str, ...] = ()) -> dict:
    """Context for ``partials/issued_documents.html``: the versions the user may
    download, and whether they may issue a new one."""
    from .permissions import is_staff_member

    issued = [
        d
        for d in issued_documents_of(subject=subject, kinds=kinds)
        if _access.get(d.kind) and _access[d.kind](user, subject)
    ]
    return {
        "issued": issued,
        "can_reissue": is_staff_member(user),
        "reissuable": sorted(REISSUABLE),
    }
