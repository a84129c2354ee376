"""Purchase requests in the API: the request with its lines, a new request, and actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from houqin.core.views.mixins import narrow
from houqin.finance.models import BudgetLine, ExpenseCategory
from houqin.inventory.models import StockItem
from houqin.org.models import Department

from ..models import PurchaseRequest, PurchaseRequestLine
from ..services.requests import unit_problem

ADD = "procurement.add_purchaserequest"


def unknown(what: Any) -> dict[str, Any]:
    return {"does_not_exist": what, "incorrect_type": what}


class LineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    order_number = serializers.CharField(
        source="order_line.order.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = PurchaseRequestLine
        fields = [
            "id",
            "item_name",
            "specification",
            "quantity",
            "unit",
            "estimated_price",
            "stock_item",
            "status",
            "status_display",
            "order_line",
            "order_number",
            "received",
        ]
        read_only_fields = fields


class PurchaseRequestSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    requester_name = serializers.CharField(source="requester", read_only=True)
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = PurchaseRequest
        fields = [
            "id",
            "number",
            "school",
            "title",
            "department",
            "department_name",
            "requester",
            "requester_name",
            "category",
            "category_display",
            "budget_line",
            "reason",
            "needed_by",
            "status",
            "status_display",
            "estimated_total",
            "committed",
            "submitted_at",
            "approved_at",
            "created_at",
            "lines",
        ]
        read_only_fields = fields


class LineInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    item_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    specification = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=Decimal("0.001"))
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    estimated_price = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False
    )
    stock_item = serializers.PrimaryKeyRelatedField(
        queryset=StockItem.objects.none(),
        required=False,
        allow_null=True,
        error_messages=unknown(_("Unknown store item.")),
    )

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["stock_item"].queryset = narrow(StockItem.objects.all(), user, ADD)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        item = attrs.get("stock_item")
        if item is not None:
            attrs["item_name"] = attrs.get("item_name") or item.name
            attrs["specification"] = attrs.get("specification") or item.specification
            problem = unit_problem(item, attrs.get("unit") or "")
            if problem:
                raise serializers.ValidationError({"unit": [problem]})
            attrs["unit"] = item.unit
            if attrs.get("estimated_price") is None:
                attrs["estimated_price"] = item.average_cost.quantize(Decimal("0.01"))
        missing = {
            name: [_("This field is required.")]
            for name in ("item_name", "unit", "estimated_price")
            if attrs.get(name) in (None, "")
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class PurchaseRequestCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A draft request; submit it with the ``submit`` action."""

    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.none(), error_messages=unknown(_("Unknown department."))
    )
    title = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=ExpenseCategory.choices)
    budget_line = serializers.PrimaryKeyRelatedField(
        queryset=BudgetLine.objects.none(),
        required=False,
        allow_null=True,
        error_messages=unknown(_("Unknown budget line.")),
    )
    reason = serializers.CharField(max_length=2000)
    needed_by = serializers.DateField(required=False, allow_null=True)
    lines = LineInputSerializer(many=True, allow_empty=False, max_length=100)

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["department"].queryset = narrow(Department.objects.all(), user, ADD)
        fields["budget_line"].queryset = narrow(BudgetLine.objects.all(), user, ADD)
        return fields


class PurchaseRequestReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SubmittedSerializer(PurchaseRequestSerializer):
    warning = serializers.CharField(read_only=True, default="")

    class Meta(PurchaseRequestSerializer.Meta):
        fields = [*PurchaseRequestSerializer.Meta.fields, "warning"]
        read_only_fields = fields
