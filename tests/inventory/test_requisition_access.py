"""The requisition, quota and consumption pages under the URL rules (the meta-tests cover
them too; this runs them alone): log in, 403 without the permission, 404 for another
school, and the API's 401/403/404."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import token_client
from tests.api.test_access import api_urls, call, methods
from tests.api.test_access import build as api_build
from tests.conftest import login
from tests.test_url_access import all_urls, build, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

MINE = (
    "inventory:requisition",
    "inventory:issue_queue",
    "inventory:quota",
    "inventory:consumption",
)


def mine() -> list[tuple[str, Any]]:
    found = [(name, p) for name, p in all_urls() if name.startswith(MINE)]
    assert len(found) >= 13
    return found


def test_anonymous_users_log_in(world: dict[str, Any], client: Any) -> None:  # noqa: F811
    for name, pattern in mine():
        response = client.get(build(name, pattern, world))
        assert response.status_code == 302, name


def test_without_the_permission_403(world: dict[str, Any]) -> None:  # noqa: F811
    client = login(world["nobody"])
    for name, pattern in mine():
        url = build(name, pattern, world)
        assert client.get(url).status_code == 403, name
        assert client.post(url, {}).status_code == 403, name


def test_another_school_404(world: dict[str, Any]) -> None:  # noqa: F811
    client = login(world["outsider"])
    for name, pattern in mine():
        if not pattern.pattern.regex.groupindex:
            continue
        url = build(name, pattern, world)
        assert client.get(url).status_code == 404, name
        if name.endswith(("edit", "delete", "issue", "action")):
            assert client.post(url, {}).status_code == 404, name


def test_the_api_rules(world: dict[str, Any]) -> None:  # noqa: F811
    routes = [(n, p) for n, p in api_urls() if n.startswith("api:requisition")]
    assert len(routes) >= 6
    nobody, outsider = token_client(world["nobody"]), token_client(world["outsider"])
    for name, pattern in routes:
        url = api_build(name, pattern, world)
        for method in methods(pattern):
            assert call(APIClient(), method, url).status_code == 401, name
            assert call(nobody, method, url).status_code == 403, name
            if pattern.pattern.regex.groupindex:
                assert call(outsider, method, url).status_code == 404, name
