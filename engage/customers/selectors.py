"""Finding customers by any identifier or by name and postcode, likely duplicates, and who sees what.

Every read goes through `engage.access`, so another organisation's customers are never found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from engage import access
from engage.customers import identifiers
from engage.customers.identifiers import Kind
from engage.customers.models import Customer, Identifier, RepresentativeIdentifier
from engage.policy.vocabulary import Capability

# Vulnerability notes are for those who decide about a customer or answer for the records;
# frontline staff never see them (nor whether there are any).
VULNERABILITY_READERS = (
    Capability.MANAGER,
    Capability.SENIOR_DECISION_MAKER,
    Capability.APPEAL_OFFICER,
    Capability.INFORMATION_GOVERNANCE,
)
# Merging moves every note and need onto one record and shows both records whole, so it is for
# the same people: managers and above, and information governance.
MERGERS = VULNERABILITY_READERS

# A candidate at or above this score is shown as a likely duplicate (a person then decides).
# A name alone must be very close: "Siôn Jones" / "Sion Jones" scores 90, "John Smith" /
# "Jane Smith" 80 (not shown). Shared identifiers add points by how personal they are: an email
# address or handle is one person's, a phone or address often a household's, so "Mair Jones"
# (70 against "Siôn Jones") at the same address scores 80 and is not shown, while "S Jones"
# (82) with the same phone number is.
DUPLICATE_THRESHOLD = 85.0
_BOOSTS = {
    "phone": (20.0, "same phone number"),
    "email": (30.0, "same email address"),
    "social": (30.0, "same social media handle"),
    "address": (10.0, "same address"),
    "postcode": (5.0, "same postcode"),
}
# Searching by name and postcode: the postcode narrows to a street, so a partial name will do
# ("Jones" finds "Siôn Jones"): token_set_ratio scores a name contained in another as 100.
NAME_SEARCH_THRESHOLD = 80.0
# How many customers sharing a name word are compared when looking for duplicates by name alone.
_NAME_CANDIDATES = 200


def can_see_vulnerability(user: Any) -> bool:
    """The one rule for who may read (and so record) vulnerability notes."""
    held: frozenset[str] = getattr(user, "capabilities", frozenset())
    return any(str(c) in held for c in VULNERABILITY_READERS)


def can_merge(user: Any) -> bool:
    held: frozenset[str] = getattr(user, "capabilities", frozenset())
    return any(str(c) in held for c in MERGERS)


def customers(user: Any) -> QuerySet[Customer]:
    """The user's organisation's customers that have not been merged away."""
    return access.scoped(Customer, user).filter(merged_into__isnull=True)


def surviving(customer: Customer) -> Customer:
    """The record a merged customer now lives on (itself if never merged)."""
    seen = {customer.pk}
    same_organisation = Customer.objects.filter(organisation_id=customer.organisation_id)
    while customer.merged_into_id is not None:
        customer = same_organisation.get(pk=customer.merged_into_id)
        if customer.pk in seen:  # a loop cannot be made by customer_merge; never spin on bad data
            break
        seen.add(customer.pk)
    return customer


def record_ids(customer: Customer) -> list[int]:
    """This record and every record merged into it: what other domains query to follow a merge.

    `customer_merge` moves what the customers domain holds; incidents, cases and measures of a
    merged record stay where they were, so "everything about this person" is
    `filter(customer_id__in=record_ids(customer))`. Merges keep chains one hop long.
    """
    return [customer.pk, *Customer.objects.filter(merged_into=customer).values_list("pk", flat=True)]


def _survivors(found: Iterable[Customer]) -> list[Customer]:
    by_pk: dict[int, Customer] = {}
    for customer in found:
        alive = surviving(customer) if customer.merged_into_id else customer
        by_pk.setdefault(alive.pk, alive)
    return sorted(by_pk.values(), key=lambda c: c.reference)


def _customers_with(user: Any, condition: Q) -> list[Customer]:
    # Ended identifiers count too: an old number is an alias that still finds the person.
    matches = access.scoped(Identifier, user).filter(condition).select_related("customer")
    return _survivors(identifier.customer for identifier in matches)


def find_by_identifier(user: Any, raw: str) -> list[Customer]:
    """Customers recognised by a phone number, email, handle, postcode or reference, in any format.

    The text's kind is guessed (`identifiers.guess_kind`); a merged record gives the record it
    was merged into. A phone-like text that is not a real number is tried as a reference.
    """
    kind = identifiers.guess_kind(raw)
    if kind == identifiers.NAME:
        return []
    try:
        value = identifiers.normalise(kind, raw)
    except ValueError:
        if kind != Kind.PHONE:
            return []
        kind, value = Kind.REFERENCE, identifiers.normalise_reference(raw)
    condition = Q(kind=kind, value=value)
    if kind == Kind.POSTCODE:
        condition |= Q(postcode=value)
    found = _customers_with(user, condition)
    if kind in RepresentativeIdentifier.KINDS:
        # Someone acting for the customer: their number finds the customer they act for.
        theirs = access.scoped(RepresentativeIdentifier, user).filter(kind=kind, value=value)
        found = _survivors(
            [*found, *(i.representative.customer for i in theirs.select_related("representative__customer"))]
        )
    if kind == Kind.REFERENCE:
        own = access.scoped(Customer, user).filter(reference=value)
        found = _survivors([*found, *own])
    return found


def find_by_name_and_postcode(user: Any, name: str, postcode: str) -> list[Customer]:
    """Customers at a postcode whose name is like the one given, closest first.

    Raises ValueError (a plain sentence) when the postcode is not a UK postcode.
    """
    value = identifiers.normalise_postcode(postcode)
    wanted = identifiers.normalise_name(name)
    at_postcode = _customers_with(user, Q(kind=Kind.POSTCODE, value=value) | Q(postcode=value))
    scored = [(name_search_score(wanted, c), c) for c in at_postcode]
    return [
        c
        for score, c in sorted(scored, key=lambda s: (-s[0], s[1].reference))
        if score >= NAME_SEARCH_THRESHOLD
    ]


def name_search_score(wanted: str, customer: Customer) -> float:
    names = [customer.full_name, customer.display_name]
    return max(fuzz.token_set_ratio(wanted, identifiers.normalise_name(n)) for n in names if n)


@dataclass
class Search:
    """What the one search box found, and if nothing, why, in a sentence."""

    query: str
    kind: str = ""
    customers: list[Customer] = field(default_factory=list)
    problem: str = ""


def search(user: Any, query: str) -> Search:
    """The customer search box: any identifier, or a name followed by a postcode."""
    query = query.strip()
    result = Search(query=query)
    if not query:
        return result
    result.kind = identifiers.guess_kind(query)
    if result.kind != identifiers.NAME:
        result.customers = find_by_identifier(user, query)
        return result
    split = identifiers.split_name_and_postcode(query)
    if split is None:
        result.problem = "To find someone by name, add their postcode after it, like Siôn Jones CH7 6NF"
        return result
    result.customers = find_by_name_and_postcode(user, *split)
    return result


@dataclass(frozen=True)
class Profile:
    """What duplicate scoring compares: a name and normalised identifier values, no database."""

    name: str
    phones: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    handles: frozenset[str] = frozenset()  # "platform:handle"
    addresses: frozenset[str] = frozenset()
    postcodes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Score:
    points: float
    reasons: tuple[str, ...]


def duplicate_score(a: Profile, b: Profile) -> Score:
    """How likely two profiles are the same customer, 0-100, and why.

    Names are compared with rapidfuzz's token_sort_ratio (word order ignored, so "Jones, Siôn"
    matches "Siôn Jones") after case-folding; accents are kept, so "Siôn" and "Sion" are close
    but not equal. Shared identifiers then add the points in _BOOSTS.
    """
    name = fuzz.token_sort_ratio(identifiers.normalise_name(a.name), identifiers.normalise_name(b.name))
    points = float(name)
    reasons = []
    if name >= DUPLICATE_THRESHOLD:
        reasons.append("same name" if name == 100 else "similar name")
    shared = {
        "phone": a.phones & b.phones,
        "email": a.emails & b.emails,
        "social": a.handles & b.handles,
        "address": a.addresses & b.addresses,
        "postcode": (a.postcodes & b.postcodes) if not (a.addresses & b.addresses) else set(),
    }
    for key, overlap in shared.items():
        if overlap:
            boost, reason = _BOOSTS[key]
            points += boost
            reasons.append(reason)
    return Score(points=min(points, 100.0), reasons=tuple(reasons))


def profile_of(customer: Customer, identifier_rows: Iterable[Identifier] | None = None) -> Profile:
    """A customer's profile from its identifiers, current and old."""
    rows = list(identifier_rows if identifier_rows is not None else customer.identifiers.all())
    return Profile(
        name=customer.full_name,
        phones=frozenset(i.value for i in rows if i.kind == Kind.PHONE),
        emails=frozenset(i.value for i in rows if i.kind == Kind.EMAIL),
        handles=frozenset(f"{i.platform}:{i.value}" for i in rows if i.kind == Kind.SOCIAL),
        addresses=frozenset(i.value for i in rows if i.kind == Kind.POSTAL_ADDRESS),
        postcodes=frozenset(
            i.postcode or i.value for i in rows if i.kind in (Kind.POSTCODE, Kind.POSTAL_ADDRESS)
        ),
    )


@dataclass(frozen=True)
class Duplicate:
    customer: Customer
    score: Score


def likely_duplicates(user: Any, customer: Customer, limit: int = 5) -> list[Duplicate]:
    """Other records of the user's organisation that are probably the same customer, likeliest first.

    Candidates are those sharing an identifier or postcode (indexed lookups), and up to
    _NAME_CANDIDATES sharing the longest word of the name; each is scored by `duplicate_score`.
    """
    own_rows = list(customer.identifiers.all())
    mine = profile_of(customer, own_rows)
    condition = Q(pk__in=[])
    for row in own_rows:
        if row.kind != Kind.POSTCODE:
            condition |= Q(kind=row.kind, value=row.value)
    if mine.postcodes:
        condition |= Q(kind=Kind.POSTCODE, value__in=mine.postcodes) | Q(postcode__in=mine.postcodes)
    pool = customers(user).filter(is_archived=False).exclude(pk=customer.pk)
    candidate_ids = set(
        access.scoped(Identifier, user)
        .filter(condition)
        .exclude(customer=customer)
        .values_list("customer_id", flat=True)
    )
    words = sorted(customer.full_name.split(), key=len, reverse=True)
    if words:
        by_name = pool.filter(Q(full_name__icontains=words[0]) | Q(display_name__icontains=words[0]))
        candidate_ids.update(by_name.values_list("pk", flat=True)[:_NAME_CANDIDATES])
    candidates = pool.filter(pk__in=candidate_ids).prefetch_related("identifiers")
    found = [Duplicate(c, duplicate_score(mine, profile_of(c, c.identifiers.all()))) for c in candidates]
    found = [d for d in found if d.score.points >= DUPLICATE_THRESHOLD]
    found.sort(key=lambda d: (-d.score.points, d.customer.reference))
    return found[:limit]
