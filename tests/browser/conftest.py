"""Browser tests: Debian's Chromium driven by Playwright, every page checked with axe-core.

Chromium is never downloaded: it must be /usr/bin/chromium (apt-get install chromium). Without
it these tests are skipped locally, and fail in CI (ENGAGE_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path(os.environ.get("ENGAGE_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARTIFACTS = Path(os.environ.get("ENGAGE_ARTIFACTS", Path(__file__).resolve().parents[2] / "artifacts"))

# Playwright's sync API runs an event loop in this thread; Django's guard against sync database
# calls inside one would otherwise stop the test's own set-up queries.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("ENGAGE_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield browser
        browser.close()
        # While Playwright's event loop runs in this thread, Django keeps this thread's database
        # connections apart from those it had before (per context, not per thread): close them
        # now, or the last one stays open until it is garbage-collected and PostgreSQL may refuse
        # to drop the test database ("being accessed by other users").
        connections.close_all()


@pytest.fixture(autouse=True)
def _live_database(transactional_db: None) -> Iterator[None]:
    """The live server runs in another thread: data must be committed for it to see.

    Its threads close their database connection after every request. With Engage's persistent
    connections (ENGAGE_DB_CONN_MAX_AGE) a thread serving the browser's kept-alive connection
    would hold one open between requests, and at the end of the run PostgreSQL would refuse to
    drop the test database while it was "being accessed by other users". Every thread's
    connection reads this same settings dictionary."""
    database = connections.settings["default"]
    kept = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    yield
    database["CONN_MAX_AGE"] = kept


class Visitor:
    """One person's browser session, which checks every page it looks at."""

    def __init__(self, page: object, base_url: str, name: str) -> None:
        self.page = page
        self.base_url = base_url
        self.name = name
        self.csp_errors: list[str] = []
        page.on(  # type: ignore[attr-defined]
            "console",
            lambda msg: self.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
        )

    def goto(self, path: str) -> object:
        return self.page.goto(self.base_url + path)  # type: ignore[attr-defined]

    def check(self, label: str) -> None:
        """Screenshot the page and assert zero WCAG 2.2 AA violations and no CSP violations."""
        page = self.page
        shots = ARTIFACTS / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.name}-{label}".lower()).strip("-")
        page.screenshot(path=str(shots / f"{slug}.png"), full_page=True)  # type: ignore[attr-defined]
        # evaluate() runs outside the page's Content Security Policy, so axe needs no inline script.
        page.evaluate(AXE.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
        result = page.evaluate(  # type: ignore[attr-defined]
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        violations = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
        ]
        assert not violations, f"axe-core on {label}: {json.dumps(violations, indent=2)}"
        assert not self.csp_errors, f"Content Security Policy violations on {label}: {self.csp_errors}"

    def sign_in(self, username: str, password: str) -> None:
        from playwright.sync_api import expect

        self.goto("/sign-in/")
        page = self.page
        page.get_by_label("Username").fill(username)  # type: ignore[attr-defined]
        page.get_by_label("Password").fill(password)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
        expect(page.get_by_role("heading", name="Your work")).to_be_visible()  # type: ignore[attr-defined]


@pytest.fixture
def visit(browser: object, live_server: object) -> Iterator[object]:
    """visit("ffion") -> a Visitor with its own browser context (its own cookies)."""
    contexts = []

    def make(name: str) -> Visitor:
        context = browser.new_context(locale="en-GB")  # type: ignore[attr-defined]
        contexts.append(context)
        return Visitor(context.new_page(), live_server.url, name)  # type: ignore[attr-defined]

    yield make
    for context in contexts:
        context.close()
