from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.org.models import Room
from tests import factories as f

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_schools(school: Any, other_school: Any) -> dict[str, Any]:
    a_building = f.BuildingFactory(campus__school=school, name="A楼")
    b_building = f.BuildingFactory(campus__school=other_school, name="B楼")
    return {
        "a_building": a_building,
        "b_building": b_building,
        "a_rooms": [
            f.RoomFactory(building=a_building, number="101", use="classroom"),
            f.RoomFactory(building=a_building, number="102", use="office"),
        ],
        "b_room": f.RoomFactory(building=b_building, number="201"),
    }


def test_the_director_lists_only_their_schools_locations(
    api_director: Any, two_schools: dict[str, Any]
) -> None:
    body = api_director.get("/api/v1/locations/").json()
    assert body["count"] == 2
    assert {row["id"] for row in body["results"]} == {r.pk for r in two_schools["a_rooms"]}
    assert set(body) == {"count", "next", "previous", "results"}


def test_another_schools_location_is_404(api_director: Any, two_schools: dict[str, Any]) -> None:
    response = api_director.get(f"/api/v1/locations/{two_schools['b_room'].pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    mine = two_schools["a_rooms"][0]
    assert api_director.get(f"/api/v1/locations/{mine.pk}/").json()["number"] == "101"


def test_anonymous_requests_are_401(anonymous: Any, two_schools: dict[str, Any]) -> None:
    for url in ("/api/v1/locations/", f"/api/v1/locations/{two_schools['b_room'].pk}/"):
        response = anonymous.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert response.json()["error"]["code"] == "not_authenticated"


def test_the_session_of_a_logged_in_browser_works(
    director: Any, two_schools: dict[str, Any]
) -> None:
    from tests.conftest import login

    client = login(director)
    assert client.get("/api/v1/locations/").json()["count"] == 2


def test_filters_are_the_web_filters(api_director: Any, two_schools: dict[str, Any]) -> None:
    a_building = two_schools["a_building"]
    other = f.BuildingFactory(campus=a_building.campus, name="C楼")
    f.RoomFactory(building=other, number="301", use="office", is_active=False)
    assert api_director.get(f"/api/v1/locations/?building={a_building.pk}").json()["count"] == 2
    assert api_director.get("/api/v1/locations/?use=office").json()["count"] == 2
    assert api_director.get("/api/v1/locations/?is_active=0").json()["count"] == 1
    assert api_director.get("/api/v1/locations/?search=30").json()["count"] == 1
    # Another school's building is not a valid choice: a 400, never its rooms.
    response = api_director.get(f"/api/v1/locations/?building={two_schools['b_building'].pk}")
    assert response.status_code == 400
    assert "building" in response.json()["error"]["fields"]
    assert api_director.get("/api/v1/locations/?use=spaceship").status_code == 400


def test_ordering(api_director: Any, two_schools: dict[str, Any]) -> None:
    body = api_director.get("/api/v1/locations/?ordering=-number").json()
    numbers = [r["number"] for r in body["results"]]
    assert numbers == ["102", "101"]
    # An unknown field is ignored rather than leaking other columns.
    assert api_director.get("/api/v1/locations/?ordering=notes__x").status_code == 200


def test_paging(api_director: Any, school: Any) -> None:
    building = f.BuildingFactory(campus__school=school)
    Room.objects.bulk_create(
        Room(
            building=building,
            school=school,
            number=f"{n:03d}",
            use="classroom",
            public_code=f"P{n:05d}",
        )
        for n in range(60)
    )
    first = api_director.get("/api/v1/locations/").json()
    assert first["count"] == 60
    assert len(first["results"]) == 50
    assert first["previous"] is None and "page=2" in first["next"]
    second = api_director.get("/api/v1/locations/?page=2").json()
    assert len(second["results"]) == 10 and second["next"] is None
    assert len(api_director.get("/api/v1/locations/?page_size=500").json()["results"]) == 60
    assert len(api_director.get("/api/v1/locations/?page_size=7").json()["results"]) == 7
    assert api_director.get("/api/v1/locations/?page=9").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/locations/",
        "/api/v1/buildings/",
        "/api/v1/campuses/",
        "/api/v1/schools/",
        "/api/v1/departments/",
        "/api/v1/terms/",
        "/api/v1/users/",
    ],
)
def test_list_queries_do_not_grow_with_rows(director: Any, school: Any, url: str) -> None:
    client = token_client(director)

    def grow(n: int) -> None:
        for _ in range(n):
            building = f.BuildingFactory(campus__school=school)
            f.RoomFactory(building=building)
            department = f.DepartmentFactory(school=school, head=director)
            f.member(school, "teacher", department=department)
            f.SchoolFactory(district=school.district)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(5)
    client.get(url)  # the first use of the token records its time
    few = count()
    grow(45)
    assert count() == few, url


def test_terms_and_departments(api_teacher: Any, school: Any) -> None:
    term = f.TermFactory(school_year__school=school)
    department = f.DepartmentFactory(school=school, kind="logistics")
    f.TermFactory()  # another school's
    assert [t["id"] for t in api_teacher.get("/api/v1/terms/").json()["results"]] == [term.pk]
    body = api_teacher.get("/api/v1/departments/?kind=logistics").json()
    assert [d["id"] for d in body["results"]] == [department.pk]


def test_schools_campuses_buildings(
    api_teacher: Any, two_schools: dict[str, Any], school: Any
) -> None:
    assert [s["id"] for s in api_teacher.get("/api/v1/schools/").json()["results"]] == [school.pk]
    assert api_teacher.get("/api/v1/campuses/").json()["count"] == 1
    buildings = api_teacher.get("/api/v1/buildings/").json()["results"]
    assert [(b["name"], b["room_count"]) for b in buildings] == [("A楼", 2)]
    b_campus = two_schools["b_building"].campus_id
    assert api_teacher.get(f"/api/v1/campuses/{b_campus}/").status_code == 404


def test_session_writes_need_the_csrf_token(director: Any, school: Any) -> None:
    from django.test import Client

    building = f.BuildingFactory(campus__school=school)
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(director, backend="houqin.accounts.backends.HouqinBackend")
    payload = {"building": building.pk, "number": "X1", "floor": 1, "use": "office"}
    response = client.post("/api/v1/locations/", payload, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    assert not Room.objects.filter(number="X1").exists()
