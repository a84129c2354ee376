"""Every error has the same shape: {"error": {"status", "code", "message", "fields"?}}."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests import factories as f

pytestmark = pytest.mark.django_db


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_400(api_director: Any, school: Any) -> None:
    building = f.BuildingFactory(campus__school=school)
    error = assert_error(
        api_director.post("/api/v1/locations/", {"building": building.pk}), 400, "invalid"
    )
    assert error["message"] == "Invalid input."
    assert set(error["fields"]) >= {"number", "use"}
    assert_error(
        api_director.post("/api/v1/locations/", "{nope", content_type="application/json"),
        400,
        "parse_error",
    )


def test_401(anonymous: Any) -> None:
    error = assert_error(anonymous.get("/api/v1/schools/"), 401, "not_authenticated")
    assert error["message"] == "Authentication credentials were not provided."
    chinese = APIClient(HTTP_ACCEPT_LANGUAGE="zh-CN").get("/api/v1/schools/")
    assert assert_error(chinese, 401, "not_authenticated")["message"] == "身份认证信息未提供。"


def test_403(nobody: Any) -> None:
    from .conftest import token_client

    assert_error(token_client(nobody).get("/api/v1/schools/"), 403, "permission_denied")


def test_404(api_director: Any) -> None:
    assert_error(api_director.get("/api/v1/locations/999999/"), 404, "not_found")
    assert_error(api_director.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error(api_director.get("/api/v1/locations/abc/"), 404, "not_found")


def test_405(api_director: Any) -> None:
    assert_error(api_director.delete("/api/v1/schools/"), 405, "method_not_allowed")
    assert_error(api_director.options("/api/v1/schools/"), 405, "method_not_allowed")


def test_415(api_director: Any) -> None:
    response = api_director.post("/api/v1/locations/", {"a": "b"}, format="multipart")
    assert_error(response, 415, "unsupported_media_type")


def test_500_is_logged_and_formatted(api_director: Any, monkeypatch: Any, caplog: Any) -> None:
    from houqin.api.views import org

    def boom(self: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(org.SchoolViewSet, "base_queryset", boom)
    error = assert_error(api_director.get("/api/v1/schools/"), 500, "error")
    assert "boom" not in error["message"]
    assert "boom" in caplog.text


def test_an_overlong_or_nul_search_is_a_400(api_director: Any) -> None:
    for value in ("a\x00b", "x" * 101):
        response = api_director.get("/api/v1/locations/", {"search": value})
        assert response.status_code == 400
        assert "search" in response.json()["error"]["fields"]
