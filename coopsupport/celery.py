"""The Celery app. Beat's schedule lives in settings (CELERY_BEAT_SCHEDULE) as code."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsupport.settings")

app = Celery("coopsupport")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
