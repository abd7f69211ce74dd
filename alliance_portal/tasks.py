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
    """Daily beat job. Each app contributes its finders (see notifications.reminders)."""
    from .notifications import reminders_send_due

    return reminders_send_due()
