from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from houqin.core.models import AuditEntry
from houqin.org.models import Room
from tests import factories as f

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(school: Any) -> Any:
    return f.BuildingFactory(campus__school=school, floors_above=4, floors_below=1)


def payload(building: Any, **extra: Any) -> dict[str, Any]:
    return {"building": building.pk, "number": "B101", "floor": 1, "use": "office", **extra}


def test_the_director_creates_changes_and_deletes_a_location(
    api_director: Any, director: Any, building: Any
) -> None:
    response = api_director.post("/api/v1/locations/", payload(building, capacity=30))
    assert response.status_code == 201, response.content
    body = response.json()
    room = Room.objects.get(pk=body["id"])
    assert room.school_id == building.school_id == body["school"]
    assert body["public_code"] == room.public_code
    url = f"/api/v1/locations/{room.pk}/"
    assert api_director.patch(url, {"name": "总务处办公室"}).json()["name"] == "总务处办公室"
    full = payload(building, number="B102", area="35.50")
    assert api_director.put(url, full).json()["area"] == "35.50"
    # Changes are attributed to the token's user in the audit trail.
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Room), object_id=str(room.pk)
    )
    assert list(entries.values_list("actor", flat=True)) == [director.pk] * 3
    assert api_director.delete(url).status_code == 204
    assert not Room.objects.filter(pk=room.pk).exists()


def test_a_teacher_may_read_but_not_write(api_teacher: Any, building: Any) -> None:
    room = f.RoomFactory(building=building)
    url = f"/api/v1/locations/{room.pk}/"
    assert api_teacher.get(url).status_code == 200
    for response in (
        api_teacher.post("/api/v1/locations/", payload(building)),
        api_teacher.patch(url, {"name": "x"}),
        api_teacher.delete(url),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"
    assert Room.objects.filter(pk=room.pk).exists()


def test_a_building_of_another_school_is_refused(
    api_director: Any, building: Any, other_school: Any
) -> None:
    foreign = f.BuildingFactory(campus__school=other_school)
    response = api_director.post("/api/v1/locations/", payload(foreign))
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["building"] == ["Unknown building."]
    room = f.RoomFactory(building=building)
    moved = api_director.patch(f"/api/v1/locations/{room.pk}/", {"building": foreign.pk})
    assert moved.status_code == 400
    assert not Room.objects.filter(building=foreign).exists()


def test_an_outsider_cannot_touch_another_schools_location(
    building: Any, other_school: Any
) -> None:
    outsider = f.member(other_school, "director")
    client = token_client(outsider)
    room = f.RoomFactory(building=building)
    url = f"/api/v1/locations/{room.pk}/"
    assert client.get(url).status_code == 404
    assert client.patch(url, {"name": "x"}).status_code == 404
    assert client.delete(url).status_code == 404
    assert Room.objects.filter(pk=room.pk).exists()


def test_the_models_own_rules_apply(api_director: Any, building: Any) -> None:
    too_high = api_director.post("/api/v1/locations/", payload(building, floor=9))
    assert too_high.status_code == 400
    assert "floor" in too_high.json()["error"]["fields"]
    assert api_director.post("/api/v1/locations/", payload(building)).status_code == 201
    duplicate = api_director.post("/api/v1/locations/", payload(building))
    assert duplicate.status_code == 400
    assert duplicate.json()["error"]["code"] == "invalid"
    negative = api_director.post("/api/v1/locations/", payload(building, number="X", area="-1"))
    assert "area" in negative.json()["error"]["fields"]


def test_chinese_validation_messages(director: Any, building: Any) -> None:
    client = token_client(director, language="zh-CN")
    response = client.post("/api/v1/locations/", {"building": building.pk})
    error = response.json()["error"]
    assert response.status_code == 400
    assert error["fields"]["number"] == ["该字段是必填项。"]
