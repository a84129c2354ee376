"""Schools, campuses, buildings, locations (rooms), departments and terms."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from houqin.org.filters import BuildingFilter, CampusFilter, RoomFilter, SchoolFilter
from houqin.org.models import Building, Campus, Department, Room, School, Term

from ..filters import DepartmentFilter, TermFilter
from ..serializers import org as s
from .base import ReadOnlyScopedViewSet, WritableScopedViewSet


class SchoolViewSet(ReadOnlyScopedViewSet):
    queryset = School.objects.select_related("district")
    serializer_class = s.SchoolSerializer
    filterset_class = SchoolFilter
    search_fields = ("name", "short_name", "code", "address")
    ordering_fields = ("name", "code", "kind", "students", "staff")
    ordering = ("name",)


class CampusViewSet(ReadOnlyScopedViewSet):
    queryset = Campus.objects.all()
    serializer_class = s.CampusSerializer
    filterset_class = CampusFilter
    search_fields = ("name", "address")
    ordering_fields = ("name", "school", "land_area")
    ordering = ("school", "-is_main", "name")


class BuildingViewSet(ReadOnlyScopedViewSet):
    queryset = Building.objects.select_related("campus")
    serializer_class = s.BuildingSerializer
    filterset_class = BuildingFilter
    search_fields = ("name", "code")
    ordering_fields = ("name", "code", "year_built", "floor_area", "appraisal_grade")
    ordering = ("school", "name")

    def base_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().base_queryset().annotate(room_count=Count("rooms"))
        return queryset


class LocationViewSet(WritableScopedViewSet):
    """Rooms and places (``org.Room``); writes need the room permission in the school."""

    queryset = Room.objects.select_related("building")
    serializer_class = s.LocationSerializer
    filterset_class = RoomFilter
    search_fields = ("number", "name", "building__name")
    ordering_fields = ("number", "name", "floor", "capacity", "area", "building__name")
    ordering = ("building__name", "floor", "number")


class DepartmentViewSet(ReadOnlyScopedViewSet):
    queryset = Department.objects.select_related("head")
    serializer_class = s.DepartmentSerializer
    filterset_class = DepartmentFilter
    search_fields = ("name", "head__real_name")
    ordering_fields = ("name", "sort_order", "kind")
    ordering = ("school", "sort_order", "name")


class TermViewSet(ReadOnlyScopedViewSet):
    queryset = Term.objects.select_related("school_year")
    serializer_class = s.TermSerializer
    filterset_class = TermFilter
    ordering_fields = ("start", "end", "kind")
    ordering = ("-start",)
