from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from houqin.api.models import ApiToken, hash_key
from tests import factories as f

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def obtain(username: str, password: str = f.PASSWORD, language: str = "en", **extra: Any) -> Any:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    return client.post(TOKEN_URL, {"username": username, "password": password, **extra})


def test_it_issues_a_token_for_username_or_phone(school: Any) -> None:
    user = f.member(school, "teacher", username="wang", phone="13800138000")
    for login in ("wang", "13800138000"):
        response = obtain(login, name="my script")
        assert response.status_code == 201, response.content
        body = response.json()
        raw = body["token"]
        assert body["expires_at"]
        token = ApiToken.objects.get(pk=body["id"])
        assert token.user == user
        assert token.key_hash == hash_key(raw)
        assert token.prefix == raw[:8]
        assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())


def test_the_token_authenticates_requests(teacher: Any) -> None:
    raw = obtain("teacher").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "teacher"
    assert ApiToken.objects.get().last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(teacher: Any) -> None:
    raw = obtain("teacher").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    client.get("/api/v1/me/")
    first = ApiToken.objects.get().last_used_at
    client.get("/api/v1/me/")
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get("/api/v1/me/")
    assert ApiToken.objects.get().last_used_at > first


def test_users_list_and_revoke_their_own_tokens(teacher: Any, director: Any) -> None:
    mine = obtain("teacher", name="laptop").json()
    other = obtain("director").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {mine['token']}")
    listed = client.get("/api/v1/auth/tokens/").json()
    assert listed["count"] == 1
    row = listed["results"][0]
    assert row["name"] == "laptop"
    assert row["prefix"] == mine["token"][:8]
    assert "token" not in row and "key_hash" not in row
    # Another user's token is not found, and stays valid.
    assert client.delete(f"/api/v1/auth/tokens/{other['id']}/").status_code == 404
    assert ApiToken.objects.get(pk=other["id"]).revoked_at is None
    assert client.delete(f"/api/v1/auth/tokens/{mine['id']}/").status_code == 204
    assert ApiToken.objects.get(pk=mine["id"]).revoked_at is not None


def test_a_revoked_or_expired_token_is_refused_with_401(teacher: Any) -> None:
    body = obtain("teacher").json()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    ApiToken.objects.filter(pk=body["id"]).update(revoked_at=timezone.now())
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "authentication_failed"
    ApiToken.objects.filter(pk=body["id"]).update(
        revoked_at=None, expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get("/api/v1/me/").status_code == 401


def test_an_unknown_token_or_malformed_header_is_refused(db: Any) -> None:
    for header in ("Token nope", "Token", "Token a b", "Token ä"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/me/")
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"] == "Token"


def test_a_token_of_a_deactivated_user_is_refused(teacher: Any) -> None:
    raw = obtain("teacher").json()["token"]
    teacher.is_active = False
    teacher.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-CN,zh;q=0.9", "用户名/手机号或密码错误"), ("en-US,en;q=0.9", "Wrong username")],
)
def test_a_wrong_password_gets_a_clear_message(teacher: Any, language: str, expected: str) -> None:
    response = obtain("teacher", password="wrong-password", language=language)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["code"] == "invalid_credentials"
    assert expected in error["message"]
    assert not ApiToken.objects.exists()


def test_the_login_lockout_applies(teacher: Any) -> None:
    for _ in range(4):
        assert obtain("teacher", password="wrong-password").status_code == 400
    locked = obtain("teacher", password="wrong-password")
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "locked_out"
    assert locked["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME * 3600))
    # Even the right password is refused while locked, in the request's language.
    response = obtain("teacher", language="zh-CN")
    assert response.status_code == 429
    assert "锁定" in response.json()["error"]["message"]
    assert not ApiToken.objects.exists()


def test_a_successful_login_resets_the_failure_count(teacher: Any) -> None:
    for _ in range(4):
        obtain("teacher", password="wrong-password")
    assert obtain("teacher").status_code == 201
    for _ in range(4):
        assert obtain("teacher", password="wrong-password").status_code == 400


def test_lifetime_is_bounded(teacher: Any) -> None:
    assert obtain("teacher", lifetime_days=0).status_code == 400
    assert obtain("teacher", lifetime_days=366).status_code == 400
    body = obtain("teacher", lifetime_days=7).json()
    expires = datetime.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - timezone.now() - datetime.timedelta(days=7)) < datetime.timedelta(
        minutes=1
    )


def test_token_changes_are_audited(teacher: Any) -> None:
    from houqin.core.models import AuditEntry

    body = obtain("teacher").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    client.delete(f"/api/v1/auth/tokens/{body['id']}/")
    entries = AuditEntry.objects.filter(object_id=str(body["id"]), actor=teacher)
    assert set(entries.values_list("action", flat=True)) == {"create", "update"}
    for entry in entries:
        assert "key_hash" not in entry.changes


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-CN", "认证令牌无效。"), ("en", "Invalid token.")]
)
def test_token_errors_are_in_the_requests_language(db: Any, language: str, expected: str) -> None:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/me/").json()["error"]["message"] == expected
