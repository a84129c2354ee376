from __future__ import annotations

from typing import Any

import pytest

from houqin.accounts.models import Membership, User
from houqin.core.models import AuditEntry
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def new_user_data(school: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "username": "newbie",
        "real_name": "刘新",
        "phone": "13912345678",
        "password1": "Lotus-Pond-42",
        "password2": "Lotus-Pond-42",
        "m-school": school.pk,
        "m-role": f.role("teacher").pk,
        "m-is_active": "on",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_person_with_a_role(admin_user: Any, school: Any) -> None:
    response = login(admin_user).post("/accounts/users/add/", new_user_data(school))
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.check_password("Lotus-Pond-42")
    assert Membership.objects.get(user=user).school == school
    assert AuditEntry.objects.filter(content_type__model="membership", action="create").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [("short1", "too short"), ("1234567890", "entirely numeric"), ("password123", "too common")],
)
def test_weak_passwords_are_refused(
    admin_user: Any, school: Any, password: str, message: str
) -> None:
    client = login(admin_user)
    client.cookies.load({"django_language": "en"})
    response = client.post(
        "/accounts/users/add/", new_user_data(school, password1=password, password2=password)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_a_bad_membership_saves_no_person(admin_user: Any, school: Any) -> None:
    response = login(admin_user).post(
        "/accounts/users/add/", new_user_data(school, **{"m-role": ""})
    )
    assert response.status_code == 422
    assert not User.objects.filter(username="newbie").exists()


def test_admin_cannot_place_people_in_another_school(admin_user: Any, other_school: Any) -> None:
    response = login(admin_user).post("/accounts/users/add/", new_user_data(other_school))
    assert response.status_code == 422
    assert not User.objects.filter(username="newbie").exists()


def test_role_permission_changes_are_audited(admin_user: Any) -> None:
    role = f.role("teacher")
    keep = list(role.permissions.values_list("pk", flat=True))[1:]
    response = login(admin_user).post(
        f"/accounts/roles/{role.pk}/edit/",
        {"name": role.name, "name_en": role.name_en, "sort_order": 50, "permissions": keep},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(content_type__model="role").latest("id")
    removed, added = entry.changes["permissions"]
    assert len(removed) == 1 and added == []
    assert entry.actor == admin_user


def test_permissions_follow_the_school(school: Any, other_school: Any) -> None:
    """A director in one school and a teacher in another may add rooms only in the first."""
    user = f.member(school, "director")
    from houqin.accounts.models import Membership as M

    M.objects.create(user=user, school=other_school, role=f.role("teacher"))
    mine = f.BuildingFactory(campus__school=school)
    theirs = f.BuildingFactory(campus__school=other_school)
    client = login(user)
    ok = client.post(
        "/org/rooms/add/", {"building": mine.pk, "floor": 1, "number": "1", "use": "office"}
    )
    refused = client.post(
        "/org/rooms/add/", {"building": theirs.pk, "floor": 1, "number": "2", "use": "office"}
    )
    assert ok.status_code == 302
    assert refused.status_code == 422


def test_the_school_switcher_narrows_lists(school: Any, other_school: Any) -> None:
    user = f.member(school, "director")
    from houqin.accounts.models import Membership as M

    M.objects.create(user=user, school=other_school, role=f.role("director"))
    f.RoomFactory(building__campus__school=school, number="MINE1")
    f.RoomFactory(building__campus__school=other_school, number="KG1")
    client = login(user)
    both = client.get("/org/rooms/").content.decode()
    assert "MINE1" in both and "KG1" in both
    client.post("/core/school/", {"school": other_school.pk, "next": "/org/rooms/"})
    only = client.get("/org/rooms/").content.decode()
    assert "KG1" in only and "MINE1" not in only
    stranger = f.SchoolFactory()
    client.post("/core/school/", {"school": stranger.pk})
    assert client.session["houqin_school"] == other_school.pk
