from celery import shared_task


@shared_task(acks_late=True)
def render_document(job_id: str) -> str:
    from .documents import document_render  # tasks ↔ services import cycle

    return document_render(job_id=job_id).status


@shared_task
def ping() -> str:
    """Round trip through the broker, used by the health check's tests."""
    return "pong"


@shared_task(acks_late=True)
def send_notification_email(notification_id: int) -> None:
    from .notifications import notification_send_email

    notification_send_email(notification_id=notification_id)


@shared_task(acks_late=True)
def send_due_reminders() -> int:
    """Daily beat job: every app's finders (see alliance_portal.reminders)."""
    from .reminders import reminders_send_due

    return reminders_send_due()


@shared_task(acks_late=True)
def flush_outbox() -> int:
    from .notifications import outbox_flush

    return outbox_flush()


@shared_task(acks_late=True)
def requeue_documents() -> int:
    from .documents import documents_requeue

    return documents_requeue()


@shared_task(acks_late=True)
def send_digests() -> int:
    from .notifications import digests_send

    return digests_send()
