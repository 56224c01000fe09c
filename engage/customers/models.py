"""Customers: people and organisations engaging with a body, how to recognise them, and what they need."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from engage.core.models import Owned
from engage.customers import identifiers


class Customer(Owned):
    """A person or organisation, or someone acting for them. Names are kept exactly as typed."""

    class Kind(models.TextChoices):
        PERSON = "person", _("A person")
        ORGANISATION = "organisation", _("An organisation")

    reference = models.CharField(max_length=20, help_text="Like C-000123; unique in the organisation.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    full_name = models.CharField(max_length=200)
    display_name = models.CharField(
        max_length=200, blank=True, help_text="What the customer prefers to be called, if not the full name."
    )
    # Set when this record was merged into another: lookups follow it to the surviving record.
    # Indexed by `customer_merged_into` (below), which holds merged records only.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        db_index=False,
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    is_archived = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="customer_reference_unique_in_org"
            )
        ]
        indexes = [
            # "Which records were merged into this one?" (every contact check asks it). Only merged
            # records are in it: a full index is almost all NULLs, and once SQLite's statistics
            # have been gathered (ANALYZE) they say `merged_into = ?` matches every customer, so it
            # scanned the table instead: 60 ms at a million customers (docs/benchmarks.md).
            models.Index(
                fields=["merged_into"],
                name="customer_merged_into",
                condition=models.Q(merged_into__isnull=False),
            )
        ]
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.full_name


class _ShownIdentifier:
    """How an identifier reads, the customer's own or a representative's (both have kind,
    display, platform and valid_to)."""

    kind: str
    display: str
    platform: str
    valid_to: Any

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display}"  # type: ignore[attr-defined]

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def platform_label(self) -> str:
        return identifiers.PLATFORMS.get(self.platform, self.platform)


class Identifier(_ShownIdentifier, Owned):
    """One way to recognise a customer: a phone number, email address, handle, address or reference.

    `value` is `identifiers.normalise(kind, display)`, so any formatting of the same number or
    address finds it. An identifier that is no longer used keeps its row with `valid_to` set: it
    is an alias, so what applies to the person follows them to a new number or address.
    `organisation` is the customer's, repeated here so the contact check is one index lookup.
    """

    class Kind(models.TextChoices):
        # The same values as identifiers.Kind (a test holds them together).
        PHONE = "phone", _("Phone number")
        EMAIL = "email", _("Email address")
        SOCIAL = "social", _("Social media handle")
        POSTAL_ADDRESS = "postal_address", _("Postal address")
        POSTCODE = "postcode", _("Postcode")
        REFERENCE = "reference", _("Other reference")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=400)
    display = models.CharField(max_length=400)
    platform = models.CharField(max_length=20, blank=True, help_text="Social media handles only.")
    # For postal addresses, the address's postcode, so "name and postcode" finds people by address.
    postcode = models.CharField(max_length=10, blank=True)
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The contact check's hot lookup. Not unique: a household can share a phone number.
            # With the customer, it answers "whose is this?" from the index alone (covering), for
            # the check and the import's directory, without reading each identifier's row.
            models.Index(fields=["organisation", "kind", "value", "customer"], name="identifier_lookup"),
            models.Index(
                fields=["organisation", "postcode"],
                name="identifier_address_postcode",
                condition=~models.Q(postcode=""),
            ),
        ]
        # Current identifiers first, then those no longer used, most recently ended first.
        ordering = ["kind", models.F("valid_to").desc(nulls_first=True), "-valid_from"]


class Representative(Owned):
    """Someone acting for the customer, and whether contact goes through them."""

    class Relationship(models.TextChoices):
        ADVOCATE = "advocate", _("Advocate")
        THIRD_PARTY = "third_party", _("Third party")
        SOLICITOR = "solicitor", _("Solicitor")
        FAMILY = "family", _("Family member")
        OTHER = "other", _("Other")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="representatives")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    contact_details = models.TextField(blank=True)
    contact_through = models.BooleanField(
        default=False, help_text="Contact with the customer goes through this representative."
    )

    class Meta:
        ordering = ["-contact_through", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


class RepresentativeIdentifier(_ShownIdentifier, Owned):
    """A representative's phone number, email address or handle, so that the contact check knows
    them when they call or write on the customer's behalf (000/001 §23.3; 003 7.4).

    Kept apart from `Identifier` on purpose: `customer.identifiers` means "this is the customer",
    and letters (where to write), duplicate detection (an advocacy service acting for many
    customers would make them all look alike), the API and the contact-event import all rely on
    that. Normalised exactly as the customer's own (`identifiers.normalise`). Follows its
    representative in a merge. An ended one stays, as an alias, like the customer's own.
    """

    KINDS = (Identifier.Kind.PHONE, Identifier.Kind.EMAIL, Identifier.Kind.SOCIAL)

    representative = models.ForeignKey(Representative, on_delete=models.PROTECT, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=[(k.value, k.label) for k in KINDS])
    value = models.CharField(max_length=400)
    display = models.CharField(max_length=400)
    platform = models.CharField(max_length=20, blank=True, help_text="Social media handles only.")
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The contact check's lookup of someone calling for a customer.
            models.Index(fields=["organisation", "kind", "value"], name="rep_identifier_lookup"),
        ]
        ordering = ["kind", models.F("valid_to").desc(nulls_first=True), "-valid_from"]


class Need(Owned):
    """A need or reasonable adjustment, shown to whoever decides anything about the customer.

    Who recorded it is `created_by`.
    """

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="needs")
    description = models.TextField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        # Kept free of the need itself: this label is copied into the audit log.
        return f"Need recorded for customer {self.customer_id}"


class VulnerabilityNote(Owned):
    """A minimal note, seen only by those who need it (`selectors.can_see_vulnerability`).

    Who recorded it is `created_by`.
    """

    MAX_LENGTH = 500

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="vulnerability_notes")
    text = models.TextField(max_length=MAX_LENGTH)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Vulnerability note for customer {self.customer_id}"
