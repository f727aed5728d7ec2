"""Sign-in, lock-out, sign-out, password change and reset, idle sessions, roles and scope."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from cooperatives.models import Institution
from coopsupport.models import User

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_in_thai(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "เข้าสู่ระบบ" in body
    assert 'lang="th"' in body


def test_anonymous_visitors_are_sent_to_the_sign_in_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_officer_signs_in_and_sees_the_home_page(client, officer):
    response = client.post(
        reverse("login"), {"username": "officer_a", "password": "pass-1234-word"}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"] == officer
    assert "สมชาย" in response.content.decode()


def test_a_wrong_password_gives_a_thai_message(client, officer):
    response = client.post(reverse("login"), {"username": "officer_a", "password": "nope"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้" in response.content.decode() or "รหัสผ่าน" in response.content.decode()


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, officer, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "officer_a", "password": "wrong"})
    officer.refresh_from_db()
    assert officer.locked_until is not None
    response = client.post(reverse("login"), {"username": "officer_a", "password": "pass-1234-word"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "ล็อก" in response.content.decode()


def test_a_successful_sign_in_clears_earlier_failures(client, officer):
    client.post(reverse("login"), {"username": "officer_a", "password": "wrong"})
    client.post(reverse("login"), {"username": "officer_a", "password": "pass-1234-word"})
    officer.refresh_from_db()
    assert officer.failed_logins == 0


def test_sign_out_is_a_post_and_ends_the_session(officer_client):
    response = officer_client.post(reverse("logout"))
    assert response.status_code == 302
    assert officer_client.get(reverse("home")).status_code == 302


def test_password_reset_sends_a_thai_email(client, officer):
    response = client.post(reverse("password_reset"), {"email": officer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "CoopSupport" in mail.outbox[0].subject
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_change_works(officer_client, officer):
    response = officer_client.post(
        reverse("password_change"),
        {
            "old_password": "pass-1234-word",
            "new_password1": "Sahakorn-2569!",
            "new_password2": "Sahakorn-2569!",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Sahakorn-2569!")


def test_sessions_expire_when_idle(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_the_user_can_switch_to_english(officer_client):
    response = officer_client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert "Sign out" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "can_write", "sees_all"),
    [("officer", True, False), ("supervisor", False, False), ("central", False, True), ("admin", True, True)],
)
def test_roles_decide_writing_and_reach(role, can_write, sees_all, geo):
    user = User(
        username=f"x-{role}", role=role, office=geo.office_a if role in ("officer", "supervisor") else None
    )
    assert user.can_write is can_write
    assert user.sees_all_offices is sees_all


def _institution(office, province, name):
    return Institution.objects.create(
        office=office, kind="cooperative", type="agricultural", name=name, province=province
    )


def test_for_user_limits_officers_and_supervisors_to_their_office(
    geo, officer, supervisor, central, other_province_officer
):
    a = _institution(geo.office_a, geo.province_a, "สหกรณ์ ก")
    b = _institution(geo.office_b, geo.province_b, "สหกรณ์ ข")
    assert list(Institution.objects.for_user(officer)) == [a]
    assert list(Institution.objects.for_user(supervisor)) == [a]
    assert list(Institution.objects.for_user(other_province_officer)) == [b]
    assert set(Institution.objects.for_user(central)) == {a, b}


def test_inactive_or_anonymous_users_see_nothing(geo, officer):
    from django.contrib.auth.models import AnonymousUser

    _institution(geo.office_a, geo.province_a, "สหกรณ์ ก")
    officer.is_active = False
    assert Institution.objects.for_user(officer).count() == 0
    assert Institution.objects.for_user(AnonymousUser()).count() == 0


def test_the_home_page_shows_each_role_its_page(officer_client, supervisor_client, central_client):
    for c in (officer_client, supervisor_client, central_client):
        response = c.get(reverse("home"))
        assert response.status_code == 200
        assert "ปีงบประมาณ" in response.content.decode()


def test_healthz_answers_without_login(client):
    assert client.get(reverse("healthz")).content == b"ok"


def test_the_reference_data_creates_79_offices_from_the_geography_fixture(db):
    from coopsupport import reference
    from coopsupport.models import Office, Province, Subdistrict

    reference.load_geography()
    assert Province.objects.count() == 77
    assert Subdistrict.objects.count() > 7000
    reference.ensure_offices()
    assert Office.objects.filter(kind="provincial").count() == 76
    assert Office.objects.filter(kind="bangkok_area").count() == 2
    assert Office.objects.filter(kind="central").count() == 1
    assert reference.ensure_offices() == 0  # idempotent


def test_pages_are_thai_even_when_the_browser_prefers_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "เข้าสู่ระบบ" in response.content.decode()


def test_the_language_choice_is_remembered(officer_client):
    officer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign out" in officer_client.get(reverse("home")).content.decode()
    officer_client.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert "ออกจากระบบ" in officer_client.get(reverse("home")).content.decode()
