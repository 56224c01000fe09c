"""Your work in the browser: Siân, with more letters to draft than the page lists, sees the first
fifty and how many more are waiting. Checked with axe-core (`visitor.check`)."""

from __future__ import annotations

from playwright.sync_api import expect

from engage.core.work import SHOWN, Task, TaskGroup
from tests.personas import PASSWORD


def test_sian_sees_fifty_letters_to_draft_and_how_many_more_are_waiting(visit, flintshire, monkeypatch):
    tasks = [
        Task(label=f"Draft the letter to customer {n}", url=f"/letters/new/{n}/") for n in range(SHOWN + 1)
    ]
    groups = [TaskGroup(title="Letters", tasks=tasks, not_built=120)]
    # The live server runs in this process: the page lists these groups.
    monkeypatch.setattr("engage.core.views.task_groups", lambda user: groups)
    sian = visit("sian")
    sian.sign_in("sian", PASSWORD)
    page = sian.page
    expect(page.get_by_role("link", name="Draft the letter to customer", exact=False)).to_have_count(SHOWN)
    expect(
        page.get_by_text("121 more are waiting: they will appear here as you finish these.")
    ).to_be_visible()
    sian.check("your work with more tasks than it lists")
