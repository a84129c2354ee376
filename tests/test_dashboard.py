from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_it_shows_real_figures_of_the_school(
    as_director: Any, school: Any, other_school: Any
) -> None:
    building = f.BuildingFactory(campus__school=school, floor_area=1234)
    for number in ("101", "102", "103"):
        f.RoomFactory(building=building, number=number)
    f.RoomFactory(building__campus__school=other_school)
    f.TermFactory(school_year__school=school)
    response = as_director.get("/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["rooms"] == 3
    assert figures["buildings"] == 1
    assert figures["floor_area"] == 1234
    assert response.context["people"][0]["count"] == 1


def test_district_users_compare_their_schools(school: Any) -> None:
    sister = f.SchoolFactory(district=school.district, name="第二中学")
    f.RoomFactory(building__campus__school=sister)
    official = f.district_member(school.district)
    response = login(official).get("/")
    names = [row["name"] for row in response.context["schools"]]
    assert sorted(names) == sorted([school.name, sister.name])


def test_a_user_without_roles_is_told_what_to_do(db: Any) -> None:
    lonely = f.UserFactory()
    response = login(lonely).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "no role" in response.content.decode()
