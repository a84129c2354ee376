"""Schools, campuses, buildings, locations (rooms), departments and terms."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from houqin.core.views.mixins import narrow
from houqin.org.models import Building, Campus, Department, Room, School, Term

TIMESTAMPS = ("created_at", "updated_at")


class SchoolSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)

    class Meta:
        model = School
        fields = [
            "id",
            "name",
            "short_name",
            "code",
            "kind",
            "kind_display",
            "district",
            "district_name",
            "address",
            "phone",
            "students",
            "staff",
            "classes",
            "land_area",
            "floor_area",
            "green_area",
            "is_active",
            *TIMESTAMPS,
        ]
        read_only_fields = fields


class CampusSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Campus
        fields = ["id", "school", "name", "address", "is_main", "land_area", *TIMESTAMPS]
        read_only_fields = fields


class BuildingSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    campus_name = serializers.CharField(source="campus.name", read_only=True)
    use_display = serializers.CharField(source="get_use_display", read_only=True)
    room_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Building
        fields = [
            "id",
            "school",
            "campus",
            "campus_name",
            "name",
            "code",
            "use",
            "use_display",
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
            "room_count",
            *TIMESTAMPS,
        ]
        read_only_fields = fields


class LocationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A room or place. ``building`` must be one the user may add (or change) rooms in."""

    building = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.none(),
        error_messages={
            "does_not_exist": _("Unknown building."),
            "incorrect_type": _("Unknown building."),
        },
    )
    building_name = serializers.CharField(source="building.name", read_only=True)
    use_display = serializers.CharField(source="get_use_display", read_only=True)

    class Meta:
        model = Room
        fields = [
            "id",
            "school",
            "building",
            "building_name",
            "floor",
            "number",
            "name",
            "use",
            "use_display",
            "capacity",
            "area",
            "is_active",
            "public_code",
            "notes",
            *TIMESTAMPS,
        ]
        read_only_fields = ["school", "public_code", *TIMESTAMPS]
        validators: list[Any] = []  # the model's own checks run in validate()

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        request = self.context.get("request")
        perm = "org.change_room" if self.instance is not None else "org.add_room"
        user = getattr(request, "user", None)
        fields["building"].queryset = narrow(Building.objects.all(), user, perm)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        room = copy.copy(self.instance) if self.instance is not None else Room()
        for name, value in attrs.items():
            setattr(room, name, value)
        if room.building_id:
            room.school_id = room.building.school_id
        try:
            room.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return attrs


class DepartmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    head_name = serializers.CharField(source="head.real_name", read_only=True, default=None)

    class Meta:
        model = Department
        fields = [
            "id",
            "school",
            "name",
            "kind",
            "kind_display",
            "head",
            "head_name",
            "phone",
            "sort_order",
            *TIMESTAMPS,
        ]
        read_only_fields = fields


class TermSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    school_year_name = serializers.CharField(source="school_year.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Term
        fields = [
            "id",
            "school",
            "school_year",
            "school_year_name",
            "kind",
            "kind_display",
            "start",
            "end",
            *TIMESTAMPS,
        ]
        read_only_fields = fields
