"""Someone calling for the customer: Eleri Price, Alun Rees's advocate, is known by her own number.

Contact may go through a third party such as an advocate (000/001 §23.3; 003 7.4): the check
must know the advocate when she calls or writes, and answer for her, not for Alun, while telling
the desk nothing more than it tells them about Alun himself.
"""

from __future__ import annotations

import datetime as dt

import pytest

from engage.audit.services import audit_source
from engage.audit.testing import expect_audit
from engage.contacts import rules
from engage.contacts.rules import LONDON, Outcome
from engage.contacts.services import contact_check
from engage.contacts.tests.stories import restrict
from engage.customers.services import representative_add, representative_identifier_end
from engage.customers.tests.factories import CustomerFactory
from engage.decisions.measures import ThirdPartyOnly
from engage.policy.vocabulary import Channel

TUESDAY = dt.datetime(2026, 3, 3, 10, 30, tzinfo=LONDON)
ALUN = "01352 700006"
ELERI = "01352 700106"


@pytest.fixture
def alun(flintshire):
    """Alun Rees, whose contact goes through his advocate (a third-party-only measure)."""
    who = CustomerFactory(
        organisation=flintshire.organisation, full_name="Alun Rees", phone=ALUN, email="alun@example.org"
    )
    restrict(who, ThirdPartyOnly("Eleri Price of Advocacy Cymru"))
    return who


@pytest.fixture
def eleri(flintshire, alun):
    with audit_source("test"):
        return representative_add(
            actor=flintshire.dafydd,
            customer=alun,
            name="Eleri Price",
            relationship="advocate",
            contact_through=True,
            phone=ELERI,
            email="eleri.price@advocacy.example.org",
        )


def _check(user, identifier: str, channel: str = "phone", **kw):
    return contact_check(actor=user, identifier=identifier, channel=channel, at=kw.pop("at", TUESDAY), **kw)


@pytest.mark.parametrize("typed", [ELERI, "+44 1352 700106", "(01352) 700-106", "tel:+441352700106"])
def test_eleri_calling_for_alun_is_put_through_with_conditions(flintshire, alun, eleri, typed):
    """000/001 §23.3; 003 7.4: contact through a third party such as an advocate."""
    with expect_audit("contact.check") as records:
        result = _check(flintshire.ffion, typed)
    assert result.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert result.customer is not None
    assert result.customer.customer_id == alun.pk
    assert result.answer.act == (
        "This number is recorded for Eleri Price, who acts for the customer. Contact goes through "
        "Eleri Price of Advocacy Cymru: check that this is who you are dealing with."
    )
    assert result.answer.say == ""
    assert records[0].detail["decision"] == "allow_with_conditions"


def test_the_check_is_recorded_as_a_representatives_contact_only_when_it_was_one(flintshire, alun, eleri):
    from engage.contacts.models import ContactCheck

    hers = _check(flintshire.ffion, ELERI)
    his = _check(flintshire.ffion, ALUN)
    assert ContactCheck.objects.get(pk=hers.check_id).via_representative is True
    assert ContactCheck.objects.get(pk=his.check_id).via_representative is False


def test_alun_calling_himself_is_redirected_to_his_advocate(flintshire, alun, eleri):
    """000/001 §23.3; 003 7.4: Alun's own number is not his advocate's, so he is redirected."""
    result = _check(flintshire.ffion, ALUN)
    assert result.decision == Outcome.REDIRECT
    assert "Eleri Price, who acts for" not in result.answer.act
    assert result.answer.say == (
        "We deal with your enquiries through Eleri Price of Advocacy Cymru; please ask them to contact us "
        "for you."
    )


def test_eleri_writing_from_her_email_address_is_known_too(flintshire, alun, eleri):
    result = _check(flintshire.ffion, "Eleri.Price@Advocacy.example.org", channel=Channel.EMAIL)
    assert result.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert result.answer.act.startswith("This email address is recorded for Eleri Price, who acts for")


def test_saying_someone_acts_for_the_customer_still_works_without_their_number(flintshire, alun):
    result = _check(flintshire.ffion, alun.reference, via_representative=True)
    assert result.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert not result.answer.act.startswith("This")


def test_an_advocates_old_number_still_finds_alun_and_the_desk_is_told_to_check(flintshire, alun, eleri):
    with audit_source("test"):
        representative_identifier_end(actor=flintshire.dafydd, identifier=eleri.identifiers.get(kind="phone"))
    result = _check(flintshire.ffion, ELERI)
    assert result.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert result.answer.act.startswith(
        "This number was recorded for Eleri Price, who acts for the customer, but is marked as no longer "
        "used: check who you are dealing with."
    )


def test_nothing_is_said_of_a_representative_whose_customer_has_no_arrangements(flintshire):
    """Minimum disclosure (000/001 §76): an unrestricted customer is not named, nor their advocate."""
    dewi = CustomerFactory(organisation=flintshire.organisation, full_name="Dewi Lloyd", phone="01352 700007")
    with audit_source("test"):
        representative_add(
            actor=flintshire.dafydd,
            customer=dewi,
            name="Nia Lloyd",
            relationship="family",
            phone="01352 700107",
        )
    result = _check(flintshire.ffion, "01352 700107")
    assert result.decision == Outcome.ALLOW
    assert result.answer.act == "No contact arrangements apply: deal with this contact as usual."
    assert "Nia" not in result.answer.act + result.answer.say


def test_the_answer_never_says_how_the_representative_is_related(flintshire, alun):
    """Minimum disclosure: "solicitor" or "family member" could say more than the desk needs."""
    with audit_source("test"):
        representative_add(
            actor=flintshire.dafydd,
            customer=alun,
            name="Gareth Huws",
            relationship="solicitor",
            phone="01352 700108",
        )
    result = _check(flintshire.ffion, "01352 700108")
    assert result.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert "solicitor" not in result.answer.act.lower()
    assert "Gareth Huws" in result.answer.act


def test_highland_cannot_find_flintshires_advocate(flintshire, highland, alun, eleri):
    result = _check(highland.eilidh, ELERI)
    assert (result.customer, result.decision) == (None, Outcome.ALLOW)


# ------------------------------------------------------------------- the words, as pure rules

_REDIRECT = rules.Answer(Outcome.REDIRECT, "Transfer the call to the automated line (0300 123 4567).", "Say.")


def test_an_allow_answer_is_left_exactly_as_it_was():
    clear = rules.decide([], Channel.PHONE, TUESDAY)
    assert rules.for_representative(clear, "phone", [("Eleri Price", True)]) is clear


def test_two_representatives_sharing_a_line_are_both_named_and_the_say_is_kept():
    answer = rules.for_representative(_REDIRECT, "phone", [("Gareth Huws", True), ("Eleri Price", True)])
    assert answer.act.startswith("This number is recorded for Eleri Price or Gareth Huws, who acts for")
    assert (answer.decision, answer.say) == (Outcome.REDIRECT, "Say.")


def test_a_number_still_in_use_by_one_representative_is_theirs_whoever_used_it_before():
    answer = rules.for_representative(_REDIRECT, "email", [("Gareth Huws", False), ("Eleri Price", True)])
    assert answer.act.startswith("This email address is recorded for Eleri Price, who acts for the customer.")
