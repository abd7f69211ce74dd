from celery import shared_task


@shared_task(acks_late=True)
def expire_lapsed_memoranda() -> int:
    """Daily: store "expired" on memoranda whose validity has passed."""
    from .services import memoranda_expire_lapsed  # tasks ↔ services import cycle

    return memoranda_expire_lapsed()
