"""Load the demo district, schools, places, calendar and people.

Safe to run again: every row is found by its natural key and only changed when the demo
data differs. Passwords are set only when an account is created, so a second run neither
resets a password somebody changed nor logs anybody out. Never called from a migration.
"""

from __future__ import annotations

import decimal
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils.translation import gettext as _

from houqin.accounts.models import Membership, Role, User
from houqin.assets.models import Asset
from houqin.core.audit import acting_as
from houqin.maintenance.models import WorkOrder
from houqin.org.models import (
    Building,
    Campus,
    Department,
    District,
    Room,
    School,
    SchoolYear,
    Term,
)

from . import approvals, assets, data, maintenance, supplies
from .buildings import BUILDINGS


def _same(obj: models.Model, name: str, value: Any) -> bool:
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    old = getattr(obj, name)
    if isinstance(old, decimal.Decimal) and value is not None:
        return old == decimal.Decimal(str(value))
    return bool(old == value)


class _Loader:
    def __init__(self, stdout: TextIO | None) -> None:
        self.stdout = stdout
        self.created = 0
        self.updated = 0
        self.roles = {role.code: role for role in Role.objects.all()}
        self._password: str | None = None

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    def upsert(self, model: type[Any], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        """Find the row by ``lookup``; create it, or bring its ``values`` up to date."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.created += 1
            return obj
        return self.update(obj, values)

    def update(self, obj: Any, values: dict[str, Any]) -> Any:
        """Save ``values`` on ``obj`` if any differs (no write, no audit entry otherwise)."""
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save()
            self.updated += 1
        return obj

    def role(self, code: str) -> Role:
        try:
            return self.roles[code]
        except KeyError:
            raise RuntimeError(
                _("The role %(code)s does not exist: run migrate first.") % {"code": code}
            ) from None

    @property
    def password(self) -> str:
        # Hashed once: a strong hash per account would make loading take half a minute.
        if self._password is None:
            self._password = make_password(data.PASSWORD)
        return self._password

    # -- organisation -----------------------------------------------------------------

    def district(self) -> District:
        fields = dict(data.DISTRICT)
        code = fields.pop("code")
        return self.upsert(District, {"code": code}, fields)

    def school(self, key: str, district: District) -> dict[str, Any]:
        fields = dict(data.SCHOOLS[key])
        code = fields.pop("code")
        school = self.upsert(School, {"code": code}, {**fields, "district": district})
        campus_fields = dict(data.CAMPUSES[key])
        campus = self.upsert(
            Campus,
            {"school": school, "name": campus_fields.pop("name")},
            {**campus_fields, "is_main": True},
        )
        rooms = 0
        for spec in BUILDINGS[key]:
            fields = dict(spec)
            room_specs = fields.pop("rooms")
            building = self.upsert(
                Building,
                {"campus": campus, "name": fields.pop("name")},
                {**fields, "school": school},
            )
            for floor, number, name, use, capacity, area in room_specs:
                self.upsert(
                    Room,
                    {"building": building, "number": number},
                    {
                        "school": school,
                        "floor": floor,
                        "name": name,
                        "use": use,
                        "capacity": capacity,
                        "area": area,
                        "is_active": True,
                    },
                )
                rooms += 1
        departments = {
            name: self.upsert(
                Department,
                {"school": school, "name": name},
                {"kind": kind, "phone": phone, "sort_order": (n + 1) * 10},
            )
            for n, (name, kind, phone) in enumerate(data.DEPARTMENTS[key])
        }
        for name, start, end, terms in data.SCHOOL_YEARS:
            year = self.upsert(
                SchoolYear, {"school": school, "name": name}, {"start": start, "end": end}
            )
            for kind, term_start, term_end in terms:
                self.upsert(
                    Term,
                    {"school_year": year, "kind": kind},
                    {"school": school, "start": term_start, "end": term_end},
                )
        self.say(
            _("%(school)s: %(buildings)s buildings, %(rooms)s rooms, %(departments)s departments")
            % {
                "school": school.name,
                "buildings": len(BUILDINGS[key]),
                "rooms": rooms,
                "departments": len(departments),
            }
        )
        return {"school": school, "departments": departments}

    # -- people -----------------------------------------------------------------------

    def user(self, username: str, real_name: str, staff_no: str, school: School | None) -> User:
        phone: str | None = data.PHONES[username]
        if User.objects.filter(phone=phone).exclude(username=username).exists():
            phone = None  # somebody real already has this number
        values = {
            "real_name": real_name,
            "phone": phone,
            "staff_no": staff_no,
            "default_school": school,
            "is_active": True,
        }
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, password=self.password, **values)
            user.full_clean()
            user.save()
            self.created += 1
            return user
        return self.update(user, values)

    def people(self, district: District, schools: dict[str, dict[str, Any]]) -> list[User]:
        counters = dict.fromkeys(data.STAFF_NO_PREFIX, 0)

        def staff_no(key: str | None) -> str:
            counters[key] += 1
            return f"{data.STAFF_NO_PREFIX[key]}{counters[key]:04d}"

        people = [
            (username, real_name, key, role, department, title)
            for username, real_name, key, role, department, title in data.PERSONAS
        ] + [
            (username, real_name, data.EXTRA_STAFF_SCHOOL[username], "teacher", department, title)
            for username, real_name, department, title in data.EXTRA_STAFF
        ]
        users: dict[str, User] = {}
        for username, real_name, key, role_code, department, title in people:
            school = schools[key]["school"] if key else None
            user = self.user(username, real_name, staff_no(key), school)
            users[username] = user
            values: dict[str, Any] = {"title": title, "is_active": True}
            if school is not None:
                lookup: dict[str, Any] = {"user": user, "school": school}
                values["district"] = None
                values["department"] = schools[key]["departments"][department]
            else:
                lookup = {"user": user, "district": district}
                values["school"] = None
                values["department"] = None
            self.upsert(Membership, {**lookup, "role": self.role(role_code)}, values)
        for key, heads in data.DEPARTMENT_HEADS.items():
            school = schools[key]["school"]
            for name, username in heads.items():
                self.upsert(Department, {"school": school, "name": name}, {"head": users[username]})
        self.say(_("%(count)s people with their memberships") % {"count": len(users)})
        return list(users.values())


def load_demo(stdout: TextIO | None = None) -> dict[str, int]:
    """Create (or bring up to date) the demo data; return how many rows of each kind exist."""
    with transaction.atomic(), acting_as(None):
        loader = _Loader(stdout)
        district = loader.district()
        schools = {key: loader.school(key, district) for key in data.SCHOOLS}
        users = loader.people(district, schools)
        approvals.load([entry["school"] for entry in schools.values()])
        assets.load([entry["school"] for entry in schools.values()])
        maintenance.load([entry["school"] for entry in schools.values()])
        supplies.load([entry["school"] for entry in schools.values()])
    school_ids = [entry["school"].pk for entry in schools.values()]
    return {
        "districts": 1,
        "schools": len(school_ids),
        "campuses": Campus.objects.filter(school__in=school_ids).count(),
        "buildings": Building.objects.filter(school__in=school_ids).count(),
        "rooms": Room.objects.filter(school__in=school_ids).count(),
        "departments": Department.objects.filter(school__in=school_ids).count(),
        "school_years": SchoolYear.objects.filter(school__in=school_ids).count(),
        "terms": Term.objects.filter(school__in=school_ids).count(),
        "users": len(users),
        "assets": Asset.objects.filter(school__in=school_ids).count(),
        "work_orders": WorkOrder.objects.filter(school__in=school_ids).count(),
        "memberships": Membership.objects.filter(user__in=users).count(),
        "created": loader.created,
        "updated": loader.updated,
    }
