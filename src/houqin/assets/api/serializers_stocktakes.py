"""Serializers of the stocktake API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from houqin.org.models import Building, Department, Room, School

from ..choices import CountResult, StocktakeScope
from ..models import AssetCategory, Stocktake, StocktakeLine


class StocktakeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    created_by = serializers.StringRelatedField()

    class Meta:
        model = Stocktake
        fields = [
            "id",
            "school",
            "number",
            "name",
            "scope",
            "building",
            "department",
            "category",
            "is_holiday_campaign",
            "status",
            "created_by",
            "created_at",
            "closed_at",
            "notes",
        ]
        read_only_fields = fields


class FiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    expected = serializers.IntegerField()
    counted = serializers.IntegerField()
    found = serializers.IntegerField()
    wrong_room = serializers.IntegerField()
    missing = serializers.IntegerField()
    damaged = serializers.IntegerField()
    surplus = serializers.IntegerField()
    pending = serializers.IntegerField()
    match_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    shortage_value = serializers.DecimalField(max_digits=18, decimal_places=2)
    surplus_value = serializers.DecimalField(max_digits=18, decimal_places=2)


class StocktakeDetailSerializer(StocktakeSerializer):
    figures = serializers.SerializerMethodField()

    class Meta(StocktakeSerializer.Meta):
        fields = [*StocktakeSerializer.Meta.fields, "figures"]
        read_only_fields = fields

    def get_figures(self, obj: Stocktake) -> dict[str, Any]:
        from ..reports_stocktakes import figures

        return dict(FiguresSerializer(figures(obj)).data)


class StocktakeStartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, allow_null=True
    )
    name = serializers.CharField(max_length=200)
    scope = serializers.ChoiceField(choices=StocktakeScope.choices)
    building = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.all(), required=False, allow_null=True
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=AssetCategory.objects.all(), required=False, allow_null=True
    )
    is_holiday_campaign = serializers.BooleanField(default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, school_ids: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = school_ids or []
        self.fields["school"].queryset = School.objects.filter(pk__in=allowed)
        self.fields["building"].queryset = Building.objects.filter(school_id__in=allowed)
        self.fields["department"].queryset = Department.objects.filter(school_id__in=allowed)
        self.allowed = allowed

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        owner = attrs.get("building") or attrs.get("department") or attrs.get("school")
        if owner is None:
            if len(self.allowed) != 1:
                raise serializers.ValidationError({"school": _("Choose the school to count.")})
            attrs["school"] = School.objects.get(pk=self.allowed[0])
        return attrs


class ScanSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(max_length=300, help_text="Label URL or bare code.")
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all())


class CountSerializer(serializers.Serializer):  # type: ignore[type-arg]
    line = serializers.IntegerField()
    result = serializers.ChoiceField(
        choices=[c for c in CountResult.choices if c[0] != CountResult.SURPLUS]
    )
    found_room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StocktakeLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    asset_code = serializers.CharField(source="asset.code", default="", read_only=True)
    asset_name = serializers.CharField(source="asset.name", default="", read_only=True)

    class Meta:
        model = StocktakeLine
        fields = [
            "id",
            "asset",
            "asset_code",
            "asset_name",
            "expected_room",
            "result",
            "found_room",
            "counted_at",
            "note",
            "surplus_name",
            "repair_needed",
            "repaired_at",
            "applied",
        ]
        read_only_fields = fields


class ApplyResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    moved = serializers.IntegerField()
    lost = serializers.IntegerField()
    repair = serializers.IntegerField()
