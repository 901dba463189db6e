"""Production security settings: the switches `check --deploy` asks for, and where sign-in leads."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def production_env(**changes):
    """deploy/archive.env.example (the documented production settings) with a real secret key."""
    env = {"PATH": os.environ["PATH"]}  # nothing else of this process (tests set DJANGO_ALLOW_ASYNC_UNSAFE)
    for line in (ROOT / "deploy" / "archive.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    env.update(SECRET_KEY=secrets.token_urlsafe(50), DJANGO_SETTINGS_MODULE="archive.settings", **changes)
    return env


def check_deploy(env):
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = check_deploy(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("switch", "warning"),
    [("HSTS_INCLUDE_SUBDOMAINS", "W005"), ("SECURE_SSL_REDIRECT", "W008"), ("HSTS_PRELOAD", "W021")],
)
def test_each_switch_answers_its_warning(switch, warning):
    result = check_deploy(production_env(**{switch: "0"}))
    assert result.returncode != 0 and f"security.{warning}" in result.stderr + result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "", None])
def test_signing_in_with_an_unsafe_or_no_next_lands_on_the_admin(next_url):
    User.objects.create_superuser("boss", "boss@example.org", "pw-boss-123")
    query = "" if next_url is None else f"?next={next_url}"
    form = {"username": "boss", "password": "pw-boss-123"}
    response = Client().post(f"/admin/login/{query}", {**form, **({"next": next_url} if next_url is not None else {})})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert Client().get("/admin/").status_code == 302  # and signing in is still required
