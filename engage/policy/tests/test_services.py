"""Policy versions: each organisation runs its own, new versions apply from when they are loaded."""

from __future__ import annotations

import pytest

from engage.audit.testing import expect_audit
from engage.policy import presets
from engage.policy.models import PolicyVersion
from engage.policy.presets import PresetError
from engage.policy.services import current_policy, policy_load
from engage.staff.models import Role


def _flintshire_text() -> str:
    return (presets.PRESETS_DIR / "flintshire.toml").read_text(encoding="utf-8")


def test_each_organisation_is_bound_to_its_own_preset_and_version(flintshire, highland):
    assert current_policy(flintshire.organisation).preset_key == "flintshire"
    assert current_policy(highland.organisation).preset_key == "highland"
    assert current_policy(flintshire.organisation).preset.nation == "wales"


def test_roles_come_from_the_preset_decision_matrix(flintshire):
    keys = set(Role.objects.filter(organisation=flintshire.organisation).values_list("key", flat=True))
    assert keys == {r.key for r in presets.get("flintshire").roles}


def test_rhodri_loads_a_new_version_that_applies_from_now_on(flintshire):
    first = current_policy(flintshire.organisation)
    text = _flintshire_text().replace(f'version = "{first.version}"', 'version = "2027 draft"', 1)
    assert text != _flintshire_text()
    with expect_audit("policy.load"):
        second = policy_load(
            actor=flintshire.rhodri, organisation=flintshire.organisation, text=text, source="x.toml"
        )
    assert current_policy(flintshire.organisation) == second
    assert second.version == "2027 draft"
    assert second.effective_from >= first.effective_from
    # The earlier version is kept: decisions made under it still point at it.
    assert PolicyVersion.objects.filter(organisation=flintshire.organisation).count() == 2


def test_loading_the_same_text_again_changes_nothing(flintshire):
    with expect_audit():
        again = policy_load(
            actor=flintshire.rhodri,
            organisation=flintshire.organisation,
            text=_flintshire_text(),
            source="same",
        )
    assert again == current_policy(flintshire.organisation)


def test_an_invalid_preset_names_the_key_and_stores_nothing(flintshire):
    broken = _flintshire_text().replace("[[roles]]", "[[rolez]]", 1)
    with expect_audit(), pytest.raises(PresetError) as err:
        policy_load(
            actor=flintshire.rhodri, organisation=flintshire.organisation, text=broken, source="bad.toml"
        )
    assert any(p.startswith("rolez") and "not a key this schema knows" in p for p in err.value.problems)
    assert PolicyVersion.objects.filter(organisation=flintshire.organisation).count() == 1


def test_a_rule_naming_an_unknown_role_is_refused_with_the_known_ones(flintshire):
    broken = _flintshire_text().replace('decided_by = ["team_leader"', 'decided_by = ["team_leeder"', 1)
    assert broken != _flintshire_text()
    with pytest.raises(PresetError) as err:
        presets.parse(broken)
    assert "unknown role or group 'team_leeder'" in str(err.value)


def test_a_version_too_long_to_store_is_refused_by_validation_not_the_database(flintshire):
    """PostgreSQL enforces column lengths that SQLite ignores: validation must catch them first."""
    first = current_policy(flintshire.organisation)
    text = _flintshire_text().replace(f'version = "{first.version}"', f'version = "{"v" * 121}"', 1)
    with pytest.raises(PresetError) as err:
        presets.parse(text)
    assert any(p.startswith("version:") and "at most 120" in p for p in err.value.problems)
