"""Headless Chromium (Debian's package) driven by Playwright against the live application.

Every page visited is checked with axe-core; any violation, console error or CSP report fails.
Every page loaded and every xlsx or CSV downloaded is read for English (tests/browser/words.py):
a Latin word outside the short allow-list, or a "---------", fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Download,
    Error,
    Page,
    expect,
    sync_playwright,
)

from bansou.frameworks.services import load_bundled_frameworks
from tests.browser.words import VISIBLE_TEXT, file_text, latin_words

# Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are still
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium is needed for the browser tests: {CHROMIUM} not found (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A browser context with the checks every page must pass."""

    def __init__(self, context: BrowserContext, base_url: str) -> None:
        self.context = context
        self.base_url = base_url
        self.problems: list[str] = []
        self.axe = Axe()
        self.checked: list[str] = []
        self.read: list[str] = []  # pages and files read for English, in order
        self.typed_words: set[str] = set()

    def typed(self, *words: str) -> None:
        """Words the test typed (a login ID): they may show on the pages that echo them."""
        self.typed_words.update(words)

    def new_page(self) -> Page:
        page = self.context.new_page()
        page.on("load", self._on_load)
        page.on("download", self._on_download)
        page.on("console", self._on_console)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on(
            "request",
            lambda r: (
                self.problems.append(f"outside request: {r.url}")
                if not r.url.startswith((self.base_url, "data:", "blob:", "about:"))
                else None
            ),
        )
        return page

    def _on_console(self, message: ConsoleMessage) -> None:
        # A page answered 400 or 409 on purpose (a form with errors) is logged as a failed
        # resource; anything else at error level (a CSP refusal, a script error) is a problem.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.problems.append(f"console error: {message.text}")

    def read_page(self, page: Page) -> None:
        """The page's visible words (tests/browser/words.py): a problem for each English one."""
        try:
            text = page.evaluate(VISIBLE_TEXT)
        except Error:  # the page went on to another one before it could be read: that one is read
            return
        self._words(page.url, text)

    def _words(self, where: str, text: str) -> None:
        self.read.append(where)
        words = latin_words(text, self.typed_words)
        problem = f"English on {where}: {sorted(set(words))}"
        if words and problem not in self.problems:
            self.problems.append(problem)

    def _on_load(self, page: Page) -> None:
        if page.url.startswith(self.base_url):
            self.read_page(page)

    def _on_download(self, download: Download) -> None:
        # A copy in a folder of this process's own: Playwright's artifacts folder is made by the
        # browser's driver, and reading it would look like reading beside the repository when the
        # clone sits in the temporary folder (tests/standalone.py).
        folder = Path(tempfile.mkdtemp(prefix="bansou-download-"))
        try:
            target = folder / "file"
            download.save_as(target)
            text = file_text(download.suggested_filename, target.read_bytes())
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if text is not None:
            self._words(f"{download.url} ({download.suggested_filename})", text)

    def check_page(self, page: Page) -> None:
        """axe-core over the whole page as it is now, and its words; fails on any violation."""
        self.read_page(page)
        results = self.axe.run(page)
        violations: list[dict[str, Any]] = results.response["violations"]
        detail = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in violations
        )
        assert not violations, f"axe violations on {page.url}:\n{detail}"
        assert page.evaluate("document.documentElement.lang") == "ja"
        self.checked.append(page.url)


SHOTS = os.environ.get("BANSOU_SCREENSHOTS")  # a folder: pages the journeys save for people to look at


def shot(page: Page, name: str) -> None:
    """With BANSOU_SCREENSHOTS set, saves the page at desktop and phone widths (full length)."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    if size:
        page.set_viewport_size(size)


CONTEXT = {"locale": "ja-JP", "timezone_id": "Asia/Tokyo", "viewport": {"width": 1100, "height": 900}}
PASSWORD = "pass-word-1234"  # tests.conftest.make_user's


@contextmanager
def another_browser(browser: Browser, base_url: str) -> Iterator[Visit]:
    """Someone else's browser (own cookies), with the same checks as the ``visit`` fixture."""
    context = browser.new_context(**CONTEXT)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    visit = Visit(context, base_url)
    try:
        yield visit
    finally:
        context.close()
    assert not visit.problems, "\n".join(visit.problems)


def log_in(visit: Visit, page: Page, username: str) -> None:
    """Fills the login form the page is on (checked first) and waits to leave it."""
    expect(page.get_by_role("heading", level=1)).to_have_text("ログイン")
    visit.check_page(page)
    visit.typed(username)
    page.get_by_label(re.compile("^ログインID")).fill(username)
    page.get_by_label(re.compile("^パスワード")).fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def loaded(transactional_db: None) -> None:
    load_bundled_frameworks(settings.FRAMEWORK_DATA_DIR)


@pytest.fixture
def visit(browser: Browser, live_server: Any, loaded: None) -> Iterator[Visit]:
    context = browser.new_context(**CONTEXT)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    visit = Visit(context, live_server.url)
    yield visit
    context.close()
    assert not visit.problems, "\n".join(visit.problems)
