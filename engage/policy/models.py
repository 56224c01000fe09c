"""Which version of which policy each organisation runs, and since when."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models

from engage.core.models import TimeStamped
from engage.policy import presets
from engage.policy.schema import Preset


class PolicyVersion(TimeStamped):
    """One loaded version of an organisation's policy preset.

    Decisions record the version they were made under; a newly loaded version applies to
    decisions made from `effective_from` on, never to earlier ones.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="policy_versions"
    )
    preset_key = models.CharField(max_length=60)
    version = models.CharField(max_length=120)
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="The preset file exactly as loaded (TOML).")
    sha256 = models.CharField(max_length=64)
    effective_from = models.DateTimeField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-effective_from", "-id"]
        get_latest_by = "effective_from"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sha256"], name="policy_text_loaded_once"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @property
    def preset(self) -> Preset:
        # Parsed presets are immutable and keyed by content hash, so caching them is always safe.
        # The text (tens of kilobytes) is read only to parse it, once per process, so a list of
        # decisions can leave it deferred.
        preset = _cache.get(self.sha256)
        if preset is None:
            preset = _cache[self.sha256] = presets.parse(
                self.text, source=f"policy version {self.sha256[:8]}"
            )
        return preset

    @staticmethod
    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


_cache: dict[str, Preset] = {}
