"""A fake group robot: a real HTTP server on 127.0.0.1 at a random port, in a thread."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from huey.contrib.djhuey import HUEY


class FakeRobot:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.answers: list[dict[str, Any]] = []  # answered in turn; then `answer`
        self.answer: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}
        self.delay = 0.0
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hook"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                parsed = urllib.parse.urlsplit(self.path)
                robot.requests.append(
                    {
                        "path": parsed.path,
                        "query": dict(urllib.parse.parse_qsl(parsed.query)),
                        "raw_query": parsed.query,
                        "headers": dict(self.headers),
                        "json": json.loads(raw or b"null"),
                    }
                )
                if robot.delay:
                    time.sleep(robot.delay)
                answer = robot.answers.pop(0) if robot.answers else robot.answer
                body = json.dumps(answer).encode()
                try:
                    self.send_response(robot.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up waiting

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture
def robot() -> Iterator[FakeRobot]:
    fake = FakeRobot()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    server.daemon_threads = True
    fake.server = server
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _jobs(settings: Any) -> Iterator[None]:
    """Short webhook timeout, absolute links, and an empty job queue for every test."""
    settings.HOUQIN_WEBHOOK_TIMEOUT = 0.5
    settings.HOUQIN_BASE_URL = "https://houqin.example.cn"
    HUEY.storage.flush_all()
    yield
    HUEY.storage.flush_all()


@pytest.fixture(autouse=True)
def _events() -> Iterator[None]:
    """Events registered by a test are forgotten after it."""
    from houqin.notifications import events

    saved = dict(events.EVENTS)
    yield
    events.EVENTS.clear()
    events.EVENTS.update(saved)
