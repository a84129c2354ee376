"""A signed-in browser for benchmarks: its own cookies and keep-alive connection, CSRF handled."""

from __future__ import annotations

import re
import time
from typing import Any

import requests

CSRF = re.compile(r'name="csrfmiddlewaretoken"[^>]*?value="([^"]+)"')
BENCH_PASSWORD = "houqin-bench"


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = "zh-hans"

    def login(self, username: str, password: str = BENCH_PASSWORD) -> None:
        page = self.session.get(f"{self.base}/accounts/login/", timeout=60)
        token = CSRF.search(page.text)
        if not token:
            raise RuntimeError("the login page has no CSRF token")
        answer = self.session.post(
            f"{self.base}/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": password,
            },
            headers={"Referer": f"{self.base}/accounts/login/"},
            allow_redirects=False,
            timeout=60,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"login as {username} failed: HTTP {answer.status_code}")

    def get(self, path: str, **kwargs: Any) -> tuple[int, float, requests.Response]:
        """GET ``path``; returns (status, milliseconds until the whole body arrived, response)."""
        started = time.perf_counter()
        answer = self.session.get(
            f"{self.base}{path}", allow_redirects=False, timeout=120, **kwargs
        )
        _ = answer.content
        return answer.status_code, (time.perf_counter() - started) * 1000, answer

    def form(self, path: str) -> dict[str, str]:
        """The CSRF token of the form at ``path`` (as a dict ready to be extended)."""
        status, _ms, answer = self.get(path)
        token = CSRF.search(answer.text)
        if status != 200 or not token:
            raise RuntimeError(f"GET {path}: HTTP {status} without a form")
        return {"csrfmiddlewaretoken": token.group(1)}

    def post(
        self, path: str, data: dict[str, Any], files: Any = None
    ) -> tuple[int, float, requests.Response]:
        started = time.perf_counter()
        answer = self.session.post(
            f"{self.base}{path}",
            data=data,
            files=files,
            headers={"Referer": f"{self.base}{path}"},
            allow_redirects=False,
            timeout=120,
        )
        return answer.status_code, (time.perf_counter() - started) * 1000, answer
