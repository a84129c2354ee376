"""Swagger UI at /api/v1/docs/ works under the site's Content Security Policy."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_swagger_ui_renders_and_calls_the_api(page: Any, live_server: Any, demo: None) -> None:
    log_in(page, live_server, "director")
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=15000)
    # Every operation is in the DOM: swagger-init.js turns off Swagger UI's virtualised list,
    # which otherwise draws only the rows in the viewport once the spec has 150 rows.
    operations = page.locator(".opblock")
    for _ in range(100):
        if operations.count() >= 100:
            break
        page.wait_for_timeout(150)
    assert operations.count() >= 100
    assert "Houqin API" in page.locator(".info .title").inner_text()

    # "Try it out" with the browser's session: /me/ answers for the director.
    me = page.locator("#operations-me-me_retrieve")
    me.locator(".opblock-summary").click()
    me.locator("button.try-out__btn").click()
    me.locator("button.execute").click()
    me.locator(".responses-table .response-col_status").first.wait_for(timeout=15000)
    assert "director" in me.locator(".live-responses-table").inner_text()
    shot(page, "api-docs")
    assert page.evaluate("window.__cspViolations") == []
