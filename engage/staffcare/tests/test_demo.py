"""The demo: staff care for one organisation, made once however often it runs."""

from __future__ import annotations

from engage.staffcare import demo
from engage.staffcare.models import Debrief, NamedOnlineReport, StaffRequest
from engage.staffcare.selectors import active_no_contact


def test_populate_makes_each_piece_once(flintshire, care):
    demo.populate(flintshire.organisation)
    demo.populate(flintshire.organisation)
    assert Debrief.objects.count() == 1
    assert StaffRequest.objects.count() == 2
    assert NamedOnlineReport.objects.get().told_keys == {"line_manager"}
    staff_member = Debrief.objects.get().staff_member
    assert active_no_contact(flintshire.organisation.pk, care.customer.pk) == [
        (staff_member.pk, "no_further_contact")
    ]


def test_populate_without_customers_makes_no_requests(flintshire, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo.populate(flintshire.organisation)
    assert Debrief.objects.count() == NamedOnlineReport.objects.count() == 1
    assert not StaffRequest.objects.exists()


def test_populate_does_nothing_where_no_one_has_a_line_manager(highland):
    demo.populate(highland.organisation)
    assert not Debrief.objects.exists()
    assert not NamedOnlineReport.objects.exists()
