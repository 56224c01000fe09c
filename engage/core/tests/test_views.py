"""Pages: signed-in only, organisation-scoped, role-gated, and secure by default."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.personas import PASSWORD

ROOT = Path(__file__).resolve().parents[3]


def test_every_page_but_sign_in_and_health_needs_signing_in(client, db):
    assert client.get("/").status_code == 302
    assert client.get("/staff/").url.startswith("/sign-in/")
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/sign-in/").status_code == 200


def test_a_call_handler_cannot_manage_staff(client, flintshire):
    client.login(username="ffion", password=PASSWORD)
    assert client.get("/staff/").status_code == 403
    assert client.get("/audit/").status_code == 403


def test_records_manager_sees_the_audit_log_of_her_own_organisation_only(client, flintshire, highland):
    client.login(username="rhodri", password=PASSWORD)
    page = client.get("/audit/").content.decode()
    assert "Ffion Hughes" in page
    assert "Eilidh Fraser" not in page


def test_pages_carry_a_content_security_policy_without_inline_script(client, flintshire):
    client.login(username="ffion", password=PASSWORD)
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


def test_sessions_end_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_passwords_are_hashed_with_argon2(db):
    from django.conf import settings as django_settings
    from django.contrib.auth.hashers import make_password
    from django.test import override_settings

    from engage.config import settings as engage_settings

    # The project's own setting, not the fast one the other tests use.
    with override_settings(PASSWORD_HASHERS=engage_settings.PASSWORD_HASHERS):
        assert django_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
        assert make_password("correct-horse-battery-staple-9").startswith("argon2$")


@pytest.mark.parametrize("bad", ["maybe", "2"])
def test_a_bad_boolean_setting_fails_loudly(bad):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "engage.config.settings",
            "ENGAGE_DEBUG": bad,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ENGAGE_DEBUG must be one of" in result.stderr


def test_production_settings_pass_the_deploy_check_with_no_warnings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "ENGAGE_ENV": "production",
        "SECRET_KEY": "x" * 20 + "-production-secret-with-plenty-of-entropy-0123456789",
        "ALLOWED_HOSTS": "engage.example.gov.uk",
        "ENGAGE_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "engage.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "ENGAGE_ENV": "production", "ENGAGE_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "engage.cli", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set in production" in result.stderr


def test_a_fault_on_a_page_shows_the_sorry_page_and_says_nothing_saved_was_lost(
    client, flintshire, monkeypatch
):
    def failing(*args, **kwargs):
        raise OSError("disk I/O error")

    monkeypatch.setattr("engage.core.views.task_groups", failing)
    client.force_login(flintshire.ffion)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"Sorry, there is a problem with Engage" in response.content
    assert b"disk" not in response.content


def test_your_work_lists_at_most_fifty_tasks_a_group_and_counts_the_rest(client, flintshire, monkeypatch):
    from engage.core.work import SHOWN, Task, TaskGroup

    tasks = [Task(label=f"Draft letter {n}", url=f"/letters/new/{n}/") for n in range(SHOWN + 2)]
    groups = [TaskGroup(title="Letters", tasks=tasks, not_built=7)]
    monkeypatch.setattr("engage.core.views.task_groups", lambda user: groups)
    client.force_login(flintshire.sian)
    page = client.get("/").content.decode()
    assert page.count('class="govuk-link govuk-task-list__link"') == SHOWN == 50
    assert f"Draft letter {SHOWN - 1}<" in page
    assert f"Draft letter {SHOWN}<" not in page
    assert "9 more are waiting: they will appear here as you finish these." in page
