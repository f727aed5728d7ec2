"""End to end, with real parts: a Celery worker thread consuming from Redis, WeasyPrint, and an
SMTP server (aiosmtpd on 127.0.0.1). An installment coming due produces exactly one email with the
letter PDF attached; running the job again, or twice at once, adds none.

Needs REDIS_URL_FOR_TESTS (e.g. redis://127.0.0.1:6379/15); meant for PostgreSQL
(DATABASE_URL=postgres://root@127.0.0.1:5432/test), where two runs really overlap.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.utils import timezone

REDIS = os.environ.get("REDIS_URL_FOR_TESTS")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS, reason="set REDIS_URL_FOR_TESTS to run against a real Redis"),
]


def _reset_connections(app):
    """Drop cached connection and producer pools and the result backend so new URLs take effect
    (kombu's global pools too: a stopped worker leaves them closed for the next test)."""
    from kombu import pools

    pools.reset()
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    app.__dict__.pop("backend", None)
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def redis_app(settings):
    """The project's Celery app switched to Redis (the lead's pattern in tests/coopsupport)."""
    from coopsupport.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    keys = ("broker_url", "result_backend", "broker_transport_options", "task_always_eager")
    saved = {k: app.conf.get(k) for k in keys}
    app.conf.broker_url = REDIS
    app.conf.result_backend = REDIS
    app.conf.broker_transport_options = {}
    app.conf.task_always_eager = False
    _reset_connections(app)
    with app.connection_for_write() as conn:  # nothing left over from an earlier run
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    yield app
    for key, value in saved.items():
        app.conf[key] = value
    _reset_connections(app)


class _Sink:
    """Keeps every message the SMTP server accepts."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    sink = _Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield sink
    controller.stop()


@pytest.fixture
def coming_due(officer, settings):
    """A contract whose first installment falls due in 60 days: today is the −60 notice day."""
    from cooperatives.models import Contact
    from tests.loans.factories import make_fund, make_institution, make_levels, make_loan

    (settings.VAR_DIR / "celery-results").mkdir(parents=True, exist_ok=True)
    officer.email = "officer@cpd.example.go.th"
    officer.save()
    today = timezone.localdate()
    fund = make_fund()
    make_levels(fund)
    borrower = make_institution(officer.office, officer=officer, name="สหกรณ์การเกษตรแม่แตง จำกัด")
    Contact.objects.create(institution=borrower, name="ประธาน", email="chair@maetaeng.example")
    return make_loan(
        officer, borrower=borrower, fund=fund, signed_on=today - timedelta(days=30),
        disbursed_on=today - timedelta(days=30), first_due_on=today + timedelta(days=60), today=today,
    )  # fmt: skip


def _run_job(app, timeout: int = 120) -> dict:
    from loans.tasks import send_due_reminders_task

    return send_due_reminders_task.apply_async(ignore_result=False).get(timeout=timeout)


def _wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")


def test_a_real_worker_mails_one_reminder_with_the_letter_and_never_a_second(redis_app, smtp, coming_due):
    from celery.contrib.testing.worker import start_worker

    from loans import reminders
    from loans.models import Reminder
    from reports.models import Document

    with start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        first = _run_job(redis_app)
        assert first["emails_sent"] == 1 and first["letters_issued"] == 1, first
        # The printed letter is rendered by the same worker, from the queue.
        _wait_for(lambda: Document.objects.filter(kind="loans.letter", status="done").exists())

        assert len(smtp.messages) == 1
        recipients, raw = smtp.messages[0]
        assert sorted(recipients) == ["chair@maetaeng.example", "officer@cpd.example.go.th"]
        message = message_from_bytes(raw, policy=policy.default)
        assert coming_due.contract_number in str(message["Subject"])
        assert message["Cc"] == "officer@cpd.example.go.th"
        attachment = next(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_payload(decode=True).startswith(b"%PDF")
        assert "ประธานกรรมการดำเนินการ" in message.get_body(preferencelist=("plain",)).get_content()

        # The same day again: nothing new.
        again = _run_job(redis_app)
        assert again["emails_sent"] == 0 and again["planned"] == 0

        # Twice at once (beat fired twice), while someone also runs the command by hand.
        pending = [
            __import__("loans.tasks").tasks.send_due_reminders_task.apply_async(ignore_result=False)
            for _ in range(2)
        ]
        by_hand = reminders.send_due_reminders(as_of=timezone.localdate())
        results = [p.get(timeout=120) for p in pending]
        assert by_hand.emails_sent == 0 and all(r["emails_sent"] == 0 for r in results)

    assert len(smtp.messages) == 1
    assert Reminder.objects.filter(status="sent").count() == 2  # one email, one letter
    assert Document.objects.filter(kind="loans.letter").count() == 1


def test_two_jobs_racing_on_a_fresh_day_still_send_one_email(redis_app, smtp, coming_due):
    """No run has happened yet: the worker and a run by hand start on the same reminders together."""
    from celery.contrib.testing.worker import start_worker
    from django.db import connections

    from loans import reminders
    from loans.tasks import send_due_reminders_task

    outcome = {}

    def by_hand():
        try:
            outcome["hand"] = reminders.send_due_reminders(as_of=timezone.localdate())
        finally:
            connections.close_all()

    with start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        queued = send_due_reminders_task.apply_async(ignore_result=False)
        thread = threading.Thread(target=by_hand)
        thread.start()
        worker_result = queued.get(timeout=120)
        thread.join(120)

    total = worker_result["emails_sent"] + outcome["hand"].emails_sent
    assert total == 1 and len(smtp.messages) == 1
    assert worker_result["letters_issued"] + outcome["hand"].letters_issued == 1
