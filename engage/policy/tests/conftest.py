"""Presets for the policy tests: Testshire (a small made-up policy) and every shipped preset.

No Django here: the engine and the working-day calendar are tested as plain Python.

Testshire's people, so the tests read as stories: Carys the call handler; Tomos, her team leader;
Sioned, the senior manager; Huw, the Head of Governance (hears appeals); Eleri, the Chief Executive;
Aled, the Acting Chief Executive (named for one decision but not the executive); Cllr Rhys; and
the Customer Review Panel, which approves active management.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engage.policy import presets
from engage.policy.schema import Preset

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TESTSHIRE_FILE = FIXTURES / "testshire.toml"

CARYS_CALL_HANDLER = ("call_handler",)
TOMOS_TEAM_LEADER = ("team_leader",)
SIONED_SENIOR_MANAGER = ("senior_manager",)
HUW_HEAD_OF_GOVERNANCE = ("head_of_governance",)
ELERI_CHIEF_EXECUTIVE = ("chief_executive",)
ALED_ACTING_CHIEF_EXECUTIVE = ("acting_chief_executive",)
CLLR_RHYS = ("councillor",)
REVIEW_PANEL = ("review_panel",)


def load_testshire() -> Preset:
    return presets.load_file(TESTSHIRE_FILE)


def shipped_presets() -> list[Preset]:
    """Every preset in engage/policy/presets/ at run time."""
    return [presets.get(name) for name in presets.available()]


def every_preset() -> list[Preset]:
    """Testshire plus every shipped preset: what the property tests run over."""
    return [load_testshire(), *shipped_presets()]


def shipped_or_skip(name: str) -> Preset:
    if name not in presets.available():
        pytest.skip(f"the {name} preset is not in engage/policy/presets/ yet")
    return presets.get(name)


@pytest.fixture(scope="session")
def testshire() -> Preset:
    return load_testshire()


def pytest_report_header() -> str:
    shipped = presets.available()
    return f"policy presets: {', '.join(shipped) if shipped else 'none shipped yet (testing Testshire only)'}"
