"""Staff care reads and rules: what the contact check honours, who must be told, who sees what."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from engage.policy import presets
from engage.staffcare import rules, selectors
from engage.staffcare.models import StaffRequest
from engage.staffcare.services import (
    debrief_record,
    named_online_report,
    named_online_tell,
    staff_request_decide,
    staff_request_make,
)

Kind = StaffRequest.Kind


def _agreed(flintshire, care, staff_member, kind, customer=None):
    request = staff_request_make(
        actor=staff_member, staff_member=staff_member, customer=customer or care.customer, kind=kind
    )
    staff_request_decide(actor=flintshire.sian, request=request, agree=True)
    return request


# ------------------------------------------------------------------------ the contact check


def test_active_no_contact_is_one_query_for_agreed_requests_of_this_customer_only(
    flintshire, care, highland_care, django_assert_num_queries
):
    _agreed(flintshire, care, flintshire.ffion, Kind.NO_FURTHER_CONTACT)
    _agreed(flintshire, care, care.llyr, Kind.REMOVE_FROM_CASE)
    _agreed(flintshire, care, care.llyr, Kind.NO_FURTHER_CONTACT, customer=care.other_customer)
    staff_request_make(  # waiting, not agreed
        actor=flintshire.ffion,
        staff_member=flintshire.ffion,
        customer=care.customer,
        kind=Kind.REMOVE_FROM_CASE,
    )
    with django_assert_num_queries(1):
        found = selectors.active_no_contact(flintshire.organisation.pk, care.customer.pk)
    assert found == [(flintshire.ffion.pk, "no_further_contact"), (care.llyr.pk, "remove_from_case")]
    # The same customer id under another organisation finds nothing.
    assert selectors.active_no_contact(highland_care.customer.organisation_id, care.customer.pk) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan is stable to assert on")
def test_active_no_contact_uses_the_partial_index(flintshire, care):
    query = StaffRequest.objects.filter(
        organisation_id=flintshire.organisation.pk, customer_id=care.customer.pk, status="agreed"
    ).values_list("staff_member_id", "kind")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "staffrequest_agreed_customer" in plan


def test_the_desk_is_told_what_to_do_and_never_why():
    """000/001 §76: recorded minimally, seen only by those who need it."""
    sentences = rules.desk_sentences(
        [
            ("Ffion Hughes", "senior_manager_name"),
            ("Ffion Hughes", "no_further_contact"),
            ("Ffion Hughes", "no_further_contact"),
            ("Llŷr Owen", "remove_from_case"),
            ("Llŷr Owen", "something_new"),
        ]
    )
    assert sentences == [
        "Do not put this caller through to Ffion Hughes.",
        "Do not pass anything about this customer to Llŷr Owen.",
        "Do not give this customer Ffion Hughes's name or contact details.",
    ]


# ----------------------------------------------------------------------- who must be told


def _names(preset_key, *, someone_else=False):
    preset = presets.get(preset_key)
    return [p.name for p in rules.parties_to_tell(preset, reported_by_someone_else=someone_else)]


def test_highland_tells_the_line_manager_head_of_people_and_corporate_communications():
    """001 §78a: an email to the line manager, the Head of People, cc Corporate Communications."""
    assert _names("highland") == ["Line manager", "Head of People (HR)", "Corporate Communications"]
    assert _names("next_gen") == ["Line manager", "Head of People (HR)", "Corporate Communications"]


def test_clackmannanshire_tells_the_hr_business_partner_and_communications_team_leader():
    """002 12.6."""
    assert _names("clackmannanshire") == ["Line manager", "HR Business Partner", "Communications Team Leader"]


def test_when_a_colleague_found_it_the_member_of_staff_is_told_in_private():
    """001 §80 / 002 12.8."""
    preset = presets.get("clackmannanshire")
    parties = rules.parties_to_tell(preset, reported_by_someone_else=True)
    assert parties[-1] == rules.Party("staff_member", "The member of staff, in private", "002: 12.8")


def test_a_sharing_rule_for_social_media_names_who_to_tell_without_listing_a_role_twice():
    """003 9.24: relevant managers contact Corporate Communications and/or Legal Services."""
    assert _names("scottish_borders") == [
        "Line manager",
        "Corporate Communications and/or Legal Services (by the relevant manager)",
    ]


def test_a_policy_that_names_no_one_else_tells_the_line_manager():
    """004 Appendix 2: Team Leaders/Managers follow internal procedures."""
    assert _names("flintshire") == ["Line manager"]


def test_clauses_are_cited_only_where_the_policy_has_them():
    assert rules.clause(presets.get("highland"), "named_minimum") == "001: §79"
    assert rules.clause(presets.get("next_gen"), "debrief") == "000: §68"
    assert rules.clause(presets.get("clackmannanshire"), "request") == "002: 10.4, 10.6"
    assert rules.clause(presets.get("flintshire"), "debrief") == ""


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("https://x.example.org/a?b=1", ["https://x.example.org/a?b=1"]),
        ("  www.example.org/page  \n\n", ["https://www.example.org/page"]),
        ("http://a.example.org\nhttp://a.example.org", ["http://a.example.org"]),
    ],
)
def test_links_are_web_addresses(raw, cleaned):
    assert rules.clean_links(raw) == cleaned


@pytest.mark.parametrize(
    "raw", ["javascript:alert(1)", "ftp://files.example.org/x", "not a link", "https://"]
)
def test_anything_else_is_refused(raw):
    with pytest.raises(ValueError, match="is not a web address"):
        rules.clean_links(raw)


# ------------------------------------------------------------------------- need to know


def test_a_request_is_seen_by_her_those_above_her_and_senior_managers_only(flintshire, care):
    request = staff_request_make(
        actor=flintshire.ffion,
        staff_member=flintshire.ffion,
        customer=care.customer,
        kind=Kind.NO_FURTHER_CONTACT,
    )
    for sees in (flintshire.ffion, flintshire.dafydd, flintshire.sian, care.carys):
        assert list(selectors.requests_for(sees)) == [request], sees
    for does_not in (care.llyr, flintshire.gwen, flintshire.rhodri):
        assert not selectors.requests_for(does_not).exists(), does_not


def test_a_debrief_is_seen_by_her_those_there_and_those_above_her(flintshire, care):
    debrief = debrief_record(
        actor=flintshire.dafydd,
        staff_member=flintshire.ffion,
        held_with=[flintshire.dafydd, flintshire.rhodri],
        held_on=timezone.localdate(),
        agreed_actions="A week on email only.",
    )
    for sees in (flintshire.ffion, flintshire.dafydd, flintshire.sian, flintshire.rhodri):
        assert list(selectors.debriefs_for(sees)) == [debrief], sees
    for does_not in (care.llyr, care.carys, flintshire.gwen):
        assert not selectors.debriefs_for(does_not).exists(), does_not


def test_hr_see_reports_of_staff_named_online_but_not_one_about_themselves_before_told(
    highland, highland_care
):
    about_isla = named_online_report(
        actor=highland.eilidh, staff_member=highland_care.isla, platform="X", description="Names Isla"
    )
    about_eilidh = named_online_report(
        actor=highland.eilidh, staff_member=highland.eilidh, platform="X", description="Names me"
    )
    assert list(selectors.named_online_for(highland_care.kenna)) == [about_eilidh, about_isla]
    assert list(selectors.named_online_for(highland_care.isla)) == [about_eilidh]
    assert list(selectors.named_online_for(highland_care.iain)) == [about_eilidh]
    assert not selectors.named_online_for(highland.morag).exists()
    named_online_tell(
        actor=highland_care.kenna, report=about_isla, parties=["staff_member"], told_on=timezone.localdate()
    )
    assert about_isla in selectors.named_online_for(highland_care.isla)


def test_managing_is_the_line_of_management_within_one_organisation(flintshire, care, highland):
    assert selectors.manages(flintshire.dafydd, flintshire.ffion)
    assert selectors.manages(flintshire.sian, flintshire.ffion)
    assert not selectors.manages(flintshire.ffion, flintshire.dafydd)
    assert not selectors.manages(flintshire.ffion, flintshire.ffion)
    assert not selectors.manages(care.carys, flintshire.ffion)
    assert not selectors.manages(highland.eilidh, flintshire.ffion)
    assert set(selectors.managed_by(flintshire.sian)) == {flintshire.dafydd, flintshire.ffion, care.llyr}
