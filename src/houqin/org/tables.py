from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


class DistrictTable(Table):
    columns = (
        Column("name", _("name"), link=True),
        Column("code", _("code")),
        Column("region", _("region"), hide_on_phone=True),
        Column("school_count", _("schools"), align_end=True),
    )


class SchoolTable(Table):
    columns = (
        Column("name", _("name"), link=True),
        Column("kind", _("type")),
        Column("code", _("school code"), hide_on_phone=True),
        Column(
            "district",
            _("district"),
            accessor="district.name",
            order_by="district__name",
            hide_on_phone=True,
        ),
        Column("students", _("students"), align_end=True),
        Column("staff", _("staff"), align_end=True, hide_on_phone=True),
        Column("floor_area", _("floor area (m²)"), align_end=True, hide_on_phone=True),
    )


class CampusTable(Table):
    columns = (
        Column("name", _("name"), link=True),
        Column(
            "school",
            _("school"),
            accessor="school.name",
            order_by="school__name",
            hide_on_phone=True,
        ),
        Column("address", _("address"), hide_on_phone=True),
        Column("is_main", _("main campus")),
    )


class BuildingTable(Table):
    columns = (
        Column("name", _("name"), link=True),
        Column("use", _("use")),
        Column(
            "campus",
            _("campus"),
            accessor="campus.name",
            order_by="campus__name",
            hide_on_phone=True,
        ),
        Column("year_built", _("year built"), align_end=True, hide_on_phone=True),
        Column("floors_above", _("floors"), align_end=True, hide_on_phone=True),
        Column("floor_area", _("floor area (m²)"), align_end=True),
        Column("appraisal_grade", _("appraisal"), hide_on_phone=True),
        Column("room_count", _("rooms"), align_end=True, hide_on_phone=True),
    )


class RoomTable(Table):
    columns = (
        Column(
            "number", _("room number"), link=True, order_by=("building__name", "floor", "number")
        ),
        Column("name", _("name")),
        Column(
            "building",
            _("building"),
            accessor="building.name",
            order_by=("building__name", "floor", "number"),
            hide_on_phone=True,
        ),
        Column("floor", _("floor"), align_end=True, hide_on_phone=True),
        Column("use", _("use")),
        Column("capacity", _("capacity"), align_end=True, hide_on_phone=True),
        Column("area", _("area (m²)"), align_end=True, hide_on_phone=True),
    )


class DepartmentTable(Table):
    columns = (
        Column("name", _("name"), link=True, order_by=("sort_order", "name")),
        Column("kind", _("kind")),
        Column("head", _("head"), accessor="head", order_by="head__real_name"),
        Column("phone", _("phone"), hide_on_phone=True),
        Column("member_count", _("staff"), align_end=True, hide_on_phone=True),
    )


class SchoolYearTable(Table):
    columns = (
        Column("name", _("name"), link=True, order_by="start"),
        Column("start", _("start")),
        Column("end", _("end")),
    )


class TermTable(Table):
    columns = (
        Column("term", _("term"), accessor=str, order_by="start", link=True),
        Column("start", _("start")),
        Column("end", _("end")),
        Column(
            "school",
            _("school"),
            accessor="school.name",
            order_by="school__name",
            hide_on_phone=True,
        ),
    )
