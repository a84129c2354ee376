"""Management pages for the organisation: districts down to rooms, departments and terms."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView

from . import filters, forms, selectors, tables
from .models import Building, Campus, Department, District, Room, School, SchoolYear, Term


class DistrictListView(ObjectListView):
    model = District
    table_class = tables.DistrictTable
    search_fields = ("name", "code", "region")
    default_sort = "name"
    follows_active_school = False

    def base_queryset(self) -> QuerySet[Any]:
        return District.objects.annotate(school_count=Count("schools"))


class DistrictDetailView(ObjectDetailView):
    model = District
    detail_fields = ("name", "code", "region", "address", "phone")

    def related(self, obj: Any) -> list[dict[str, Any]]:
        schools = School.objects.visible_to(self.request.user).filter(district=obj)
        return [
            selectors.related_block(
                _("Schools"),
                tables.SchoolTable,
                schools.select_related("district"),
                "org:school_list",
                f"district={obj.pk}",
            )
        ]


class DistrictEditView(ObjectEditView):
    model = District
    form_class = forms.DistrictForm


class SchoolListView(ObjectListView):
    model = School
    table_class = tables.SchoolTable
    filterset_class = filters.SchoolFilter
    search_fields = ("name", "short_name", "code", "address")
    default_sort = "name"
    follows_active_school = False

    def base_queryset(self) -> QuerySet[Any]:
        return School.objects.select_related("district")


class SchoolDetailView(ObjectDetailView):
    model = School
    detail_fields = (
        "name",
        "short_name",
        "code",
        "kind",
        "district",
        "address",
        "phone",
        "students",
        "staff",
        "classes",
        "land_area",
        "floor_area",
        "green_area",
        "is_active",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return School.objects.select_related("district")

    def related(self, obj: Any) -> list[dict[str, Any]]:
        campuses = Campus.objects.filter(school=obj).select_related("school")
        buildings = selectors.building_list(school_ids=[obj.pk])
        return [
            selectors.related_block(
                _("Campuses"), tables.CampusTable, campuses, "org:campus_list", ""
            ),
            selectors.related_block(
                _("Buildings"), tables.BuildingTable, buildings, "org:building_list", ""
            ),
        ]


class SchoolEditView(ObjectEditView):
    model = School
    form_class = forms.SchoolForm


class CampusListView(ObjectListView):
    model = Campus
    table_class = tables.CampusTable
    filterset_class = filters.CampusFilter
    search_fields = ("name", "address")
    default_sort = "name"

    def base_queryset(self) -> QuerySet[Any]:
        return Campus.objects.select_related("school")


class CampusDetailView(ObjectDetailView):
    model = Campus
    detail_fields = ("name", "school", "address", "is_main", "land_area")

    def related(self, obj: Any) -> list[dict[str, Any]]:
        buildings = selectors.building_list(school_ids=[obj.school_id]).filter(campus=obj)
        return [
            selectors.related_block(
                _("Buildings"),
                tables.BuildingTable,
                buildings,
                "org:building_list",
                f"campus={obj.pk}",
            )
        ]


class CampusEditView(ObjectEditView):
    model = Campus
    form_class = forms.CampusForm


class BuildingListView(ObjectListView):
    model = Building
    table_class = tables.BuildingTable
    filterset_class = filters.BuildingFilter
    search_fields = ("name", "code")
    default_sort = "name"

    def base_queryset(self) -> QuerySet[Any]:
        return selectors.building_list()


class BuildingDetailView(ObjectDetailView):
    model = Building
    detail_fields = (
        "name",
        "code",
        "campus",
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
        "public_code",
        "notes",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return Building.objects.select_related("campus")

    def related(self, obj: Any) -> list[dict[str, Any]]:
        rooms = Room.objects.filter(building=obj).select_related("building")
        return [
            selectors.related_block(
                _("Rooms"), tables.RoomTable, rooms, "org:room_list", f"building={obj.pk}"
            )
        ]


class BuildingEditView(ObjectEditView):
    model = Building
    form_class = forms.BuildingForm


class RoomListView(ObjectListView):
    model = Room
    table_class = tables.RoomTable
    filterset_class = filters.RoomFilter
    search_fields = ("number", "name", "building__name")
    default_sort = "number"

    def base_queryset(self) -> QuerySet[Any]:
        return Room.objects.select_related("building")


class RoomDetailView(ObjectDetailView):
    model = Room
    template_name = "org/room_detail.html"  # adds the room's repairs panel
    detail_fields = (
        "number",
        "name",
        "building",
        "floor",
        "use",
        "capacity",
        "area",
        "is_active",
        "public_code",
        "notes",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return Room.objects.select_related("building")


class RoomEditView(ObjectEditView):
    model = Room
    form_class = forms.RoomForm


class DepartmentListView(ObjectListView):
    model = Department
    table_class = tables.DepartmentTable
    search_fields = ("name", "head__real_name")
    default_sort = "name"

    def base_queryset(self) -> QuerySet[Any]:
        return Department.objects.select_related("head").annotate(member_count=Count("memberships"))


class DepartmentDetailView(ObjectDetailView):
    model = Department
    detail_fields = ("name", "kind", "school", "head", "phone", "sort_order")

    def base_queryset(self) -> QuerySet[Any]:
        return Department.objects.select_related("head", "school")

    def related(self, obj: Any) -> list[dict[str, Any]]:
        from houqin.accounts.selectors import membership_list
        from houqin.accounts.tables import MembershipTable

        members = membership_list().filter(department=obj)
        return [
            selectors.related_block(
                _("Staff"), MembershipTable, members, "accounts:user_list", f"department={obj.pk}"
            )
        ]


class DepartmentEditView(ObjectEditView):
    model = Department
    form_class = forms.DepartmentForm


class SchoolYearListView(ObjectListView):
    model = SchoolYear
    table_class = tables.SchoolYearTable
    default_sort = "-name"


class SchoolYearDetailView(ObjectDetailView):
    model = SchoolYear
    detail_fields = ("name", "school", "start", "end")

    def related(self, obj: Any) -> list[dict[str, Any]]:
        terms = Term.objects.filter(school_year=obj).select_related("school_year", "school")
        return [selectors.related_block(_("Terms"), tables.TermTable, terms, "org:term_list", "")]


class SchoolYearEditView(ObjectEditView):
    model = SchoolYear
    form_class = forms.SchoolYearForm


class TermListView(ObjectListView):
    model = Term
    table_class = tables.TermTable
    default_sort = "-term"

    def base_queryset(self) -> QuerySet[Any]:
        return Term.objects.select_related("school_year", "school")


class TermDetailView(ObjectDetailView):
    model = Term
    detail_fields = ((_("school year"), lambda t: t.school_year), "kind", "start", "end")

    def base_queryset(self) -> QuerySet[Any]:
        return Term.objects.select_related("school_year")


class TermEditView(ObjectEditView):
    model = Term
    form_class = forms.TermForm


def delete_view(model_class: type[Any]) -> type[ObjectDeleteView]:
    return type(f"{model_class.__name__}DeleteView", (ObjectDeleteView,), {"model": model_class})
