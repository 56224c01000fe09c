"""Policy pages in the browser: information governance loads a version; errors name the key."""

from __future__ import annotations

from playwright.sync_api import expect

from engage.policy import presets
from tests.personas import PASSWORD


def test_rhodri_tries_a_broken_preset_then_sees_the_versions(visit, flintshire, tmp_path):
    rhodri = visit("rhodri")
    rhodri.sign_in("rhodri", PASSWORD)
    rhodri.goto("/policy/")
    rhodri.page.get_by_role("link", name="Load a new version").click()
    expect(rhodri.page.get_by_role("heading", name="Policy versions")).to_be_visible()
    rhodri.check("policy versions")
    broken = tmp_path / "flintshire.toml"
    text = (presets.PRESETS_DIR / "flintshire.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace("[[roles]]", "[[rolez]]", 1), encoding="utf-8")
    rhodri.page.get_by_label("Policy preset file").set_input_files(str(broken))
    rhodri.page.get_by_role("button", name="Load this version").click()
    expect(rhodri.page.locator(".govuk-error-summary")).to_contain_text("not a valid policy preset")
    expect(rhodri.page.locator("#preset-problems")).to_contain_text("rolez: is not a key this schema knows")
    rhodri.check("policy version refused")
