from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client, override_settings

from houqin.accounts.middleware import SESSION_KEY
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_logs_in_by_username_or_phone(school: Any) -> None:
    user = f.member(school, "teacher", username="wang", phone="13800138000")
    for login in ("wang", "13800138000", "WANG"):
        client = Client()
        response = client.post("/accounts/login/", {"username": login, "password": f.PASSWORD})
        assert response.status_code == 302, login
        assert client.session["_auth_user_id"] == str(user.pk)


def test_it_locks_the_account_after_five_failures(school: Any) -> None:
    f.member(school, "teacher", username="li")
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "li", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "li", "password": f.PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_gets_a_clear_message(school: Any) -> None:
    f.member(school, "teacher", username="zhao")
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-CN").post(
        "/accounts/login/", {"username": "zhao", "password": "nope-nope"}
    )
    assert response.status_code == 200
    assert "密码" in response.content.decode()


@override_settings(HOUQIN_IDLE_TIMEOUT=60)
def test_it_ends_idle_sessions(school: Any) -> None:
    user = f.member(school, "teacher")
    client = Client()
    client.force_login(user, backend="houqin.accounts.backends.HouqinBackend")
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 120
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_it_serves_chinese_or_english_by_browser_language(db: Any) -> None:
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").get("/accounts/login/")
    english = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/")
    assert "登录" in chinese.content.decode()
    assert 'lang="zh-CN"' in chinese.content.decode()
    assert "Log in" in english.content.decode()
    assert 'lang="en"' in english.content.decode()


def test_pages_carry_a_content_security_policy(db: Any) -> None:
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
