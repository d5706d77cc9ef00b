"""Headless Chromium (Debian's package) driven by Playwright against a live test server."""

import os
import re
from pathlib import Path

import pytest

# The external supplier with a contact who may sign, its application and the mail sink the
# signing link goes to: the same as the signing tests'.
from tests.signing.conftest import journal, mail, supplier  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
    # still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def pages(browser, request):
    """Open one browser context per persona; a failing test saves a screenshot of each page."""
    opened = []

    def open_page(**options):
        # bypass_csp=True: the accessibility checks inject axe-core (tests/browser/axe.py).
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="nb-NO", **options
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        opened.append(page)
        return page

    yield open_page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, page in enumerate(opened):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{i}.png"), full_page=True)
        page.context.close()
