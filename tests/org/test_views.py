from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.core.models import AuditEntry
from houqin.org.models import Room
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_it_lists_rooms_of_the_users_school_only(
    as_director: Any, school: Any, other_school: Any
) -> None:
    f.RoomFactory(building__campus__school=school, number="A101")
    f.RoomFactory(building__campus__school=other_school, number="K101")
    response = as_director.get("/org/rooms/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "A101" in body
    assert "K101" not in body


def test_it_creates_a_room_and_records_the_change(
    as_director: Any, director: Any, school: Any
) -> None:
    building = f.BuildingFactory(campus__school=school)
    response = as_director.post(
        "/org/rooms/add/",
        {
            "building": building.pk,
            "floor": 2,
            "number": "B201",
            "use": "classroom",
            "capacity": 48,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    room = Room.objects.get(number="B201")
    assert room.school == school
    entry = AuditEntry.objects.get(
        content_type__model="room", object_id=str(room.pk), action="create"
    )
    assert entry.actor == director
    assert entry.changes["number"] == [None, "B201"]


def test_it_shows_inline_errors_and_saves_nothing(as_director: Any, school: Any) -> None:
    building = f.BuildingFactory(campus__school=school, floors_above=3)
    response = as_director.post(
        "/org/rooms/add/", {"building": building.pk, "floor": 9, "number": "", "use": "classroom"}
    )
    assert response.status_code == 422
    assert "is-invalid" in response.content.decode()
    assert not Room.objects.exists()


def test_it_refuses_a_building_of_another_school(as_director: Any, other_school: Any) -> None:
    foreign = f.BuildingFactory(campus__school=other_school)
    response = as_director.post(
        "/org/rooms/add/", {"building": foreign.pk, "floor": 1, "number": "X1", "use": "classroom"}
    )
    assert response.status_code == 422
    assert not Room.objects.exists()


def test_it_records_field_changes_in_the_history_tab(as_director: Any, school: Any) -> None:
    room = f.RoomFactory(building__campus__school=school, capacity=40)
    response = as_director.post(
        f"/org/rooms/{room.pk}/edit/",
        {
            "building": room.building_id,
            "floor": 1,
            "number": room.number,
            "use": "laboratory",
            "capacity": 45,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    history = as_director.get(f"/org/rooms/{room.pk}/?tab=history").content.decode()
    assert "40" in history and "45" in history


def test_it_pages_rooms_with_constant_queries(as_director: Any, school: Any) -> None:
    building = f.BuildingFactory(campus__school=school, floors_above=6)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert as_director.get("/org/rooms/?sort=capacity").status_code == 200
        return len(ctx.captured_queries)

    Room.objects.bulk_create(
        Room(school=school, building=building, number=f"N{i:05d}", use="classroom")
        for i in range(10)
    )
    count()  # warm up: the first request of a session also refreshes it
    small = count()
    Room.objects.bulk_create(
        Room(
            school=school,
            building=building,
            number=f"M{i:05d}",
            use="classroom",
            public_code=f"PC{i:08d}",
        )
        for i in range(990)
    )
    assert count() == small


def test_teacher_cannot_add_rooms(as_teacher: Any) -> None:
    assert as_teacher.get("/org/rooms/add/").status_code == 403


def test_it_exports_the_filtered_list(as_director: Any, school: Any) -> None:
    f.RoomFactory(building__campus__school=school, number="E1", use="office")
    f.RoomFactory(building__campus__school=school, number="E2", use="classroom")
    response = as_director.get("/org/rooms/?use=office&export=xlsx")
    assert response.status_code == 200
    from io import BytesIO

    import openpyxl

    book = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    values = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert values == ["E1"]


def test_it_refuses_to_delete_a_building_with_rooms(as_director: Any, school: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    response = as_director.post(f"/org/buildings/{room.building_id}/delete/", follow=True)
    assert (
        "cannot be deleted" in response.content.decode() or "无法删除" in response.content.decode()
    )
    assert Room.objects.filter(pk=room.pk).exists()


def test_district_user_sees_every_school_of_the_district(school: Any) -> None:
    sister = f.SchoolFactory(district=school.district, name="第二中学")
    outsider = f.SchoolFactory(name="外区学校")
    official = f.district_member(school.district)
    body = login(official).get("/org/schools/").content.decode()
    assert school.name in body and sister.name in body and outsider.name not in body
