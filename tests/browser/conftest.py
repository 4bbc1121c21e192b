"""Browser fixtures: the built site served on 127.0.0.1, and Debian's Chromium via Playwright.

Without Chromium the browser tests are skipped with the reason, except under CI=true,
where that is a failure: CI must run them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import ROOT

CHROMIUM = os.environ.get("COMPRENDE_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]


def require(condition: bool, reason: str) -> None:
    """Skip locally when a browser tool is missing; fail under CI, where it must be there."""
    if condition:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI=true: browser tests must run; .ci/run installs it)")
    pytest.skip(f"{reason}; under CI=true this is a failure instead (see README)")


BROWSER_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser/ `browser`, so `-m "not browser"` leaves them out.

    `tryfirst`: the marks must be on before pytest's own `-m` selection runs.
    """
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    yield from serve(site)


@pytest.fixture(scope="session")
def exam_server(exam_site: Path) -> Iterator[str]:
    yield from serve(exam_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require(
        Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None,
        f"Chromium not found at {CHROMIUM} (apt-get install chromium)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def record_errors(tab: Any, errors: list[str]) -> None:
    """Append to ``errors`` the tab's console errors and warnings and its uncaught errors."""
    tab.on(
        "console",
        lambda m: errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    tab.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))


class PageWatch:
    """What a page did that it should not: console errors or warnings, and requests to other hosts."""

    def __init__(self) -> None:
        self.console: list[str] = []
        self.foreign: list[str] = []


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True, locale="es-ES")
    watch = PageWatch()

    def route(route: Any) -> None:
        if route.request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()
        else:
            watch.foreign.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    record_errors(tab, watch.console)
    tab.watch = watch
    tab.base = server
    yield tab
    context.close()
    assert watch.console == [], "console errors or warnings"
    assert watch.foreign == [], "requests to other hosts"


@pytest.fixture(scope="session")
def axe_source() -> str:
    require(AXE.exists(), f"axe-core not installed at {AXE} (npm ci)")
    return AXE.read_text(encoding="utf-8")
