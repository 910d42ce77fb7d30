"""Accounts: brute-force lockout, the password policy, session expiry, deactivation and production settings."""
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

LOGIN = "/accounts/login/"
PASSWORD = "pw-for-tests-1"  # make_user's password in the root conftest


def attempt(client, username, password, address="10.0.0.1", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def test_it_locks_a_username_out_after_repeated_wrong_passwords_even_for_the_right_one(client, city_viewer):
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [attempt(client, "city_viewer", "wrong-password").status_code for _ in range(limit)]
    assert statuses == [200] * (limit - 1) + [429]
    response = attempt(client, "city_viewer", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert "登录已暂时锁定" in page
    assert f"{settings.AXES_COOLOFF_TIME.total_seconds() / 60:.0f} 分钟后重试" in page
    assert SESSION_KEY not in client.session


def test_a_lockout_does_not_shut_the_colleague_out_from_another_address(client, city_viewer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "city_viewer", "wrong-password", address="10.0.0.66")
    response = attempt(client, "city_viewer", PASSWORD, address="10.0.0.2")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(city_viewer.pk)


def test_by_default_a_forwarded_for_header_is_ignored_so_it_cannot_dodge_the_lockout(client, city_viewer):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "city_viewer", "wrong-password", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    response = attempt(client, "city_viewer", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert response.status_code == 429


PROXY = "10.0.0.1"


@override_settings(TRUSTED_PROXY_HEADER="X-Forwarded-For")
def test_behind_a_configured_proxy_the_lockout_follows_the_client_not_the_proxy(client, city_viewer):
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "city_viewer", "wrong-password", PROXY, **attacker)
    assert attempt(client, "city_viewer", PASSWORD, PROXY, **attacker).status_code == 429
    # A client-sent entry left of the proxy's own does not change the address counted.
    spoofed = {"HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.9"}
    assert attempt(client, "city_viewer", PASSWORD, PROXY, **spoofed).status_code == 429

    colleague = {"HTTP_X_FORWARDED_FOR": "203.0.113.20"}
    assert attempt(client, "city_viewer", PASSWORD, PROXY, **colleague).status_code == 302


@override_settings(TRUSTED_PROXY_HEADER="X-Forwarded-For")
def test_behind_a_configured_proxy_a_garbled_header_counts_as_the_proxy_address(client, city_viewer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "city_viewer", "wrong-password", PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    assert attempt(client, "city_viewer", PASSWORD, PROXY).status_code == 429


def test_a_successful_login_forgets_earlier_failures(client, city_viewer):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "city_viewer", "wrong-password")
    assert attempt(client, "city_viewer", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "city_viewer", "wrong-password")
    assert attempt(client, "city_viewer", PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["Qz7#kLp2w", "短密码Qz7#kL"])
def test_it_refuses_a_password_shorter_than_ten_characters(password, db):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any("10" in message for message in refused.value.messages)


def test_it_accepts_an_uncommon_password_of_ten_characters(db):
    validate_password("Qz7#kLp2wX")


def test_the_session_ends_when_the_browser_closes_and_after_the_cookie_age(client, city_viewer):
    attempt(client, "city_viewer", PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_a_deactivated_user_is_logged_out_of_every_session_at_once(client, city_viewer, api_client):
    attempt(client, "city_viewer", PASSWORD)
    api_client.force_login(city_viewer)
    assert client.get("/").status_code == 200
    assert api_client.get("/api/v1/units/").status_code == 200

    type(city_viewer).objects.filter(pk=city_viewer.pk).update(is_active=False)

    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert api_client.get("/api/v1/units/").status_code in (401, 403)


def test_production_settings_pass_the_deploy_check_with_secure_cookies_and_hsts():
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "0",
        "SECRET_KEY": "deploy-check-" + "x7Kq9" * 12, "ALLOWED_HOSTS": "portal.example.cn",
        "CSRF_TRUSTED_ORIGINS": "https://portal.example.cn",
    }
    for name in ("SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
        env.pop(name, None)
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000)"
    )
    shown = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["True"] * 4
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
