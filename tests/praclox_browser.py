"""Browser journeys: the app on a real server thread, driven by Debian's Chromium through Playwright.

A pytest plugin (listed in ``pytest_plugins`` of tests/conftest.py), so that every domain can add journeys in
``tests/e2e/test_journey_<domain>.py`` with these fixtures:

- ``live_server``: the test's ``app`` (fresh database, the factories work on it) served by werkzeug on a free
  localhost port, with the production security settings of every test; ``live_server.url``.
- ``page``: a fresh browser context and page; any Content-Security-Policy violation or JavaScript error on
  any page fails the test.
- ``journey``: helpers — ``journey.login(user, secret=None)``, ``journey.logout()``, ``journey.shot(name)``
  (screenshots go to tests/e2e/artifacts/, which git ignores).

No browser is downloaded: Playwright launches /usr/bin/chromium (``PRACLOX_CHROMIUM`` to change). Without it
the journeys are skipped with a loud reason, unless ``PRACLOX_E2E_REQUIRED=1`` (CI), where they fail.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("PRACLOX_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "e2e" / "artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


class LiveServer:
    def __init__(self, app: Any) -> None:
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app: Any) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        app.config["BASE_URL"] = server.url
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not chromium_available():
        message = f"CHROMIUM NOT FOUND at {CHROMIUM}: the browser journeys did NOT run (apt-get install chromium)"
        if os.environ.get("PRACLOX_E2E_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: LiveServer, request: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    problems: list[str] = []
    page = context.new_page()
    page.on("console", lambda msg: problems.append(msg.text) if (
        "Content Security Policy" in msg.text or (msg.type == "error" and "Failed to load resource" not in msg.text)
    ) else None)
    # a resource that fails to load, by URL (the browser's own /favicon.ico request included)
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}") if (
        response.status >= 400) else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.test_name = request.node.name  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not problems, problems


class Journey:
    """What every journey does: log in (with the second factor), log out, take screenshots."""

    def __init__(self, page: Any, server: LiveServer) -> None:
        self.page, self.server = page, server

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.page.test_name}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def login(self, email: str, password: str, *, code: str | None = None) -> None:
        page = self.page
        page.goto("/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("#submit")
        if code is not None:
            page.wait_for_url("**/login/verify")
            page.fill("#code", code)
            page.click("#submit")

    def logout(self) -> None:
        page = self.page
        page.click("nav .dropdown-toggle")  # Bootstrap's own script opens the menu: it runs under the CSP
        page.click("nav form[action='/logout'] button")
        page.wait_for_url("**/login")


@pytest.fixture
def journey(page: Any, live_server: LiveServer) -> Journey:
    return Journey(page, live_server)
