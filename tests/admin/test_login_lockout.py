"""Sign-in throttling: ten failures lock a username, or an address, out for fifteen minutes."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

ALICE, BOB = "192.0.2.10", "198.51.100.20"  # documentation addresses (RFC 5737)
PASSWORD = "pw-boss-123"  # the superuser fixture's


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """A fast hasher: the real one costs about 0.2 s per attempt, and these tests make hundreds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(address, username="boss", password=PASSWORD, **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
    return client, response


def signed_in(client):
    return client.get("/admin/").status_code == 200


def fail(times, address, username="boss"):
    """Wrong passwords: the form again with its error, then (at the limit) the lockout page."""
    statuses = [sign_in(address, username, "wrong password")[1].status_code for _ in range(times)]
    assert set(statuses[: django_settings.AXES_FAILURE_LIMIT - 1]) <= {200}
    return statuses


def test_the_right_password_after_ten_failures_is_refused(superuser):
    assert fail(10, ALICE)[-1] == 429  # the tenth failure already shows the lockout
    client, response = sign_in(ALICE)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Sign-in is locked." in html
    assert "15 minutes" in html
    assert 'id="site-name"' in html  # the admin's header: the admin's look
    assert not signed_in(client)


def test_nine_failures_still_let_the_right_password_in(superuser):
    fail(9, ALICE)
    client, response = sign_in(ALICE)
    assert response.status_code == 302
    assert signed_in(client)


def test_another_username_from_another_address_still_signs_in(superuser, django_user_model):
    django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-chief-123")
    fail(10, ALICE)
    client, response = sign_in(BOB, "chief", "pw-chief-123")
    assert response.status_code == 302
    assert signed_in(client)


def test_the_locked_username_is_refused_from_any_address(superuser):
    fail(10, ALICE)
    client, response = sign_in(BOB)
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_locked_address_is_refused_for_any_username(superuser, django_user_model):
    django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-chief-123")
    for n in range(10):
        sign_in(ALICE, f"guess{n}", "wrong password")
    client, response = sign_in(ALICE, "chief", "pw-chief-123")
    assert response.status_code == 429
    assert not signed_in(client)


@pytest.mark.parametrize(
    ("command", "args"),
    [("axes_reset", []), ("axes_reset_username", ["boss"]), ("axes_reset_ip", [ALICE])],
)
def test_the_reset_commands_unlock(superuser, command, args):
    fail(10, ALICE)
    assert sign_in(ALICE)[1].status_code == 429
    call_command(command, *args, stdout=open(os.devnull, "w"))  # noqa: SIM115
    client, response = sign_in(ALICE)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_lockout_page_speaks_chinese(superuser):
    fail(10, ALICE)
    _client, response = sign_in(ALICE, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 429
    assert "登录已被锁定" in html
    assert "15 分钟" in html


def test_force_login_is_not_throttled(superuser):
    fail(10, ALICE)
    client = Client(REMOTE_ADDR=ALICE)
    client.force_login(superuser)
    assert signed_in(client)


def settings_from(env):
    names = ["AXES_FAILURE_LIMIT", "LOGIN_LOCKOUT_MINUTES", "AXES_ENABLED"]
    code = f"import json; from archive import settings as s; print(json.dumps([getattr(s, n) for n in {names!r}]))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOGIN_")}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, cwd=django_settings.BASE_DIR, capture_output=True, text=True
    )
    return json.loads(result.stdout)


def test_limits_come_from_the_environment_with_documented_defaults():
    assert settings_from({}) == [10, 15, True]
    assert settings_from({"LOGIN_FAILURE_LIMIT": "5", "LOGIN_LOCKOUT_MINUTES": "60"}) == [5, 60, True]
    assert settings_from({"LOGIN_FAILURE_LIMIT": "0"})[2] is False


def test_a_lower_limit_locks_sooner(settings, superuser):
    settings.AXES_FAILURE_LIMIT = 3
    fail(3, ALICE)
    assert sign_in(ALICE)[1].status_code == 429
