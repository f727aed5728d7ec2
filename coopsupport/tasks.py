from celery import shared_task
from django.utils import timezone

from coopsupport import services


@shared_task
def heartbeat_task() -> str:
    """Proves a worker (and beat) is alive; the home page shows when it last ran."""
    hb = services.beat_heartbeat(now=timezone.now())
    return hb.beat_at.isoformat()
