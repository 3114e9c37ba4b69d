"""The browser suite: Playwright for Python driving Debian's Chromium against live_server.

Never a browser download: the tests launch /usr/bin/chromium (apt-get install chromium). Without
it they skip locally and fail in CI (CI=true). Requests to any other host are aborted, so the
demo's avatar URLs never leave the machine.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Git-ignored; `make screenshots` copies them, optimized, to docs/screenshots/.
SCREENSHOTS = ROOT / "browser-screenshots"
WIDTHS = {"wide": (1280, 900), "narrow": (375, 812)}


def pytest_collection_modifyitems(items):
    """Every test under tests/browser/ is a browser test (CI runs them once, on SQLite)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


def _missing(reason):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser suite must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module; Playwright's event loop lives only as long as the module."""
    if not CHROMIUM.exists():
        _missing("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    if not AXE.exists():
        _missing("axe-core is not installed (run `npm ci` at the repository root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed (pip install -r requirements.txt)")
    # Playwright's sync API keeps an asyncio loop running in this thread, which Django would
    # take for an async context; the tests only touch the database between browser calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def demo(transactional_db):
    """A small demo (the seed_demo world, 150 users), with its logins and example ids."""
    from dashboards.demo import generator as demo_module

    demo_module.seed_demo(150, 1)
    return demo_module.demo_access()


class Browsing:
    """A browser context on the live server: log in, open pages, check them."""

    def __init__(
        self,
        browser,
        base_url,
        *,
        width="wide",
        color_scheme="light",
        bypass_csp=True,
        locale="en-US",
        timezone_id="UTC",
    ):
        self.base_url = base_url
        w, h = WIDTHS[width]
        self.context = browser.new_context(
            # The browser's language (Accept-Language) and time zone (app.js's `tz` cookie).
            locale=locale,
            timezone_id=timezone_id,
            viewport={"width": w, "height": h},
            color_scheme=color_scheme,
            accept_downloads=True,
            base_url=base_url,
            # add_script_tag injects axe-core inline, which the site's CSP rightly blocks;
            # test_pages_keep_the_content_security_policy browses with the CSP on.
            bypass_csp=bypass_csp,
        )
        self.context.route(re.compile(r".*"), self._local_only)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)

    def _local_only(self, route):
        if route.request.url.startswith(self.base_url):
            route.continue_()
        else:
            route.abort()

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def log_in(self, username, password=None):
        page = self.page
        page.goto("/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password or f"{username}-demo-pass")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{self.base_url}/")
        return page

    def close(self):
        self.context.close()
        assert self.errors == [], f"JavaScript errors: {self.errors}"


@pytest.fixture
def open_browsing(browser, live_server):
    """Make Browsing contexts (closed, and checked for script errors, after the test)."""
    made = []

    def make(**kwargs):
        browsing = Browsing(browser, live_server.url, **kwargs)
        made.append(browsing)
        return browsing

    yield make
    for browsing in made:
        browsing.close()


@pytest.fixture
def browsing(open_browsing):
    return open_browsing()


def wait_settled(page):
    """Wait until htmx has no request in flight and has finished swapping and settling (the
    pages' scripts run on htmx:afterSettle, once the settling class is gone)."""
    page.wait_for_function(
        "() => !document.querySelector("
        "'[aria-busy=true], .htmx-request, .htmx-swapping, .htmx-settling')"
    )


def check_axe(page, where):
    """Run axe-core on the page: no serious or critical violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.id} (${v.impact}): ` +
                      v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))"""
    )
    assert violations == [], f"axe on {where}: {violations}"


def check_no_page_scroll(page, where):
    """The page never scrolls sideways: wide tables scroll inside their own box."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{where} scrolls sideways: {widths}"


def screenshot(page, name):
    """Save the page as browser-screenshots/<name>.png: whole pages when wide, the screen when
    narrow."""
    SCREENSHOTS.mkdir(exist_ok=True)
    wide = page.viewport_size["width"] >= 1000
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=wide)
