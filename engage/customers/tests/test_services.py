"""Customer services: names kept exactly, every change audited, nothing crosses organisations."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from engage.audit.testing import expect_audit
from engage.customers.models import Customer, Identifier, Need, Representative, VulnerabilityNote
from engage.customers.services import (
    NewIdentifier,
    customer_create,
    customer_merge,
    identifier_add,
    identifier_end,
    need_record,
    representative_add,
    vulnerability_note_record,
)
from engage.customers.tests.factories import CustomerFactory

PHONE = NewIdentifier("phone", "01352 702345")


# --- customer_create --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Siôn Ó Dónaill-Ŵyn", "Mòrag NicLeòid", "D'Arcy", "Llŷr ap Gruffudd"])
def test_dafydd_adds_a_customer_with_the_name_kept_exactly(flintshire, name):
    with expect_audit("customer.create") as records:
        customer = customer_create(
            actor=flintshire.dafydd,
            organisation=flintshire.organisation,
            full_name=name,
            display_name=name.split()[0],
            identifiers=[PHONE],
        )
    customer.refresh_from_db()
    assert customer.full_name == name
    assert customer.display_name == name.split()[0]
    assert customer.created_by == flintshire.dafydd
    assert records[0].object_id == str(customer.pk)
    assert records[0].detail == {"reference": customer.reference, "identifiers": ["phone"]}
    phone = customer.identifiers.get()
    assert (phone.value, phone.display, phone.organisation) == (
        "+441352702345",
        "01352 702345",
        flintshire.organisation,
    )
    assert phone.is_current


def test_names_are_not_even_unicode_normalised(flintshire):
    # "ô" typed as o + combining circumflex stays as typed: the record shows what was entered.
    decomposed = "Sio\u0302n Jones"
    with expect_audit("customer.create"):
        customer = customer_create(
            actor=flintshire.ffion,
            organisation=flintshire.organisation,
            full_name=decomposed,
            identifiers=[PHONE],
        )
    customer.refresh_from_db()
    assert customer.full_name == decomposed


def test_references_count_up_within_each_organisation(flintshire, highland):
    with expect_audit("customer.create", "customer.create", "customer.create"):
        first = customer_create(
            actor=flintshire.ffion, organisation=flintshire.organisation, full_name="Ann", identifiers=[PHONE]
        )
        second = customer_create(
            actor=flintshire.ffion,
            organisation=flintshire.organisation,
            full_name="Bryn",
            identifiers=[PHONE],
        )
        elsewhere = customer_create(
            actor=highland.eilidh,
            organisation=highland.organisation,
            full_name="Catrìona",
            identifiers=[PHONE],
        )
    assert (first.reference, second.reference, elsewhere.reference) == ("C-000001", "C-000002", "C-000001")


def test_every_problem_is_named_at_once_and_nothing_is_written(flintshire):
    with expect_audit(), pytest.raises(ValidationError) as err:
        customer_create(
            actor=flintshire.ffion,
            organisation=flintshire.organisation,
            full_name="  ",
            identifiers=[NewIdentifier("phone", "123"), NewIdentifier("email", "siôn@")],
        )
    problems = err.value.message_dict
    assert problems["full_name"] == ["Enter the customer's full name"]
    assert problems["phone"][0].startswith("Enter a phone number in the correct format")
    assert problems["email"][0].startswith("Enter an email address in the correct format")
    assert not Customer.objects.exists()


def test_a_customer_needs_at_least_one_way_to_be_recognised(flintshire):
    with expect_audit(), pytest.raises(ValidationError) as err:
        customer_create(
            actor=flintshire.ffion, organisation=flintshire.organisation, full_name="Ann", identifiers=[]
        )
    assert "identifiers" in err.value.message_dict


def test_an_address_is_kept_as_typed_with_its_postcode_for_searching(flintshire):
    with expect_audit("customer.create"):
        customer = customer_create(
            actor=flintshire.ffion,
            organisation=flintshire.organisation,
            full_name="Gwenno Puw",
            identifiers=[
                NewIdentifier("postal_address", "Tŷ Gwyn\nStryd Fawr\nYr Wyddgrug", postcode="ch7 1ab")
            ],
        )
    address = customer.identifiers.get()
    assert address.display == "Tŷ Gwyn, Stryd Fawr, Yr Wyddgrug, CH7 1AB"
    assert address.value == "tŷ gwyn, stryd fawr, yr wyddgrug, CH7 1AB"
    assert address.postcode == "CH7 1AB"


def test_an_address_without_a_postcode_says_the_postcode_is_needed(flintshire):
    with pytest.raises(ValidationError) as err:
        customer_create(
            actor=flintshire.ffion,
            organisation=flintshire.organisation,
            full_name="Gwenno Puw",
            identifiers=[NewIdentifier("postal_address", "Tŷ Gwyn, Yr Wyddgrug")],
        )
    assert err.value.message_dict == {"postcode": ["Enter the postcode of the address, like CH7 6NF"]}


def test_a_social_media_handle_needs_its_platform_and_no_spaces(flintshire):
    with pytest.raises(ValidationError) as err:
        customer_create(
            actor=flintshire.ffion,
            organisation=flintshire.organisation,
            full_name="Dewi",
            identifiers=[NewIdentifier("social", "@Dewi J", platform="")],
        )
    assert err.value.message_dict == {
        "platform": ["Select the social media platform"],
        "social": ["Enter a social media handle without spaces, like @dewi_jones"],
    }


def test_a_member_of_another_organisation_cannot_add_customers_to_it(flintshire, highland):
    with expect_audit(), pytest.raises(PermissionDenied):
        customer_create(
            actor=highland.morag, organisation=flintshire.organisation, full_name="Ann", identifiers=[PHONE]
        )


# --- identifiers ------------------------------------------------------------------------------


def test_a_new_number_is_added_and_audited(flintshire):
    customer = CustomerFactory(organisation=flintshire.organisation, phone="01352 702345")
    with expect_audit("identifier.add") as records:
        mobile = identifier_add(actor=flintshire.ffion, customer=customer, kind="phone", raw="07400 123456")
    assert mobile.value == "+447400123456"
    assert mobile.organisation == flintshire.organisation
    assert records[0].detail == {"customer": customer.reference, "kind": "phone"}


def test_the_same_number_twice_is_refused_whatever_its_formatting(flintshire):
    customer = CustomerFactory(organisation=flintshire.organisation, phone="01352 702345")
    with expect_audit(), pytest.raises(ValidationError) as err:
        identifier_add(actor=flintshire.ffion, customer=customer, kind="phone", raw="+44 (0)1352 702 345")
    assert err.value.message_dict == {"phone": [f"{customer.reference} already has this phone number"]}


def test_an_unknown_kind_of_identifier_is_refused(flintshire):
    customer = CustomerFactory(organisation=flintshire.organisation)
    with pytest.raises(ValidationError) as err:
        identifier_add(actor=flintshire.ffion, customer=customer, kind="fax", raw="01352 702345")
    assert "kind" in err.value.message_dict


def test_ending_a_number_keeps_it_as_an_alias(flintshire):
    customer = CustomerFactory(organisation=flintshire.organisation, phone="01352 702345")
    old = customer.identifiers.get()
    with expect_audit(("identifier.end", old)):
        identifier_end(actor=flintshire.dafydd, identifier=old)
    old.refresh_from_db()
    assert old.valid_to is not None
    assert not old.is_current
    assert Identifier.objects.filter(customer_id=customer.pk).count() == 1
    with expect_audit(), pytest.raises(ValidationError):
        identifier_end(actor=flintshire.dafydd, identifier=old)
    # The number can be taken up again as a new, current identifier.
    with expect_audit("identifier.add"):
        identifier_add(actor=flintshire.ffion, customer=customer, kind="phone", raw="01352 702345")


def test_another_organisation_cannot_touch_a_customers_identifiers(flintshire, highland):
    customer = CustomerFactory(organisation=flintshire.organisation, phone="01352 702345")
    with expect_audit(), pytest.raises(PermissionDenied):
        identifier_add(actor=highland.morag, customer=customer, kind="email", raw="a@example.org")
    with expect_audit(), pytest.raises(PermissionDenied):
        identifier_end(actor=highland.morag, identifier=customer.identifiers.get())


# --- representatives, needs, vulnerability notes ----------------------------------------------


def test_an_advocate_is_recorded_with_contact_going_through_them(flintshire):
    customer = CustomerFactory(organisation=flintshire.organisation)
    with expect_audit("representative.add") as records:
        advocate = representative_add(
            actor=flintshire.ffion,
            customer=customer,
            name="Eirlys O'Brien",
            relationship=Representative.Relationship.ADVOCATE,
            contact_details="01352 700000",
            contact_through=True,
        )
    assert advocate.name == "Eirlys O'Brien"
    assert advocate.organisation == flintshire.organisation
    assert records[0].detail["contact_through"] is True


def test_a_representative_needs_a_name_a_relationship_and_if_contact_goes_through_them_details(flintshire):
    customer = CustomerFactory(organisation=flintshire.organisation)
    with expect_audit(), pytest.raises(ValidationError) as err:
        representative_add(
            actor=flintshire.ffion, customer=customer, name="", relationship="friend", contact_through=True
        )
    assert set(err.value.message_dict) == {"name", "relationship", "contact_details"}


def test_a_reasonable_adjustment_is_recorded_by_whoever_hears_of_it(flintshire):
    customer = CustomerFactory(organisation=flintshire.organisation)
    with expect_audit("need.record") as records:
        need = need_record(
            actor=flintshire.ffion, customer=customer, description="Prefers letters in Welsh, large print"
        )
    assert need.created_by == flintshire.ffion
    assert "Welsh" not in records[0].object_label
    with expect_audit(), pytest.raises(ValidationError) as err:
        need_record(actor=flintshire.ffion, customer=customer, description=" ")
    assert "description" in err.value.message_dict


def test_a_senior_manager_records_a_minimal_vulnerability_note_kept_out_of_the_audit_log(flintshire):
    customer = CustomerFactory(organisation=flintshire.organisation)
    with expect_audit("vulnerability_note.record") as records:
        note = vulnerability_note_record(actor=flintshire.sian, customer=customer, text="Recently bereaved")
    assert note.organisation == flintshire.organisation
    assert "bereaved" not in str(records[0].detail) + records[0].object_label


def test_a_call_handler_cannot_record_a_vulnerability_note_she_could_not_read(flintshire):
    customer = CustomerFactory(organisation=flintshire.organisation)
    with expect_audit(), pytest.raises(PermissionDenied):
        vulnerability_note_record(actor=flintshire.ffion, customer=customer, text="Recently bereaved")


def test_a_vulnerability_note_must_be_short(flintshire):
    customer = CustomerFactory(organisation=flintshire.organisation)
    with expect_audit(), pytest.raises(ValidationError) as err:
        vulnerability_note_record(actor=flintshire.dafydd, customer=customer, text="x" * 501)
    assert "500 characters or fewer" in err.value.message_dict["text"][0]


# --- customer_merge ---------------------------------------------------------------------------


def _duplicate_pair(flintshire):
    keep = CustomerFactory(organisation=flintshire.organisation, full_name="Siôn Jones", phone="01352 702345")
    merge = CustomerFactory(
        organisation=flintshire.organisation, full_name="Sion Jones", email="sion@example.org"
    )
    old = identifier_add(actor=None, customer=merge, kind="phone", raw="07400 123456")
    identifier_end(actor=None, identifier=old)
    representative_add(
        actor=None, customer=merge, name="Eirlys", relationship="advocate", phone="01352 700100"
    )
    need_record(actor=None, customer=merge, description="Needs an interpreter (Polish)")
    vulnerability_note_record(actor=None, customer=merge, text="Recently bereaved")
    return keep, merge


def test_dafydd_merges_a_duplicate_keeping_all_its_history(flintshire):
    keep, merge = _duplicate_pair(flintshire)
    with expect_audit(("customer.merge", keep)) as records:
        customer_merge(actor=flintshire.dafydd, keep=keep, merge=merge)
    merge.refresh_from_db()
    assert merge.merged_into == keep
    assert merge.is_archived
    assert merge.merged_at is not None
    assert sorted(keep.identifiers.values_list("value", flat=True)) == [
        "+441352702345",
        "+447400123456",
        "sion@example.org",
    ]
    assert keep.identifiers.filter(value="+447400123456", valid_to__isnull=False).exists()  # still an alias
    assert Representative.objects.get().customer == keep
    assert Need.objects.get().customer == keep
    assert VulnerabilityNote.objects.get().customer == keep
    assert not merge.identifiers.exists()
    detail = records[0].detail
    assert (detail["keep"], detail["merge"]) == (keep.reference, merge.reference)
    assert detail["moved"] == {
        "identifiers": 2,
        "representative_identifiers": 1,
        "representatives": 1,
        "needs": 1,
        "vulnerability_notes": 1,
        "incidents": 0,
        "case_measures": 0,
        "case_decisions": 0,
        "case_case": 0,
        "staff_requests": 0,
    }
    assert detail["identifiers_already_held"] == 0


def test_a_number_both_records_hold_is_not_listed_twice_but_still_finds_the_person(flintshire):
    keep = CustomerFactory(organisation=flintshire.organisation, full_name="Siôn Jones", phone="01352 702345")
    merge = CustomerFactory(
        organisation=flintshire.organisation,
        full_name="Sion Jones",
        phone="+44 1352 702345",
        email="s@example.org",
    )
    with expect_audit("customer.merge") as records:
        customer_merge(actor=flintshire.dafydd, keep=keep, merge=merge)
    assert list(keep.identifiers.filter(kind="phone").values_list("value", flat=True)) == ["+441352702345"]
    assert merge.identifiers.get().value == "+441352702345"
    assert records[0].detail["moved"]["identifiers"] == 1
    assert records[0].detail["identifiers_already_held"] == 1


def test_information_governance_may_merge_records_too(flintshire):
    keep, merge = _duplicate_pair(flintshire)
    with expect_audit("customer.merge"):
        customer_merge(actor=flintshire.rhodri, keep=keep, merge=merge)


def test_a_call_handler_cannot_merge_records(flintshire):
    keep, merge = _duplicate_pair(flintshire)
    with expect_audit(), pytest.raises(PermissionDenied):
        customer_merge(actor=flintshire.ffion, keep=keep, merge=merge)
    merge.refresh_from_db()
    assert merge.merged_into is None


def test_records_of_two_organisations_are_never_merged(flintshire, highland):
    keep = CustomerFactory(organisation=flintshire.organisation, full_name="Siôn Jones")
    theirs = CustomerFactory(organisation=highland.organisation, full_name="Siôn Jones")
    with expect_audit(), pytest.raises(ValidationError) as err:
        customer_merge(actor=flintshire.dafydd, keep=keep, merge=theirs)
    assert err.value.message_dict == {"merge": ["Records of two different organisations cannot be merged"]}
    with expect_audit(), pytest.raises(PermissionDenied):
        customer_merge(actor=highland.morag, keep=keep, merge=theirs)
    theirs.refresh_from_db()
    assert theirs.merged_into is None


def test_a_record_cannot_be_merged_into_itself(flintshire):
    customer = CustomerFactory(organisation=flintshire.organisation)
    with expect_audit(), pytest.raises(ValidationError) as err:
        customer_merge(actor=flintshire.dafydd, keep=customer, merge=customer)
    assert err.value.message_dict == {"merge": ["A record cannot be merged into itself"]}


def test_a_merged_record_cannot_be_merged_again_or_kept_or_changed(flintshire):
    keep, merge = _duplicate_pair(flintshire)
    third = CustomerFactory(organisation=flintshire.organisation)
    with expect_audit("customer.merge"):
        customer_merge(actor=flintshire.dafydd, keep=keep, merge=merge)
    with expect_audit(), pytest.raises(ValidationError) as err:
        customer_merge(actor=flintshire.dafydd, keep=third, merge=merge)
    assert "merge" in err.value.message_dict
    with expect_audit(), pytest.raises(ValidationError) as err:
        customer_merge(actor=flintshire.dafydd, keep=merge, merge=third)
    assert "keep" in err.value.message_dict
    with expect_audit(), pytest.raises(ValidationError) as err:
        need_record(actor=flintshire.dafydd, customer=merge, description="Large print")
    assert "customer" in err.value.message_dict


def test_records_merged_earlier_point_straight_at_the_survivor(flintshire):
    first = CustomerFactory(organisation=flintshire.organisation)
    second = CustomerFactory(organisation=flintshire.organisation)
    third = CustomerFactory(organisation=flintshire.organisation)
    with expect_audit("customer.merge", "customer.merge"):
        customer_merge(actor=flintshire.dafydd, keep=second, merge=first)
        customer_merge(actor=flintshire.dafydd, keep=third, merge=second)
    first.refresh_from_db()
    assert first.merged_into == third
