"""Serializers of the asset register API: cards (written through the register service) and
categories (read-only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from houqin.accounts.models import Membership, User
from houqin.core.scoping import school_ids
from houqin.core.views.mixins import narrow
from houqin.org.models import Department, Room, School

from ..models import Asset, AssetCategory
from ..services.register import AssetError, asset_register, asset_update

TIMESTAMPS = ("created_at", "updated_at")


def _unknown(what: Any) -> dict[str, Any]:
    return {"does_not_exist": what, "incorrect_type": what}


class AssetCategorySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    resolved_depreciable = serializers.SerializerMethodField()
    resolved_life_years = serializers.SerializerMethodField()

    class Meta:
        model = AssetCategory
        fields = [
            "id",
            "parent",
            "level",
            "level_display",
            "code",
            "code_source",
            "name",
            "name_en",
            "depreciable",
            "life_years",
            "life_source",
            "resolved_depreciable",
            "resolved_life_years",
            "sort_order",
            "is_active",
        ]
        read_only_fields = fields

    def get_resolved_depreciable(self, obj: AssetCategory) -> bool:
        return obj.resolved()[0]

    def get_resolved_life_years(self, obj: AssetCategory) -> int | None:
        return obj.resolved()[1]


class AssetSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A card. ``school`` is needed on creation only when the user keeps several registers;
    ``code`` on creation keeps a code of an earlier ledger (else the card is numbered)."""

    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.none(),
        required=False,
        error_messages=_unknown(gettext_lazy("Unknown school.")),
    )
    code = serializers.CharField(max_length=30, required=False, allow_blank=True)
    category = serializers.PrimaryKeyRelatedField(
        queryset=AssetCategory.objects.filter(is_active=True),
        error_messages=_unknown(gettext_lazy("Unknown category.")),
    )
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.none(),
        required=False,
        allow_null=True,
        error_messages=_unknown(gettext_lazy("Unknown room.")),
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.none(),
        required=False,
        allow_null=True,
        error_messages=_unknown(gettext_lazy("Unknown department.")),
    )
    custodian = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        required=False,
        allow_null=True,
        error_messages=_unknown(gettext_lazy("Unknown person.")),
    )
    category_name = serializers.CharField(source="category.name", read_only=True)
    room_name = serializers.SerializerMethodField()
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    custodian_name = serializers.CharField(
        source="custodian.real_name", read_only=True, default=None
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    net_value = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Asset
        fields = [
            "id",
            "school",
            "code",
            "public_code",
            "name",
            "category",
            "category_name",
            "specification",
            "brand",
            "serial_number",
            "unit",
            "unit_price",
            "quantity",
            "original_value",
            "accumulated_depreciation",
            "net_value",
            "is_low_value",
            "depreciable",
            "life_months",
            "purchase_date",
            "supplier_name",
            "funding_source",
            "acquisition",
            "room",
            "room_name",
            "department",
            "department_name",
            "custodian",
            "custodian_name",
            "status",
            "status_display",
            "warranty_end",
            "notes",
            *TIMESTAMPS,
        ]
        read_only_fields = [
            "public_code",
            "original_value",
            "accumulated_depreciation",
            "is_low_value",
            "depreciable",
            "status",
            *TIMESTAMPS,
        ]
        validators: list[Any] = []  # the model's and the service's checks run on save

    def get_room_name(self, obj: Asset) -> str | None:
        return str(obj.room) if obj.room_id else None

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        perm = "assets.change_asset" if self.instance is not None else "assets.add_asset"
        fields["school"].queryset = School.objects.filter(pk__in=school_ids(user, perm))
        fields["room"].queryset = narrow(Room.objects.select_related("building"), user, perm)
        fields["department"].queryset = narrow(Department.objects.all(), user, perm)
        fields["custodian"].queryset = narrow(User.objects.all(), user, perm)
        return fields

    def target_school_id(self, attrs: dict[str, Any]) -> int:
        if self.instance is not None:
            return int(self.instance.school_id)
        school = attrs.get("school")
        if school is not None:
            return int(school.pk)
        choices = list(self.fields["school"].queryset.values_list("pk", flat=True))
        if len(choices) == 1:
            return int(choices[0])
        raise serializers.ValidationError({"school": _("Choose the school of the card.")})

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        school_id = self.target_school_id(attrs)
        attrs["school_id"] = school_id
        attrs.pop("school", None)
        if self.instance is not None and attrs.get("code") not in (None, self.instance.code):
            raise serializers.ValidationError({"code": _("The code of a card cannot change.")})
        errors: dict[str, str] = {}
        for name in ("room", "department"):
            value = attrs.get(name)
            if value is not None and value.school_id != school_id:
                errors[name] = _("Choose one of this school.")
        custodian: QuerySet[Any] | None = attrs.get("custodian")
        if (
            custodian is not None
            and not Membership.objects.filter(
                user=custodian, school_id=school_id, is_active=True
            ).exists()
        ):
            errors["custodian"] = _("The custodian must be a member of staff of this school.")
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Asset:
        code = validated_data.pop("code", "") or ""
        asset = Asset(**validated_data)
        return self._save(lambda: asset_register(actor=self.actor(), asset=asset, code=code))

    def update(self, instance: Asset, validated_data: dict[str, Any]) -> Asset:
        validated_data.pop("code", None)
        validated_data.pop("school_id", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._save(lambda: asset_update(actor=self.actor(), asset=instance))

    def actor(self) -> Any:
        return self.context["request"].user

    def _save(self, call: Any) -> Asset:
        try:
            saved: Asset = call()
        except AssetError as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from exc
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return saved
