from __future__ import annotations

from houqin.core.forms import StyledModelForm

from .models import Building, Campus, Department, District, Room, School, SchoolYear, Term


class DistrictForm(StyledModelForm):
    class Meta:
        model = District
        fields = ["name", "code", "region", "address", "phone"]


class SchoolForm(StyledModelForm):
    class Meta:
        model = School
        fields = [
            "district",
            "name",
            "short_name",
            "code",
            "kind",
            "address",
            "phone",
            "students",
            "staff",
            "classes",
            "land_area",
            "floor_area",
            "green_area",
            "is_active",
        ]


class CampusForm(StyledModelForm):
    class Meta:
        model = Campus
        fields = ["school", "name", "address", "is_main", "land_area"]


class BuildingForm(StyledModelForm):
    class Meta:
        model = Building
        fields = [
            "campus",
            "name",
            "code",
            "use",
            "structure",
            "year_built",
            "floors_above",
            "floors_below",
            "floor_area",
            "design_life",
            "seismic_class",
            "appraisal_grade",
            "appraisal_date",
            "notes",
        ]


class RoomForm(StyledModelForm):
    class Meta:
        model = Room
        fields = [
            "building",
            "floor",
            "number",
            "name",
            "use",
            "capacity",
            "area",
            "is_active",
            "notes",
        ]


class DepartmentForm(StyledModelForm):
    class Meta:
        model = Department
        fields = ["school", "name", "kind", "head", "phone", "sort_order"]


class SchoolYearForm(StyledModelForm):
    class Meta:
        model = SchoolYear
        fields = ["school", "name", "start", "end"]


class TermForm(StyledModelForm):
    class Meta:
        model = Term
        fields = ["school_year", "kind", "start", "end"]
