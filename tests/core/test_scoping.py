from __future__ import annotations

from typing import Any

import pytest

from houqin.accounts.models import Membership
from houqin.core.scoping import has_perm_in_school, permission_map, school_ids
from houqin.org.models import Room
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_user_sees_only_the_schools_of_their_memberships(school: Any, other_school: Any) -> None:
    user = f.member(school, "teacher")
    assert school_ids(user) == [school.pk]
    assert Room.objects.visible_to(user).count() == 0
    mine = f.RoomFactory(building__campus__school=school)
    f.RoomFactory(building__campus__school=other_school)
    assert list(Room.objects.visible_to(user)) == [mine]


def test_permissions_are_per_school(school: Any, other_school: Any) -> None:
    user = f.member(school, "director")
    Membership.objects.create(user=user, school=other_school, role=f.role("teacher"))
    assert has_perm_in_school(user, "org.add_room", school.pk)
    assert not has_perm_in_school(user, "org.add_room", other_school.pk)
    assert school_ids(user, "org.add_room") == [school.pk]
    assert sorted(school_ids(user, "org.view_room")) == sorted([school.pk, other_school.pk])


def test_inactive_memberships_and_users_give_nothing(school: Any) -> None:
    user = f.member(school, "director")
    Membership.objects.filter(user=user).update(is_active=False)
    assert permission_map(user) == {}
    active = f.member(school, "director")
    active.is_active = False
    assert permission_map(active) == {}


def test_a_district_role_covers_every_school_of_the_district(school: Any) -> None:
    sister = f.SchoolFactory(district=school.district)
    f.SchoolFactory()
    official = f.district_member(school.district)
    assert sorted(school_ids(official)) == sorted([school.pk, sister.pk])
    assert not has_perm_in_school(official, "org.change_room", school.pk)


def test_the_map_is_built_with_a_fixed_number_of_queries(
    school: Any, django_assert_max_num_queries: Any
) -> None:
    user = f.member(school, "director")
    for _ in range(5):
        Membership.objects.create(user=user, school=f.SchoolFactory(), role=f.role("teacher"))
    with django_assert_max_num_queries(3):
        permission_map(user)
    with django_assert_max_num_queries(0):
        permission_map(user)
