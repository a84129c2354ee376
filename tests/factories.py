"""Factories for tests: real rows, no fixed primary keys."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from houqin.accounts.models import Membership, Role, User
from houqin.org.models import Building, Campus, Department, District, Room, School, SchoolYear, Term

PASSWORD = "houqin-test-pass"


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"第{n}区教育局")
    code = factory.Sequence(lambda n: f"D{n:04d}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"第{n}中学")
    code = factory.Sequence(lambda n: f"31{n:08d}")
    kind = "junior"
    students = 1000
    staff = 90


class CampusFactory(DjangoModelFactory):
    class Meta:
        model = Campus

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"校区{n}")
    is_main = True


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = Building

    campus = factory.SubFactory(CampusFactory)
    school = factory.SelfAttribute("campus.school")
    name = factory.Sequence(lambda n: f"教学楼{n}")
    use = "teaching"
    structure = "rc"
    year_built = 2010
    floors_above = 5
    floor_area = 4000


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room

    building = factory.SubFactory(BuildingFactory)
    school = factory.SelfAttribute("building.school")
    floor = 1
    number = factory.Sequence(lambda n: f"R{n:04d}")
    use = "classroom"
    capacity = 50


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"部门{n}")
    kind = "other"


class SchoolYearFactory(DjangoModelFactory):
    class Meta:
        model = SchoolYear

    school = factory.SubFactory(SchoolFactory)
    name = "2026-2027学年"
    start = datetime.date(2026, 9, 1)
    end = datetime.date(2027, 8, 31)


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term

    school_year = factory.SubFactory(SchoolYearFactory)
    school = factory.SelfAttribute("school_year.school")
    kind = "autumn"
    start = datetime.date(2026, 9, 1)
    end = datetime.date(2027, 1, 20)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"张{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


def role(code: str) -> Role:
    return Role.objects.get(code=code)


def member(school: School, role_code: str, department: Department | None = None, **kw: Any) -> User:
    """A user holding ``role_code`` in ``school``."""
    user = UserFactory(**kw)
    Membership.objects.create(user=user, school=school, role=role(role_code), department=department)
    return user


def district_member(district: District, **kw: Any) -> User:
    user = UserFactory(**kw)
    Membership.objects.create(user=user, district=district, role=role("district"))
    return user


def empty_role() -> Role:
    found, _created = Role.objects.get_or_create(
        code="nothing", defaults={"name": "无权限", "name_en": "No permissions"}
    )
    return found


def outsider_with_every_permission() -> User:
    """A user holding every permission, in a school of their own: must get 404 elsewhere."""
    from django.contrib.auth.models import Permission

    everything = empty_role()
    everything.permissions.set(Permission.objects.all())
    user = UserFactory()
    Membership.objects.create(user=user, school=SchoolFactory(), role=everything)
    return user


def member_without_permissions(school: School, **kw: Any) -> User:
    """A member of ``school`` whose role grants nothing: must get 403."""
    powerless, _created = Role.objects.get_or_create(
        code="none", defaults={"name": "无", "name_en": "None"}
    )
    user = UserFactory(**kw)
    Membership.objects.create(user=user, school=school, role=powerless)
    return user
