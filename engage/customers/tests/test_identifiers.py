"""Identifier normalisation: any formatting of the same number, address or handle is one value."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engage.customers import identifiers
from engage.customers.identifiers import Kind, guess_kind, normalise
from engage.customers.models import Identifier


@pytest.mark.parametrize(
    "typed",
    [
        "01352 702345",
        "+44 1352 702345",
        "(01352) 702 345",
        "00441352702345",
        "+44 (0)1352 702345",
        "01352-702345",
        " 01352702345 ",
        "tel:+44-1352-702345",
    ],
)
def test_every_uk_formatting_of_a_number_is_the_same_e164(typed):
    assert normalise("phone", typed) == "+441352702345"


def test_an_extension_is_dropped_so_the_line_matches():
    assert normalise("phone", "01352 702345 ext 12") == "+441352702345"


def test_an_international_number_keeps_its_country():
    assert normalise("phone", "+353 1 234 5678") == "+35312345678"


@pytest.mark.parametrize("typed", ["", "123", "01352 70234", "not a number", "07700 900123"])
def test_a_number_that_cannot_be_real_is_refused_in_plain_words(typed):
    # 07700 900xxx is Ofcom's range for drama: never a real customer's number.
    with pytest.raises(ValueError, match="Enter a phone number in the correct format"):
        normalise("phone", typed)


def test_email_addresses_are_trimmed_and_lower_cased_local_part_included():
    assert normalise("email", "  Siôn.Jones@Example.ORG ") == "siôn.jones@example.org"
    assert normalise("email", "mailto:ann@example.org") == "ann@example.org"


def test_email_provider_tricks_are_not_folded():
    # "+tags" and dots mean different mailboxes on most providers.
    assert normalise("email", "ann+council@example.org") == "ann+council@example.org"


@pytest.mark.parametrize("typed", ["ann", "ann@", "ann@example", "a b@example.org", "a@b@example.org"])
def test_a_malformed_email_address_is_refused(typed):
    with pytest.raises(ValueError, match="Enter an email address in the correct format"):
        normalise("email", typed)


def test_a_handle_loses_its_at_sign_and_case():
    assert normalise("social", " @Dewi_Jones ") == "dewi_jones"
    assert normalise("social", "dewi_jones") == "dewi_jones"
    with pytest.raises(ValueError, match="without spaces"):
        normalise("social", "@dewi jones")
    with pytest.raises(ValueError, match="without spaces"):
        normalise("social", "@")


def test_platforms_are_recognised_by_key_name_or_alias():
    assert identifiers.normalise_platform("Twitter") == "x"
    assert identifiers.normalise_platform("X (Twitter)") == "x"
    assert identifiers.normalise_platform("facebook") == "facebook"
    with pytest.raises(ValueError, match="Select the social media platform"):
        identifiers.normalise_platform("myspace")


@pytest.mark.parametrize("typed", ["ch7 6nf", "CH76NF", " Ch7   6Nf ", "CH7 6NF"])
def test_postcodes_are_upper_case_with_one_space(typed):
    assert normalise("postcode", typed) == "CH7 6NF"


def test_postcodes_of_every_shape_are_accepted():
    for typed, want in [
        ("iv3 5nx", "IV3 5NX"),
        ("sw1a2aa", "SW1A 2AA"),
        ("M11AE", "M1 1AE"),
        ("gir0aa", "GIR 0AA"),
    ]:
        assert normalise("postcode", typed) == want


@pytest.mark.parametrize("typed", ["", "CH7", "CH7 6N", "123 456", "CH7 6CI"])
def test_a_postcode_that_is_not_a_uk_postcode_is_refused(typed):
    with pytest.raises(ValueError, match="Enter a real UK postcode"):
        normalise("postcode", typed)


def test_an_address_is_compared_case_folded_with_its_postcode_last():
    typed = "Tŷ Dewi Sant,\n  Stryd  Fawr\nYr Wyddgrug\nch7 1ab"
    assert normalise("postal_address", typed) == "tŷ dewi sant, stryd fawr, yr wyddgrug, CH7 1AB"
    assert normalise("postal_address", "TŶ DEWI SANT, Stryd Fawr, Yr Wyddgrug CH7 1AB") == normalise(
        "postal_address", typed
    )
    assert identifiers.address_postcode(typed) == "CH7 1AB"


def test_an_address_without_a_postcode_is_refused():
    with pytest.raises(ValueError, match="with the postcode at the end"):
        normalise("postal_address", "1 Stryd Fawr, Yr Wyddgrug")
    with pytest.raises(ValueError, match="with the postcode at the end"):
        normalise("postal_address", "CH7 1AB")


def test_references_are_trimmed_and_upper_case():
    assert normalise("reference", "  cas/1234 ") == "CAS/1234"
    assert normalise("reference", "cas   1234") == "CAS 1234"
    with pytest.raises(ValueError, match="Enter the reference"):
        normalise("reference", "   ")


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("@dewi_jones", Kind.SOCIAL),
        ("@dewi.jones", Kind.SOCIAL),
        ("siôn@example.org", Kind.EMAIL),
        ("01352 702345", Kind.PHONE),
        ("+44 (0)1352 702345", Kind.PHONE),
        ("CH7 6NF", Kind.POSTCODE),
        ("ch76nf", Kind.POSTCODE),
        ("C-000123", Kind.REFERENCE),
        ("CAS/1234", Kind.REFERENCE),
        ("Siôn Ó Dónaill-Ŵyn", identifiers.NAME),
        ("D'Arcy CH7 6NF", identifiers.NAME),
    ],
)
def test_the_search_box_guesses_what_was_typed(typed, kind):
    assert guess_kind(typed) == kind


def test_a_name_and_postcode_are_split_with_the_name_kept_exactly():
    assert identifiers.split_name_and_postcode("Mòrag NicLeòid, iv3 5nx") == ("Mòrag NicLeòid", "IV3 5NX")
    assert identifiers.split_name_and_postcode("D'Arcy CH7 6NF") == ("D'Arcy", "CH7 6NF")
    assert identifiers.split_name_and_postcode("CH7 6NF") is None
    assert identifiers.split_name_and_postcode("Mòrag NicLeòid") is None


def test_the_model_offers_exactly_the_kinds_that_can_be_normalised():
    assert set(Identifier.Kind.values) == {k.value for k in Kind}


# --- Properties -------------------------------------------------------------------------------

_UK_TYPES = [
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.UAN,
]


@st.composite
def uk_numbers(draw: st.DrawFn) -> phonenumbers.PhoneNumber:
    """A valid UK number: a real example's leading digits with the rest drawn at random."""
    kind = draw(st.sampled_from(_UK_TYPES))
    example = phonenumbers.example_number_for_type("GB", kind)
    digits = str(example.national_number)
    keep = draw(st.integers(min_value=2, max_value=4))
    tail = draw(st.text(alphabet="0123456789", min_size=len(digits) - keep, max_size=len(digits) - keep))
    number = phonenumbers.parse("+44" + digits[:keep] + tail, None)
    assume(phonenumbers.is_valid_number(number))
    return number


def _uk_formattings(number: phonenumbers.PhoneNumber) -> list[str]:
    fmt = phonenumbers.PhoneNumberFormat
    national = phonenumbers.format_number(number, fmt.NATIONAL)  # "01352 702345"
    international = phonenumbers.format_number(number, fmt.INTERNATIONAL)  # "+44 1352 702345"
    compact = national.replace(" ", "")
    area, _, rest = national.partition(" ")
    return [
        national,
        international,
        phonenumbers.format_number(number, fmt.E164),
        phonenumbers.format_number(number, fmt.RFC3966),
        compact,
        "0044" + compact[1:],
        "00 44 " + national[1:],
        "+44 (0)" + national[1:],
        f"({area}) {rest}",
        national.replace(" ", "-"),
        national.replace(" ", "."),
        f"  {national}  ",
    ]


@given(uk_numbers())
def test_every_uk_formatting_of_a_valid_number_maps_to_one_e164(number):
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    for typed in _uk_formattings(number):
        assert normalise("phone", typed) == e164, typed


@given(st.sampled_from(list(Kind)), st.text(max_size=60))
# Most random text is no phone number or email address, and is rightly refused: only what
# normalises is tested, so many examples are thrown away by design.
@settings(suppress_health_check=[HealthCheck.filter_too_much])
def test_normalising_twice_changes_nothing(kind, raw):
    try:
        once = normalise(kind, raw)
    except ValueError:
        assume(False)
        raise
    assert normalise(kind, once) == once


@given(uk_numbers().map(lambda n: phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.NATIONAL)))
def test_normalising_a_phone_number_twice_changes_nothing(typed):
    once = normalise("phone", typed)
    assert normalise("phone", once) == once


@given(st.emails())
def test_normalising_an_email_address_twice_changes_nothing(typed):
    once = normalise("email", typed)
    assert normalise("email", once) == once


_POSTCODES = st.from_regex(r"\A[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}\Z")


@given(_POSTCODES, st.sampled_from([str.lower, str.upper, str.title]), st.sampled_from(["", " ", "  "]))
def test_any_casing_and_spacing_of_a_postcode_is_one_postcode(postcode, case, padding):
    once = normalise("postcode", padding + case(postcode) + padding)
    assert once == normalise("postcode", postcode.replace(" ", ""))
    assert normalise("postcode", once) == once


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_characters=",\n\r"), min_size=1, max_size=20),
        min_size=1,
        max_size=4,
    ),
    _POSTCODES,
)
def test_normalising_an_address_twice_changes_nothing(lines, postcode):
    try:
        once = normalise("postal_address", "\n".join([*lines, postcode]))
    except ValueError:
        assume(False)
        raise
    assert normalise("postal_address", once) == once
