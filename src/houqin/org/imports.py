"""Import specifications for rooms and departments."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.core.imports import (
    Boolean,
    Choice,
    Decimal,
    ImportColumn,
    ImportContext,
    ImportSpec,
    Integer,
    Lookup,
    Text,
)

from .choices import DepartmentKind, RoomUse
from .models import Building, Department, Room


def school_buildings(ctx: ImportContext) -> QuerySet[Any]:
    return Building.objects.filter(school=ctx.school).order_by("name")


def school_members(ctx: ImportContext) -> QuerySet[Any]:
    from houqin.accounts.models import User

    members: QuerySet[Any] = (
        User.objects.filter(memberships__school=ctx.school, memberships__is_active=True)
        .distinct()
        .order_by("username")
    )
    return members


class RoomImport(ImportSpec):
    model = Room
    columns = (
        ImportColumn(
            "building",
            _("building"),
            Lookup(
                school_buildings,
                keys=("name", "code"),
                not_found=_("There is no building “%(value)s” in this school."),
                description=_("The name or code of a building of the school"),
            ),
            required=True,
        ),
        ImportColumn(
            "floor",
            _("floor"),
            Integer(min_value=-10, max_value=200),
            help=_("Negative for basements, 0 for outdoor places. Empty means 1."),
            example=1,
        ),
        ImportColumn("number", _("room number"), Text(max_length=30), required=True, example="101"),
        ImportColumn("name", _("name"), Text(max_length=100), example=_("Grade 7 Class 1")),
        ImportColumn("use", _("use"), Choice(RoomUse.choices), required=True, example="classroom"),
        ImportColumn("capacity", _("capacity"), Integer(min_value=0), example=50),
        ImportColumn(
            "area",
            _("area (m²)"),
            Decimal(places=2),
            example="72.50",
            # GBK has no "²": Excel saves the header of a Chinese CSV as "面积（m?）".
            aliases=("面积", "面积（m?）", "面积（平方米）", "area", "area (m?)"),
        ),
        ImportColumn("is_active", _("in use"), Boolean(), help=_("Empty means yes."), example=True),
        ImportColumn("notes", _("notes"), Text()),
    )

    def build(self, values: dict[str, Any], ctx: ImportContext) -> list[Any]:
        room = Room(
            school=ctx.school,
            building=values["building"],
            number=values["number"],
            name=values["name"] or "",
            use=values["use"],
            capacity=values["capacity"],
            area=values["area"],
            notes=values["notes"] or "",
        )
        if values["floor"] is not None:
            room.floor = values["floor"]
        if values["is_active"] is not None:
            room.is_active = values["is_active"]
        return [room]


class DepartmentImport(ImportSpec):
    model = Department
    columns = (
        ImportColumn(
            "name", _("name"), Text(max_length=100), required=True, example=_("Logistics")
        ),
        ImportColumn(
            "kind", _("kind"), Choice(DepartmentKind.choices), required=True, example="logistics"
        ),
        ImportColumn(
            "head",
            _("head"),
            Lookup(
                school_members,
                keys=("username", "phone"),
                display=lambda user: user.username,
                not_found=_("“%(value)s” is not a member of staff of this school."),
                description=_("The username or mobile number of a member of staff"),
            ),
            example="",
        ),
        ImportColumn("phone", _("phone"), Text(max_length=30), example=""),
        ImportColumn(
            "sort_order",
            _("sort order"),
            Integer(min_value=0, max_value=32767),
            help=_("Smaller numbers come first. Empty means 100."),
            example=100,
        ),
    )

    def build(self, values: dict[str, Any], ctx: ImportContext) -> list[Any]:
        department = Department(
            school=ctx.school,
            name=values["name"],
            kind=values["kind"],
            head=values["head"],
            phone=values["phone"] or "",
        )
        if values["sort_order"] is not None:
            department.sort_order = values["sort_order"]
        return [department]
