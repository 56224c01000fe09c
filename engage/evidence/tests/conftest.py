"""Evidence tests keep their files in a temporary folder."""

from __future__ import annotations

import pytest

from engage.evidence.tests.helpers import make_incident


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def incident(flintshire):
    return make_incident(flintshire, flintshire.ffion)
