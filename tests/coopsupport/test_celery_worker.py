"""A real Celery worker thread consumes from a real broker and completes the heartbeat task."""

from __future__ import annotations

import os

import pytest
from celery.contrib.testing.worker import start_worker

from coopsupport.celery import app
from coopsupport.models import WorkerHeartbeat
from coopsupport.tasks import heartbeat_task

BROKERS = ["filesystem"]
if os.environ.get("REDIS_URL_FOR_TESTS"):
    BROKERS.append("redis")


@pytest.fixture
def broker(request, tmp_path, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    saved = {
        k: app.conf.get(k)
        for k in ("broker_url", "result_backend", "broker_transport_options", "task_always_eager")
    }
    if request.param == "filesystem":
        queue, processed, control = tmp_path / "queue", tmp_path / "processed", tmp_path / "control"
        for folder in (queue, processed, control):
            folder.mkdir()
        (tmp_path / "results").mkdir()
        app.conf.broker_url = "filesystem://"
        app.conf.broker_transport_options = {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "processed_folder": str(processed),
            "control_folder": str(control),
        }
        app.conf.result_backend = f"file://{tmp_path / 'results'}"
    else:
        app.conf.broker_url = os.environ["REDIS_URL_FOR_TESTS"]
        app.conf.broker_transport_options = {}
        app.conf.result_backend = os.environ["REDIS_URL_FOR_TESTS"]
    app.conf.task_always_eager = False
    _reset_connections()
    yield request.param
    for key, value in saved.items():
        app.conf[key] = value
    _reset_connections()


def _reset_connections():
    """Drop cached connection and producer pools and the result backend so new URLs take effect."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    app.__dict__.pop("backend", None)
    app._local.__dict__.pop("backend", None)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", BROKERS, indirect=True)
def test_a_worker_thread_runs_the_heartbeat_task_from_the_broker(broker):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = heartbeat_task.delay()
        beat_at = result.get(timeout=30)
    heartbeat = WorkerHeartbeat.objects.get(name="celery")
    assert heartbeat.beat_at.isoformat() == beat_at


def test_the_beat_schedule_is_code_in_settings(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    reminders = schedule["send-due-reminders"]
    assert reminders["task"] == "loans.tasks.send_due_reminders_task"
    assert reminders["schedule"].hour == {7} and reminders["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Bangkok"
    assert schedule["monthly-reports"]["schedule"].hour == {6}
