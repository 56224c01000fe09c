"""Shared fixtures: the two organisations and their people (tests/personas.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from engage.audit.services import audit_source
from tests.personas import Flintshire, Highland, make_flintshire, make_highland

# Property tests judge correctness, not speed: a slow first call (building a holiday cache on a
# busy CI machine) must not fail them. Speed is measured by the benchmarks in bench/.
settings.register_profile("engage", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("engage")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """Argon2 costs ~100 ms a hash by design; tests that are not about hashing use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def flintshire(db: None) -> Flintshire:
    with audit_source("test setup"):
        return make_flintshire()


@pytest.fixture
def highland(db: None) -> Highland:
    with audit_source("test setup"):
        return make_highland()
