"""Organisation settings: letterhead and closure days, changed only by information governance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from engage.audit.testing import expect_audit
from engage.organisations.models import LocalClosure
from engage.organisations.services import closure_add, organisation_update_settings
from engage.policy.services import calendar_for
from tests.personas import PASSWORD


def test_rhodri_changes_the_letterhead(flintshire):
    with expect_audit(("organisation.settings_change", flintshire.organisation)) as records:
        organisation_update_settings(
            actor=flintshire.rhodri, organisation=flintshire.organisation, telephone="01352 702400"
        )
    assert records[0].detail == {"changed": ["telephone"]}


def test_a_closure_day_stops_counting_as_a_working_day(flintshire):
    monday = dt.date(2027, 3, 1)  # St David's Day: not a bank holiday in Wales
    assert calendar_for(flintshire.organisation).is_working_day(monday)
    with expect_audit("organisation.closure_add"):
        closure_add(
            actor=flintshire.rhodri, organisation=flintshire.organisation, date=monday, reason="Staff day"
        )
    assert not calendar_for(flintshire.organisation).is_working_day(monday)
    assert calendar_for(flintshire.organisation).add_working_days(dt.date(2027, 2, 26), 1) == dt.date(
        2027, 3, 2
    )


def test_the_same_closure_day_cannot_be_added_twice(flintshire):
    closure_add(
        actor=flintshire.rhodri, organisation=flintshire.organisation, date=dt.date(2027, 3, 1), reason="x"
    )
    with pytest.raises(ValidationError) as err:
        closure_add(
            actor=flintshire.rhodri,
            organisation=flintshire.organisation,
            date=dt.date(2027, 3, 1),
            reason="y",
        )
    assert "date" in err.value.message_dict


def test_a_half_typed_date_names_the_missing_part_and_keeps_the_rest(client, flintshire):
    client.login(username="rhodri", password=PASSWORD)
    page = client.post(
        "/organisation/closures/add/", {"day": "1", "month": "", "year": "2027", "reason": "Staff day"}
    )
    html = page.content.decode()
    assert "The date must include a month" in html
    assert 'value="Staff day"' in html
    assert 'value="2027"' in html
    assert not LocalClosure.objects.exists()


def test_another_organisations_closure_cannot_be_removed(client, flintshire, highland):
    closure = closure_add(
        actor=flintshire.rhodri, organisation=flintshire.organisation, date=dt.date(2027, 3, 1), reason="x"
    )
    client.login(username="morag", password=PASSWORD)
    assert client.post(f"/organisation/closures/{closure.pk}/remove/").status_code == 404
    assert LocalClosure.objects.filter(pk=closure.pk).exists()


def test_a_call_handler_cannot_change_settings(client, flintshire):
    client.login(username="ffion", password=PASSWORD)
    assert client.get("/organisation/").status_code == 403
