"""Serializers of store items, their movements and the ``move`` action."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from houqin.core.scoping import school_ids
from houqin.core.views.mixins import narrow
from houqin.org.models import Department, School

from ..models import StockItem, StockMovement
from ..services.items import MANUAL_KINDS

ADD = "inventory.add_stockitem"
MOVE = "inventory.move_stock"


def unknown(what: Any) -> dict[str, Any]:
    return {"does_not_exist": what, "incorrect_type": what}


class StockItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An item. Its stock, value and average cost are the ledger's running totals (read
    only); ``school`` is needed on creation only for users of several schools; an empty
    ``code`` gets the next HC- code."""

    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.none(),
        required=False,
        error_messages=unknown(gettext_lazy("Unknown school.")),
    )
    code = serializers.CharField(max_length=30, required=False, allow_blank=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    low = serializers.SerializerMethodField()

    class Meta:
        model = StockItem
        fields = [
            "id",
            "school",
            "code",
            "name",
            "specification",
            "unit",
            "category",
            "category_display",
            "min_stock",
            "max_stock",
            "shelf",
            "is_restricted",
            "paper_size",
            "sheets_per_unit",
            "is_active",
            "notes",
            "quantity",
            "value",
            "average_cost",
            "low",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "quantity", "value", "average_cost", "created_at", "updated_at"]
        validators: list[Any] = []  # the (school, code) rule is checked in ``validate``

    def get_low(self, item: StockItem) -> bool:
        return bool(item.min_stock > 0 and item.quantity <= item.min_stock)

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["school"].queryset = narrow(School.objects.all(), user, ADD)
        if self.instance is not None:
            fields["school"].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and attrs.get("school") is None:
            user = getattr(self.context.get("request"), "user", None)
            allowed = school_ids(user, ADD)
            if len(allowed) != 1:
                raise serializers.ValidationError({"school": [_("Choose the school.")]})
            attrs["school"] = School.objects.get(pk=allowed[0])
        school_id = self.instance.school_id if self.instance is not None else attrs["school"].pk
        code = (attrs.get("code") or "").strip()
        if "code" in attrs:
            attrs["code"] = code
        if code:
            taken = StockItem.objects.filter(school_id=school_id, code=code)
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError(
                    {"code": [_("Another item of this school has this code.")]}
                )
        return attrs


class StockMovementSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "school",
            "item",
            "item_code",
            "item_name",
            "unit",
            "kind",
            "kind_display",
            "quantity",
            "unit_cost",
            "amount",
            "balance",
            "department",
            "person",
            "reason",
            "source_type",
            "source_id",
            "reference",
            "actor",
            "at",
        ]
        read_only_fields = fields


class MoveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A manual movement: a receipt without an order (``unit_cost`` needed), a direct issue
    (to a ``department`` and/or ``person``), a return to the store, or a scrap."""

    kind = serializers.ChoiceField(choices=[(k, str(v)) for k, v in MANUAL_KINDS.items()])
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=Decimal("0.001"))
    unit_cost = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=Decimal("0"), required=False, allow_null=True
    )
    reason = serializers.CharField(max_length=200)
    supplier_note = serializers.CharField(max_length=60, required=False, allow_blank=True)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.none(),
        required=False,
        allow_null=True,
        error_messages=unknown(gettext_lazy("Unknown department.")),
    )
    person = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.none(),
        required=False,
        allow_null=True,
        error_messages=unknown(gettext_lazy("Unknown person.")),
    )

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["department"].queryset = narrow(Department.objects.all(), user, MOVE)
        fields["person"].queryset = narrow(get_user_model().objects.all(), user, MOVE)
        return fields


class MoveResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    movement = StockMovementSerializer()
    item = StockItemSerializer()
