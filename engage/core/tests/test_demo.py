"""`engage demo`: one organisation per preset, staff for every role, and safe to run twice."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from engage.audit.models import AuditRecord
from engage.organisations.models import Organisation
from engage.policy import presets
from engage.staff.models import Role, User


def _counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "staff": User.objects.count(),
        "roles": Role.objects.count(),
    }


def test_the_demo_creates_one_organisation_per_preset_with_staff_for_every_role(db):
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert Organisation.objects.count() == len(presets.available()) == 6
    for organisation in Organisation.objects.all():
        for role in Role.objects.filter(organisation=organisation):
            assert role.holders.filter(is_active=True).exists(), f"nobody holds {role} in {organisation}"
    assert "flintshire-team-leader" in out.getvalue()
    assert "password for all: engage-demo-2026" in out.getvalue()
    assert AuditRecord.objects.filter(source="command: engage demo").exists()


def test_running_the_demo_again_creates_nothing_twice(db):
    call_command("demo", "--quiet")
    before = _counts()
    call_command("demo", "--quiet")
    assert _counts() == before


def test_the_demo_refuses_a_production_deployment(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="must not be loaded into a production"):
        call_command("demo", "--quiet")


def test_a_demo_call_handler_reports_to_the_team_leader(db):
    call_command("demo", "--quiet")
    employee = User.objects.get(username="flintshire-employee")
    assert employee.line_manager is not None
    assert employee.line_manager.username == "flintshire-team-leader"
