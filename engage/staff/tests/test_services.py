"""Staff services: each change is audited, and nothing crosses between organisations."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from engage.audit.testing import expect_audit
from engage.staff.models import Role, User
from engage.staff.services import staff_change_roles, staff_create, staff_deactivate


def test_rhodri_adds_a_call_handler_with_her_name_kept_exactly(flintshire):
    employee = Role.objects.get(organisation=flintshire.organisation, key="employee")
    with expect_audit("staff.create") as records:
        llyr = staff_create(
            actor=flintshire.rhodri,
            organisation=flintshire.organisation,
            username="llyr",
            first_name="Llŷr",
            last_name="O'Dónaill-Ŵyn",
            email="llyr@example.org",
            roles=[employee],
            line_manager=flintshire.dafydd,
        )
    llyr.refresh_from_db()
    assert (llyr.first_name, llyr.last_name) == ("Llŷr", "O'Dónaill-Ŵyn")
    assert llyr.capabilities == {"frontline"}
    assert not llyr.has_usable_password()
    assert records[0].actor == flintshire.rhodri
    assert records[0].organisation == flintshire.organisation


def test_a_role_of_another_organisation_cannot_be_given(flintshire, highland):
    highland_role = Role.objects.filter(organisation=highland.organisation).first()
    with expect_audit(), pytest.raises(ValidationError) as err:
        staff_create(
            actor=flintshire.rhodri,
            organisation=flintshire.organisation,
            username="intruder",
            first_name="A",
            last_name="B",
            email="a@example.org",
            roles=[highland_role],
        )
    assert "roles" in err.value.message_dict
    assert not User.objects.filter(username="intruder").exists()


def test_a_line_manager_must_work_for_the_same_organisation(flintshire, highland):
    with pytest.raises(ValidationError) as err:
        staff_change_roles(
            actor=flintshire.rhodri, member=flintshire.ffion, roles=[], line_manager=highland.eilidh
        )
    assert "line_manager" in err.value.message_dict


def test_changing_roles_is_recorded_with_before_and_after(flintshire):
    team_leader = Role.objects.get(organisation=flintshire.organisation, key="team_leader")
    with expect_audit(("staff.roles_change", flintshire.ffion)) as records:
        staff_change_roles(
            actor=flintshire.rhodri,
            member=flintshire.ffion,
            roles=[team_leader],
            line_manager=flintshire.sian,
        )
    assert records[0].detail["before"] == ["employee"]
    assert records[0].detail["after"] == ["team_leader"]
    flintshire.ffion.refresh_from_db()
    assert flintshire.ffion.can("manager")


def test_ending_access_needs_a_reason_and_keeps_the_account(flintshire):
    with pytest.raises(ValidationError):
        staff_deactivate(actor=flintshire.rhodri, member=flintshire.ffion, reason="  ")
    with expect_audit(("staff.deactivate", flintshire.ffion)):
        staff_deactivate(actor=flintshire.rhodri, member=flintshire.ffion, reason="Left the council")
    flintshire.ffion.refresh_from_db()
    assert flintshire.ffion.is_active is False


def test_nobody_can_end_their_own_access(flintshire):
    with pytest.raises(ValidationError):
        staff_deactivate(actor=flintshire.rhodri, member=flintshire.rhodri, reason="testing")
