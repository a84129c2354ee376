from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from houqin.core.attachments.services import attachment_upload
from tests import factories as f

from .conftest import token_client

pytestmark = pytest.mark.django_db


def attach(owner: Any, actor: Any, name: str = "plan.txt") -> Any:
    upload = SimpleUploadedFile(name, "教室平面图".encode(), content_type="text/plain")
    return attachment_upload(actor=actor, owner=owner, files=[upload])[0]


@pytest.fixture
def rooms(school: Any, other_school: Any, director: Any) -> dict[str, Any]:
    mine = f.RoomFactory(building__campus__school=school)
    theirs = f.RoomFactory(building__campus__school=other_school)
    outsider = f.member(other_school, "director")
    return {
        "mine": mine,
        "theirs": theirs,
        "outsider": outsider,
        "a": attach(mine, director),
        "b": attach(theirs, outsider, "other.txt"),
    }


def test_the_caller_lists_attachments_of_owners_they_may_see(
    api_teacher: Any, rooms: dict[str, Any]
) -> None:
    body = api_teacher.get("/api/v1/attachments/").json()
    assert [a["id"] for a in body["results"]] == [rooms["a"].pk]
    row = body["results"][0]
    assert row["content_type"] == "org.room"
    assert row["object_id"] == rooms["mine"].pk
    assert row["download_url"].endswith(f"/core/attachments/{rooms['a'].pk}/")
    filtered = api_teacher.get(
        f"/api/v1/attachments/?content_type=org.room&object_id={rooms['mine'].pk}"
    ).json()
    assert filtered["count"] == 1
    none = api_teacher.get(f"/api/v1/attachments/?object_id={rooms['theirs'].pk}").json()
    assert none["count"] == 0
    bad = api_teacher.get("/api/v1/attachments/?content_type=nothing.here")
    assert bad.status_code == 400
    assert "content_type" in bad.json()["error"]["fields"]


def test_one_attachment(api_teacher: Any, rooms: dict[str, Any], nobody: Any) -> None:
    assert api_teacher.get(f"/api/v1/attachments/{rooms['a'].pk}/").json()["size"] > 0
    assert api_teacher.get(f"/api/v1/attachments/{rooms['b'].pk}/").status_code == 404
    # Without the owner's view permission: 403, like the web's download.
    assert token_client(nobody).get(f"/api/v1/attachments/{rooms['a'].pk}/").status_code == 403


def test_the_download_link_serves_the_file_to_the_session(
    director: Any, rooms: dict[str, Any]
) -> None:
    from tests.conftest import login

    url = token_client(director).get(f"/api/v1/attachments/{rooms['a'].pk}/").json()
    response = login(director).get(url["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "教室平面图"


def test_list_queries_do_not_grow_with_rows(director: Any, school: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = token_client(director)

    def grow(n: int) -> None:
        for _ in range(n):
            attach(f.RoomFactory(building__campus__school=school), f.member(school, "teacher"))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/attachments/").status_code == 200
        return len(queries)

    grow(3)
    client.get("/api/v1/attachments/")
    few = count()
    grow(30)
    assert count() == few
