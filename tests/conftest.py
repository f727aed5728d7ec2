"""Shared fixtures: two provinces, and the personas every view test uses.

officer                 writes province A's records
other_province_officer  an officer of province B (A's records are out of scope: 404)
supervisor              reads province A (writes: 403)
central                 reads every province
admin_user              administrator
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _thai_and_media(settings, tmp_path):
    settings.LANGUAGE_CODE = "th"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test users
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def geo(db):
    from tests.factories import make_geography

    return make_geography()


@pytest.fixture
def office(geo):
    return geo.office_a


@pytest.fixture
def other_office(geo):
    return geo.office_b


@pytest.fixture
def officer(geo):
    from tests.factories import UserFactory

    return UserFactory(
        username="officer_a", role="officer", office=geo.office_a, first_name="สมชาย", last_name="ใจดี"
    )


@pytest.fixture
def officer2(geo):
    from tests.factories import UserFactory

    return UserFactory(username="officer_a2", role="officer", office=geo.office_a)


@pytest.fixture
def other_province_officer(geo):
    from tests.factories import UserFactory

    return UserFactory(username="officer_b", role="officer", office=geo.office_b)


@pytest.fixture
def supervisor(geo):
    from tests.factories import UserFactory

    return UserFactory(username="supervisor_a", role="supervisor", office=geo.office_a)


@pytest.fixture
def central(geo):
    from tests.factories import UserFactory

    return UserFactory(username="central", role="central", office=None)


@pytest.fixture
def admin_user(geo):
    from tests.factories import UserFactory

    return UserFactory(username="admin", role="admin", office=None, is_staff=True, is_superuser=True)


def _client_for(client_factory, user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def officer_client(officer):
    return _client_for(None, officer)


@pytest.fixture
def other_client(other_province_officer):
    return _client_for(None, other_province_officer)


@pytest.fixture
def supervisor_client(supervisor):
    return _client_for(None, supervisor)


@pytest.fixture
def central_client(central):
    return _client_for(None, central)


@pytest.fixture
def admin_client_(admin_user):
    return _client_for(None, admin_user)


# --- Browser tests (Playwright + Debian's Chromium) ---------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "th-TH",
        "timezone_id": "Asia/Bangkok",
        "viewport": {"width": 1366, "height": 900},
    }


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


SCREENSHOTS = os.path.join(os.path.dirname(__file__), "screenshots")


@pytest.fixture
def screenshot_dir():
    os.makedirs(SCREENSHOTS, exist_ok=True)
    return SCREENSHOTS
