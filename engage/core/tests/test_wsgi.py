"""How a served process starts (engage/config/wsgi.py), in a process of its own: freezing the
collector's heap in the tests' own process would change it for every test after."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_what_the_served_process_loads_is_left_out_of_every_later_collection():
    probe = (
        "import gc\n"
        "before = gc.get_freeze_count()\n"
        "import engage.config.wsgi\n"
        "print(before, gc.get_freeze_count(), callable(engage.config.wsgi.application))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "engage.config.settings", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    )
    before, after, served = out.stdout.split()
    assert int(before) == 0
    assert int(after) > 10_000  # Django and Engage's modules: tens of thousands of objects
    assert served == "True"
