from celery import shared_task


@shared_task(ignore_result=True)
def warm_dashboard() -> int:
    """Refill the dashboard's cache after money moved (see dashboard_invalidate)."""
    from .services import dashboard_warm

    return dashboard_warm()
