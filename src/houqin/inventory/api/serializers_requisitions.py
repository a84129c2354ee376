"""Requisitions in the API: the row, the full requisition with its lines, the new
requisition with its lines, and the payloads of the actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from houqin.org.models import Department

from ..models import Requisition, RequisitionLine, StockItem

UNKNOWN = {
    "does_not_exist": _("Unknown or not yours."),
    "incorrect_type": _("Unknown or not yours."),
}


class RequisitionLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    item_name = serializers.CharField(source="item.name", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)
    in_stock = serializers.DecimalField(
        source="item.quantity", max_digits=14, decimal_places=3, read_only=True
    )
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)

    class Meta:
        model = RequisitionLine
        fields = [
            "id",
            "item",
            "item_code",
            "item_name",
            "unit",
            "quantity",
            "issued",
            "outstanding",
            "in_stock",
            "note",
        ]


class RequisitionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    requester_name = serializers.CharField(source="requester.real_name", read_only=True)

    class Meta:
        model = Requisition
        fields = [
            "id",
            "number",
            "school",
            "status",
            "status_display",
            "department",
            "department_name",
            "requester",
            "requester_name",
            "purpose",
            "needed_by",
            "estimated_amount",
            "needs_approval",
            "approval_reason",
            "submitted_at",
            "issued_at",
            "received_at",
            "created_at",
        ]
        read_only_fields = fields


class RequisitionDetailSerializer(RequisitionSerializer):
    lines = RequisitionLineSerializer(many=True, read_only=True)
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(RequisitionSerializer.Meta):
        fields = [*RequisitionSerializer.Meta.fields, "lines", "warnings"]
        read_only_fields = fields


class NewLineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    item = serializers.PrimaryKeyRelatedField(
        queryset=StockItem.objects.all(), error_messages=UNKNOWN
    )
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=Decimal("0.001"))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RequisitionCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), error_messages=UNKNOWN
    )
    purpose = serializers.CharField(max_length=300)
    needed_by = serializers.DateField(required=False, allow_null=True)
    lines = NewLineSerializer(many=True)
    submit = serializers.BooleanField(
        required=False, default=False, help_text=_("Submit at once (else a draft).")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        fields: Any = self.fields
        fields["department"].queryset = Department.objects.visible_to(
            user, "inventory.add_requisition"
        )
        fields["lines"].child.fields["item"].queryset = StockItem.objects.visible_to(
            user, "inventory.add_requisition"
        ).filter(is_active=True)


class QuantitySerializer(serializers.Serializer):  # type: ignore[type-arg]
    line = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=Decimal("0"))


class IssueSerializer(serializers.Serializer):  # type: ignore[type-arg]
    lines = QuantitySerializer(many=True, help_text=_("The quantity to issue now per line."))


class RequisitionReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
