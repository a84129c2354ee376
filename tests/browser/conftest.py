"""Playwright in Debian's Chromium against a live server, at desktop and phone widths."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}

# Playwright's sync API runs an event loop in this thread; Django must still allow the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
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
        yield instance
        instance.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request: Any, browser: Any) -> Iterator[Any]:
    yield from _page(browser, request.param)


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    yield from _page(browser, "phone")


def _page(browser: Any, name: str) -> Iterator[Any]:
    context = browser.new_context(
        viewport=VIEWPORTS[name],
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
        is_mobile=name == "phone",
        has_touch=name == "phone",
    )
    page = context.new_page()
    page.viewport_name = name
    errors: list[str] = []
    # Expected 403/422 answers show as console "Failed to load resource"; missing files and
    # server errors are caught by status below instead.
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}") if r.status == 404 or r.status >= 500 else None
        ),
    )
    page.js_errors = errors
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


@pytest.fixture
def demo(transactional_db: Any) -> None:
    """The demo school and kindergarten in the flushed database of a transactional test:
    loaded once per test process, then restored from a snapshot (tests/demo_snapshot.py)."""
    from tests.demo_snapshot import load_demo_once

    load_demo_once()


def shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-{page.viewport_name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_horizontal_overflow(page: Any) -> None:
    """Measured once the page has loaded; a click that navigates may still be replacing the
    document, so the measurement is retried until a document is there to measure."""
    overflow = None
    for _ in range(20):
        page.wait_for_load_state("load")
        try:
            overflow = page.evaluate(
                "document.documentElement && document.body"
                " ? document.documentElement.scrollWidth - document.documentElement.clientWidth"
                " : null"
            )
        except Exception as exc:  # the execution context was destroyed by a navigation
            if "context" not in str(exc) and "navigat" not in str(exc):
                raise
        if overflow is not None:
            break
        page.wait_for_timeout(100)
    assert overflow is not None, "the page never finished loading"
    assert overflow <= 1, f"page is {overflow}px wider than the {page.viewport_name} viewport"


def click_and_load(page: Any, selector: str) -> None:
    """Click something that loads a new page and wait until that page has loaded."""
    with page.expect_navigation():
        page.click(selector)


def log_in(page: Any, live_server: Any, username: str, password: str = "houqin-demo") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login]")
    page.wait_for_url(f"{live_server.url}/")
