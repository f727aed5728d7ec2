"""Account services: sign-in lock-out bookkeeping and the worker heartbeat."""

from __future__ import annotations

import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F

from coopsupport.models import User, WorkerHeartbeat


def locked_until(username: str | None, *, now: datetime) -> datetime | None:
    if not username:
        return None
    until = User.objects.filter(username=username).values_list("locked_until", flat=True).first()
    return until if until and until > now else None


@transaction.atomic
def record_failed_login(username: str | None, *, now: datetime) -> None:
    if not username:
        return
    User.objects.filter(username=username).update(failed_logins=F("failed_logins") + 1)
    User.objects.filter(username=username, failed_logins__gte=settings.LOGIN_MAX_FAILURES).update(
        locked_until=now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES), failed_logins=0
    )


def record_successful_login(user: User | None) -> None:
    if user is not None and (user.failed_logins or user.locked_until):
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)


def beat_heartbeat(*, now: datetime, name: str = "celery") -> WorkerHeartbeat:
    hb, _ = WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": now, "hostname": socket.gethostname()}
    )
    return hb
