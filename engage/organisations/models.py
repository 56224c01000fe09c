"""Organisations: each with its own policy preset, settings, staff and data, strictly separated."""

from __future__ import annotations

from django.db import models

from engage.core.models import TimeStamped
from engage.policy.vocabulary import Nation


class Organisation(TimeStamped):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    preset = models.CharField(max_length=60, help_text="The policy preset this organisation runs.")
    nation = models.CharField(
        max_length=20, choices=[(n.value, n.value.replace("_", " ").title()) for n in Nation]
    )
    # Letterhead details used on letters.
    address = models.TextField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LocalClosure(TimeStamped):
    """A day the organisation is closed beyond bank holidays; it does not count as a working day."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "date"], name="one_closure_a_day")]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"
