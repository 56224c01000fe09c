"""The `policy` management command: list, show, check, diff and explain, through call_command."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from engage.policy import presets
from engage.policy.tests.conftest import TESTSHIRE_FILE, load_testshire, shipped_or_skip

# call_command needs Django set up: pytest-django does that from DJANGO_SETTINGS_MODULE.
pytestmark = pytest.mark.skipif(
    not settings.configured, reason="needs Django settings (run under pytest-django, not -p no:django)"
)

TESTSHIRE = str(TESTSHIRE_FILE)


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("policy", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _variant(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> str:
    text = TESTSHIRE_FILE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_list_gives_every_shipped_preset_with_its_organisation_version_and_nation():
    if not presets.available():
        pytest.skip("no presets shipped yet")
    out, _ = run("list")
    lines = out.splitlines()
    assert len(lines) == len(presets.available())
    for name, line in zip(presets.available(), lines, strict=True):
        p = presets.get(name)
        assert line.split("\t") == [p.key, p.organisation, p.version, p.nation.value]


def test_show_reads_out_every_decision_and_measure_with_its_clause():
    out, _ = run("show", TESTSHIRE)
    preset = load_testshire()
    assert out.startswith("Testshire Council: Customer Engagement Policy (v0.1)")
    for rule in [*preset.decisions, *preset.measures]:
        assert f'("{rule.name}")' in out
        assert f"({rule.clause})" in out
    assert (
        'Active management ("Actively manage contact"): decided by the Senior Manager; approved by the '
        "Customer Review Panel; a warning must come first unless there is an immediate threat to staff "
        "safety or wellbeing or giving the warning would put staff in harm's way"
    ) in out
    assert "Letters are written in English and Welsh; a copy of the policy is enclosed (T: 5.5)." in out


def test_show_as_json_is_the_preset_itself():
    out, _ = run("show", TESTSHIRE, "--format", "json")
    assert json.loads(out) == load_testshire().model_dump(mode="json")


def test_show_of_a_preset_that_does_not_exist_names_those_that_do():
    with pytest.raises(CommandError, match="no preset called 'atlantis'"):
        run("show", "atlantis")


def test_check_says_a_good_file_is_valid_naming_its_organisation_and_version():
    out, _ = run("check", TESTSHIRE)
    assert out.strip() == f"{TESTSHIRE}: valid (Testshire Council, v0.1)"


def test_check_prints_each_problem_on_its_own_line_and_fails(tmp_path):
    broken = _variant(
        tmp_path,
        "broken.toml",
        ('organisation = "Testshire Council"\n', ""),
        ('nation = "wales"', 'nation = "atlantis"'),
    )
    err = StringIO()
    with pytest.raises(CommandError, match=r"not valid \(2 problem\(s\)\)"):
        call_command("policy", "check", broken, stdout=StringIO(), stderr=err)
    problems = err.getvalue().splitlines()
    assert len(problems) == 2
    assert problems[0] == f"{broken}: organisation: is required"
    assert problems[1].startswith(f"{broken}: nation: ")


def test_check_names_an_unknown_decider(tmp_path):
    broken = _variant(
        tmp_path,
        "unknown.toml",
        ('decided_by = ["senior_manager"]\napproved_by', 'decided_by = ["deputy_mayor"]\napproved_by'),
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("policy", "check", broken, stdout=StringIO(), stderr=err)
    assert "unknown role or group 'deputy_mayor'" in err.getvalue()


def test_diff_says_in_sentences_who_decides_differently(tmp_path):
    other = _variant(
        tmp_path,
        "othershire.toml",
        ('organisation = "Testshire Council"', 'organisation = "Othershire Council"'),
        ('nation = "wales"', 'nation = "scotland"'),
        ('languages = ["en", "cy"]', 'languages = ["en"]'),
        (
            'decided_by = ["senior_manager"]\napproved_by = ["review_panel"]',
            'decided_by = ["team_leader"]\napproved_by = []',
        ),
    )
    out, _ = run("diff", TESTSHIRE, other)
    assert out.splitlines() == [
        "In Testshire Council, working days follow the bank holidays of Wales; in Othershire Council, "
        "those of Scotland.",
        "In Testshire Council, active management is decided by the Senior Manager with the approval of "
        "the Customer Review Panel; in Othershire Council, it is decided by the Team Leader (T: 5.1).",
        "In Testshire Council, letters are written in English and Welsh; in Othershire Council, letters "
        "are written in English (T: 5.5).",
    ]


def test_diff_of_a_policy_with_itself_finds_nothing():
    out, _ = run("diff", TESTSHIRE, TESTSHIRE)
    assert out.strip() == "Testshire Council and Testshire Council say the same on every point compared."


def test_diff_of_clackmannanshire_and_scottish_borders_contrasts_who_decides_active_management():
    shipped_or_skip("clackmannanshire")
    shipped_or_skip("scottish_borders")
    out, _ = run("diff", "clackmannanshire", "scottish_borders")
    assert any(
        line.startswith("In Clackmannanshire Council, active management is decided by")
        and "in Scottish Borders Council" in line
        for line in out.splitlines()
    )


def test_explain_tells_a_team_leader_who_decides_active_management_and_where_the_policy_says_so():
    out, _ = run("explain", TESTSHIRE, "active_management", "--role", "team_leader")
    assert out.splitlines()[:2] == [
        "Testshire Council: may the Team Leader decide on active management?",
        "Not allowed: Only the Senior Manager may decide on active management (T: 5.1).",
    ]


def test_explain_tells_a_warned_senior_manager_what_must_come_alongside():
    out, _ = run("explain", TESTSHIRE, "active_management", "--role", "senior_manager", "--warned")
    assert out.splitlines()[1:] == [
        "Allowed: As the Senior Manager you may decide on active management (T: 5.1).",
        "What must come first or alongside:",
        "- The Customer Review Panel must approve this (T: 5.1)",
        "- The Customer Review Panel must check the letter before it is sent (T: 5.1)",
        "- Consider whether independent advocacy would help the customer, and if so tell them how to "
        "get it (T: 5.1)",
    ]


def test_explain_accepts_an_exemption_the_policy_lists_in_place_of_a_warning():
    out, _ = run(
        "explain",
        TESTSHIRE,
        "active_management",
        "--role",
        "senior_manager",
        "--exemption",
        "immediate_threat",
    )
    assert out.splitlines()[1].startswith("Allowed:")


def test_explain_with_a_prior_decision_lets_the_panel_stop_all_contact():
    refused, _ = run("explain", TESTSHIRE, "stop_all_contact", "--role", "review_panel")
    allowed, _ = run(
        "explain", TESTSHIRE, "stop_all_contact", "--role", "review_panel", "--prior", "active_management"
    )
    assert refused.splitlines()[1].startswith("Not allowed:")
    assert allowed.splitlines()[1].startswith("Allowed:")


def test_explain_refuses_a_role_the_policy_does_not_have():
    with pytest.raises(CommandError, match="has no role or group mayor"):
        run("explain", TESTSHIRE, "warning", "--role", "mayor")
