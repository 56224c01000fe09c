"""Shared fixtures: the two organisations and their people (tests/personas.py)."""

from __future__ import annotations

import pytest

from engage.audit.services import audit_source
from tests.personas import Flintshire, Highland, make_flintshire, make_highland


@pytest.fixture
def flintshire(db: None) -> Flintshire:
    with audit_source("test setup"):
        return make_flintshire()


@pytest.fixture
def highland(db: None) -> Highland:
    with audit_source("test setup"):
        return make_highland()
