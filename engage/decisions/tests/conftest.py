"""Fixtures for decision stories: Scottish Borders and its people (see stories.py)."""

from __future__ import annotations

import pytest

from tests.personas import Borders, make_borders


@pytest.fixture
def borders(db: None) -> Borders:
    return make_borders()
