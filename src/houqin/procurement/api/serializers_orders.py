"""Purchase orders and acceptances in the API: list rows, the full order with its lines and
quotes, the full acceptance with its lines, and the payload of each action."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import (
    Acceptance,
    AcceptanceLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Quotation,
    Supplier,
)

UNKNOWN = {"does_not_exist": _("Unknown or not yours."), "incorrect_type": _("Unknown.")}


class OrderLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "item_name",
            "specification",
            "unit",
            "quantity",
            "estimated_price",
            "unit_price",
            "amount",
            "stock_item",
            "is_asset",
            "received",
            "returned",
        ]
        read_only_fields = fields


class QuotationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    prices = serializers.SerializerMethodField()

    class Meta:
        model = Quotation
        fields = [
            "id",
            "supplier",
            "supplier_name",
            "total",
            "quoted_on",
            "valid_until",
            "delivery_days",
            "is_chosen",
            "prices",
        ]
        read_only_fields = fields

    def get_prices(self, quotation: Quotation) -> dict[str, str]:
        return {str(line.order_line_id): str(line.unit_price) for line in quotation.lines.all()}


class PurchaseOrderSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True, allow_null=True)
    purchaser_name = serializers.CharField(source="purchaser", read_only=True)
    savings = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "number",
            "school",
            "title",
            "status",
            "status_display",
            "supplier",
            "supplier_name",
            "purchaser",
            "purchaser_name",
            "estimated_total",
            "total",
            "savings",
            "expected_on",
            "placed_at",
            "created_at",
        ]
        read_only_fields = fields


class PurchaseOrderDetailSerializer(PurchaseOrderSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)
    quotations = QuotationSerializer(many=True, read_only=True)
    evaluators = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(PurchaseOrderSerializer.Meta):
        fields = [
            *PurchaseOrderSerializer.Meta.fields,
            "delivery_address",
            "choice_reason",
            "evaluators",
            "intention_published_on",
            "intention_url",
            "notes",
            "lines",
            "quotations",
        ]
        read_only_fields = fields


class ConsolidateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    lines = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=500,
    )
    title = serializers.CharField(max_length=200)
    supplier = serializers.PrimaryKeyRelatedField(
        queryset=Supplier.objects.all(), required=False, allow_null=True, error_messages=UNKNOWN
    )
    expected_on = serializers.DateField(required=False, allow_null=True)


class PurchaseOrderReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=500)


class AcceptanceLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    item_name = serializers.CharField(source="order_line.item_name", read_only=True)

    class Meta:
        model = AcceptanceLine
        fields = ["id", "order_line", "item_name", "delivered", "accepted", "rejected", "note"]
        read_only_fields = fields


class AcceptanceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    order_number = serializers.CharField(source="order.number", read_only=True)

    class Meta:
        model = Acceptance
        fields = [
            "id",
            "number",
            "school",
            "order",
            "order_number",
            "status",
            "status_display",
            "result",
            "delivered_on",
            "delivery_note",
            "quality_score",
            "amount",
            "confirmed_at",
        ]
        read_only_fields = fields


class AcceptanceDetailSerializer(AcceptanceSerializer):
    lines = AcceptanceLineSerializer(many=True, read_only=True)
    acceptors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(AcceptanceSerializer.Meta):
        fields = [*AcceptanceSerializer.Meta.fields, "notes", "acceptors", "recorded_by", "lines"]
        read_only_fields = fields


class AcceptanceLineInput(serializers.Serializer):  # type: ignore[type-arg]
    order_line = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    delivered = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
    accepted = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=0, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AcceptanceCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    order = serializers.PrimaryKeyRelatedField(
        queryset=PurchaseOrder.objects.all(), error_messages=UNKNOWN
    )
    delivered_on = serializers.DateField()
    delivery_note = serializers.CharField(max_length=60, required=False, allow_blank=True)
    quality_score = serializers.IntegerField(min_value=1, max_value=5, default=5)
    notes = serializers.CharField(required=False, allow_blank=True)
    acceptors = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), many=True, error_messages=UNKNOWN
    )
    lines = AcceptanceLineInput(many=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        self.fields["order"].queryset = PurchaseOrder.objects.visible_to(
            user, "procurement.add_acceptance"
        )
