"""Each test starts with the contact check's per-process caches empty."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_calendars() -> None:
    from engage.contacts import services

    services._calendars.clear()
