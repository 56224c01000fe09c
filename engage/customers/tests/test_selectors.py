"""Finding customers: any formatting finds the same person, old numbers still do, merged records redirect."""

from __future__ import annotations

import pytest

from engage.customers import selectors
from engage.customers.selectors import (
    DUPLICATE_THRESHOLD,
    Profile,
    can_merge,
    can_see_vulnerability,
    duplicate_score,
    find_by_identifier,
    find_by_name_and_postcode,
    likely_duplicates,
    search,
)
from engage.customers.services import customer_merge, identifier_add, identifier_end
from engage.customers.tests.factories import CustomerFactory


@pytest.fixture
def sion(flintshire):
    return CustomerFactory(
        organisation=flintshire.organisation,
        full_name="Siôn Ó Dónaill-Ŵyn",
        phone="01352 702345",
        email="Sion.ODonaill@Example.org",
        address="Tŷ Gwyn\nStryd Fawr\nYr Wyddgrug",
        postcode="CH7 1AB",
    )


@pytest.mark.parametrize("typed", ["01352 702345", "+44 1352 702345", "(01352) 702 345", "00441352702345"])
def test_any_formatting_of_her_number_finds_the_same_customer(flintshire, sion, typed):
    assert find_by_identifier(flintshire.ffion, typed) == [sion]


def test_email_handle_postcode_and_reference_each_find_her(flintshire, sion):
    identifier_add(actor=None, customer=sion, kind="social", raw="@SionODW", platform="x")
    identifier_add(actor=None, customer=sion, kind="reference", raw="CAS/0042")
    ffion = flintshire.ffion
    assert find_by_identifier(ffion, "  sion.odonaill@EXAMPLE.ORG") == [sion]
    assert find_by_identifier(ffion, "@sionodw") == [sion]
    assert find_by_identifier(ffion, "ch71ab") == [sion]
    assert find_by_identifier(ffion, "cas/0042") == [sion]
    assert find_by_identifier(ffion, sion.reference.lower()) == [sion]


def test_an_ended_old_number_still_finds_her(flintshire, sion):
    old = sion.identifiers.get(kind="phone")
    identifier_end(actor=None, identifier=old)
    identifier_add(actor=None, customer=sion, kind="phone", raw="07400 123456")
    assert find_by_identifier(flintshire.ffion, "01352 702345") == [sion]
    assert find_by_identifier(flintshire.ffion, "07400123456") == [sion]


def test_a_merged_record_leads_to_the_one_kept(flintshire, sion):
    duplicate = CustomerFactory(
        organisation=flintshire.organisation, full_name="Sion O Donaill", phone="07400 123456"
    )
    customer_merge(actor=flintshire.dafydd, keep=sion, merge=duplicate)
    assert find_by_identifier(flintshire.ffion, "07400 123456") == [sion]
    assert find_by_identifier(flintshire.ffion, duplicate.reference) == [sion]
    assert selectors.surviving(duplicate) == sion
    assert selectors.record_ids(sion) == [sion.pk, duplicate.pk]
    assert selectors.record_ids(duplicate) == [duplicate.pk]


def test_a_shared_household_number_finds_everyone_who_uses_it(flintshire, sion):
    partner = CustomerFactory(
        organisation=flintshire.organisation, full_name="Mair Jones", phone="01352 702345"
    )
    assert find_by_identifier(flintshire.ffion, "01352 702345") == [sion, partner]


def test_another_organisation_never_finds_her_even_with_her_number(flintshire, highland, sion):
    assert find_by_identifier(highland.eilidh, "01352 702345") == []
    assert find_by_identifier(highland.eilidh, sion.reference) == []
    assert find_by_name_and_postcode(highland.eilidh, "Siôn", "CH7 1AB") == []


def test_a_number_nobody_has_finds_nobody(flintshire, sion):
    assert find_by_identifier(flintshire.ffion, "01352 700000") == []
    assert find_by_identifier(flintshire.ffion, "Siôn Ó Dónaill-Ŵyn") == []


def test_name_and_postcode_find_her_from_part_of_her_name(flintshire, sion):
    neighbour = CustomerFactory(
        organisation=flintshire.organisation, full_name="Gareth Evans", postcode="CH7 1AB"
    )
    assert find_by_name_and_postcode(flintshire.ffion, "Siôn Ó Dónaill-Ŵyn", "ch7 1ab") == [sion]
    assert find_by_name_and_postcode(flintshire.ffion, "ó dónaill-ŵyn", "CH7 1AB") == [sion]
    assert find_by_name_and_postcode(flintshire.ffion, "Gareth", "CH7 1AB") == [neighbour]
    assert find_by_name_and_postcode(flintshire.ffion, "Siôn Ó Dónaill-Ŵyn", "CH7 6NF") == []
    with pytest.raises(ValueError, match="Enter a real UK postcode"):
        find_by_name_and_postcode(flintshire.ffion, "Siôn", "CH7")


def test_the_search_box_takes_any_identifier_or_a_name_with_a_postcode(flintshire, sion):
    assert search(flintshire.ffion, " +44 1352 702345 ").customers == [sion]
    assert search(flintshire.ffion, "Siôn Ó Dónaill-Ŵyn CH7 1AB").customers == [sion]
    by_name = search(flintshire.ffion, "Siôn Ó Dónaill-Ŵyn")
    assert by_name.customers == []
    assert by_name.problem.startswith("To find someone by name, add their postcode")
    assert search(flintshire.ffion, "").customers == []


def test_only_managers_and_above_and_information_governance_see_vulnerability_notes(flintshire, highland):
    assert not can_see_vulnerability(flintshire.ffion)
    assert not can_see_vulnerability(highland.eilidh)
    for person in (flintshire.dafydd, flintshire.sian, flintshire.gwen, flintshire.rhodri, highland.morag):
        assert can_see_vulnerability(person), person
    assert not can_merge(flintshire.ffion)
    assert can_merge(flintshire.dafydd)
    assert can_merge(flintshire.rhodri)


# --- Duplicate scoring (pure) -----------------------------------------------------------------


def test_the_same_name_alone_is_a_likely_duplicate():
    score = duplicate_score(Profile("Siôn Jones"), Profile("SIÔN JONES"))
    assert score.points == 100
    assert score.reasons == ("same name",)


def test_a_name_missing_its_accent_is_close_but_not_equal():
    score = duplicate_score(Profile("Siôn Jones"), Profile("Sion Jones"))
    assert DUPLICATE_THRESHOLD <= score.points < 100
    assert score.reasons == ("similar name",)


def test_word_order_does_not_matter():
    assert duplicate_score(Profile("Jones Siôn"), Profile("Siôn Jones")).points == 100


def test_siblings_with_different_names_are_not_duplicates():
    assert duplicate_score(Profile("John Smith"), Profile("Jane Smith")).points < DUPLICATE_THRESHOLD


def test_a_shared_phone_lets_a_shortened_name_through():
    a = Profile("Siôn Jones", phones=frozenset({"+441352702345"}))
    b = Profile("S Jones", phones=frozenset({"+441352702345"}))
    assert duplicate_score(a, Profile("S Jones")).points < DUPLICATE_THRESHOLD
    score = duplicate_score(a, b)
    assert score.points >= DUPLICATE_THRESHOLD
    assert "same phone number" in score.reasons


def test_a_household_member_at_the_same_address_is_not_a_likely_duplicate():
    home = frozenset({"tŷ gwyn, stryd fawr, CH7 1AB"})
    a = Profile("Siôn Jones", addresses=home, postcodes=frozenset({"CH7 1AB"}))
    b = Profile("Mair Jones", addresses=home, postcodes=frozenset({"CH7 1AB"}))
    score = duplicate_score(a, b)
    assert score.points < DUPLICATE_THRESHOLD
    assert score.reasons == ("same address",)  # the postcode is not counted twice


def test_a_shared_email_address_with_a_differently_spelt_name_is_a_likely_duplicate():
    a = Profile("Siôn Ó Dónaill-Ŵyn", emails=frozenset({"sion@example.org"}))
    b = Profile("Sion O Donaill-Wyn", emails=frozenset({"sion@example.org"}))
    assert duplicate_score(a, Profile("Sion O Donaill-Wyn")).points < DUPLICATE_THRESHOLD
    assert duplicate_score(a, b).points >= DUPLICATE_THRESHOLD


def test_scores_never_pass_one_hundred():
    phone = frozenset({"+441352702345"})
    email = frozenset({"a@example.org"})
    a = Profile("Ann", phones=phone, emails=email)
    assert duplicate_score(a, a).points == 100


# --- likely_duplicates ------------------------------------------------------------------------


def test_likely_duplicates_are_ranked_and_stay_within_the_organisation(flintshire, highland, sion):
    org = flintshire.organisation
    same_number = CustomerFactory(organisation=org, full_name="Sion O Donaill-Wyn", phone="01352 702345")
    same_name = CustomerFactory(organisation=org, full_name="Siôn Ó Dónaill-Ŵyn", phone="07400 123456")
    CustomerFactory(organisation=org, full_name="Gareth Evans", postcode="CH7 1AB")  # a neighbour
    CustomerFactory(organisation=highland.organisation, full_name="Siôn Ó Dónaill-Ŵyn", phone="01352 702345")
    merged = CustomerFactory(organisation=org, full_name="Siôn Ó Dónaill-Ŵyn")
    customer_merge(actor=flintshire.dafydd, keep=same_name, merge=merged)

    found = likely_duplicates(flintshire.dafydd, sion)
    assert [d.customer for d in found] == [same_name, same_number]
    assert found[0].score.reasons == ("same name",)
    assert "same phone number" in found[1].score.reasons
    assert likely_duplicates(flintshire.dafydd, sion, limit=1)[0].customer == same_name


def test_an_old_shared_number_still_suggests_a_duplicate(flintshire, sion):
    other = CustomerFactory(
        organisation=flintshire.organisation, full_name="S Ó Dónaill-Ŵyn", phone="01352 702345"
    )
    identifier_end(actor=None, identifier=other.identifiers.get())
    assert [d.customer for d in likely_duplicates(flintshire.dafydd, sion)] == [other]


def test_current_identifiers_are_listed_before_old_ones(flintshire, sion):
    identifier_end(actor=None, identifier=sion.identifiers.get(kind="phone"))
    identifier_add(actor=None, customer=sion, kind="phone", raw="07400 123456")
    phones = sion.identifiers.filter(kind="phone")
    assert [(p.display, p.is_current) for p in phones] == [("07400 123456", True), ("01352 702345", False)]
