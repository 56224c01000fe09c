"""Shared fixtures: the two organisations and their people (tests/personas.py).

Django is imported inside the fixtures, so pure tests also run with `-p no:django`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from tests.personas import Flintshire, Highland

# Property tests judge correctness, not speed: a slow first call (building a holiday cache on a
# busy CI machine) must not fail them. Speed is measured by the benchmarks in bench/.
settings.register_profile("engage", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("engage")


@pytest.fixture(autouse=True)
def _test_settings(request: pytest.FixtureRequest) -> None:
    """Settings every test shares (with Django only):
    - Argon2 costs ~100 ms a hash by design; tests that are not about hashing use a fast one.
    - A test that makes an API check reads its record next, so checks are recorded before
      answering; the write-behind journal has its own tests (engage/contacts/tests/test_journal.py).
    """
    if request.config.pluginmanager.has_plugin("django"):
        django_settings = request.getfixturevalue("settings")
        django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        django_settings.ENGAGE_CHECK_JOURNAL = False


@pytest.fixture
def flintshire(db: None) -> Flintshire:
    from engage.audit.services import audit_source
    from tests.personas import make_flintshire

    with audit_source("test setup"):
        return make_flintshire()


@pytest.fixture
def highland(db: None) -> Highland:
    from engage.audit.services import audit_source
    from tests.personas import make_highland

    with audit_source("test setup"):
        return make_highland()
