from __future__ import annotations

from typing import Any

import pytest

from houqin.accounts.models import Membership
from tests import factories as f

from .conftest import token_client

pytestmark = pytest.mark.django_db


def test_the_director_reads_the_people_of_their_school(
    api_director: Any, school: Any, other_school: Any
) -> None:
    person = f.member(school, "teacher", username="liu", phone="13900139000")
    Membership.objects.create(user=person, school=other_school, role=f.role("teacher"))
    f.member(other_school, "teacher", username="stranger")
    body = api_director.get("/api/v1/users/").json()
    assert {u["username"] for u in body["results"]} == {"director", "liu"}
    row = api_director.get(f"/api/v1/users/{person.pk}/").json()
    assert row["phone"] == "13900139000"
    # Only the memberships within the caller's scope are shown.
    assert [m["school"] for m in row["memberships"]] == [school.pk]
    assert "password" not in row
    stranger = f.UserFactory()
    Membership.objects.create(user=stranger, school=other_school, role=f.role("teacher"))
    assert api_director.get(f"/api/v1/users/{stranger.pk}/").status_code == 404


def test_people_need_the_view_user_permission(api_teacher: Any) -> None:
    response = api_teacher.get("/api/v1/users/")
    assert response.status_code == 403


def test_user_filters(api_director: Any, school: Any) -> None:
    department = f.DepartmentFactory(school=school)
    person = f.member(school, "worker", department=department)
    by_department = api_director.get(f"/api/v1/users/?department={department.pk}").json()
    assert [u["id"] for u in by_department["results"]] == [person.pk]
    by_role = api_director.get(f"/api/v1/users/?role={f.role('worker').pk}").json()
    assert [u["id"] for u in by_role["results"]] == [person.pk]
    assert api_director.get(f"/api/v1/users/?search={person.real_name}").json()["count"] == 1


def test_me_shows_memberships_and_permissions_per_school(
    teacher: Any, school: Any, other_school: Any
) -> None:
    Membership.objects.create(user=teacher, school=other_school, role=f.role("director"))
    body = token_client(teacher).get("/api/v1/me/").json()
    assert body["username"] == "teacher"
    assert {m["role"] for m in body["memberships"]} == {"teacher", "director"}
    perms = {row["school"]: set(row["permissions"]) for row in body["schools"]}
    assert "org.add_room" not in perms[school.pk]
    assert "org.view_room" in perms[school.pk]
    assert "org.add_room" in perms[other_school.pk]


def test_me_for_a_user_without_permissions(nobody: Any) -> None:
    body = token_client(nobody).get("/api/v1/me/").json()
    assert body["username"] == "nobody"
    assert [row["permissions"] for row in body["schools"]] in ([], [[]])
