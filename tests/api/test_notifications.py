from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from houqin.notifications.models import Notification

from .conftest import token_client

pytestmark = pytest.mark.django_db


def notify(user: Any, title: str, read: bool = False) -> Notification:
    return Notification.objects.create(
        recipient=user,
        event="approval.pending",
        title=title,
        read_at=timezone.now() if read else None,
    )


def test_the_caller_sees_and_marks_their_own_notifications(teacher: Any, director: Any) -> None:
    first = notify(teacher, "一")
    notify(teacher, "二", read=True)
    theirs = notify(director, "别人的")
    client = token_client(teacher)
    assert client.get("/api/v1/notifications/").json()["count"] == 2
    unread = client.get("/api/v1/notifications/?unread=1").json()
    assert [n["title"] for n in unread["results"]] == ["一"]
    assert unread["results"][0]["is_read"] is False
    read = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert read.status_code == 200 and read.json()["is_read"] is True
    assert client.get("/api/v1/notifications/?unread=1").json()["count"] == 0
    # Another person's notification is not found and stays unread.
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all(teacher: Any) -> None:
    for n in range(3):
        notify(teacher, f"n{n}")
    client = token_client(teacher)
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 3}
    assert client.get("/api/v1/notifications/?unread=1").json()["count"] == 0


def test_list_queries_do_not_grow_with_rows(teacher: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = token_client(teacher)
    client.get("/api/v1/notifications/")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/notifications/").status_code == 200
        return len(queries)

    for n in range(5):
        notify(teacher, f"n{n}")
    few = count()
    for n in range(45):
        notify(teacher, f"m{n}")
    assert count() == few
