"""Damage reports in the API: read everything, create a report, assess, notify, pay."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from houqin.core.views.mixins import narrow
from houqin.org.models import Room, School

from ..models import Asset, CompensationPriceItem, DamageReport
from ..services.damage import ADD, amount_due

READ_ONLY = [
    "id",
    "number",
    "status",
    "status_display",
    "item_label",
    "responsible_label",
    "reporter",
    "method",
    "computed_amount",
    "rule_text",
    "assessed_amount",
    "adjust_reason",
    "proposed_amount",
    "waiver_reason",
    "amount_due",
    "notified_at",
    "paid_amount",
    "receipt_number",
    "paid_at",
    "created_at",
    "updated_at",
]


class DamageReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    item_label = serializers.CharField(read_only=True)
    responsible_label = serializers.CharField(read_only=True)
    amount_due = serializers.SerializerMethodField()
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all(), required=False)
    mark_under_repair = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = DamageReport
        fields = [
            *READ_ONLY[:2],
            "school",
            "asset",
            "price_item",
            "item_name",
            "quantity",
            "room",
            "occurred_at",
            "description",
            "responsible_kind",
            "responsible_user",
            "responsible_name",
            "student_class",
            "deliberate",
            "mark_under_repair",
            *READ_ONLY[2:],
        ]
        read_only_fields = READ_ONLY
        validators: list[Any] = []  # the service checks the report

    def get_amount_due(self, report: DamageReport) -> Decimal | None:
        return amount_due(report)

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name, model in (
            ("school", School),
            ("asset", Asset),
            ("price_item", CompensationPriceItem),
            ("room", Room),
        ):
            fields[name].queryset = narrow(model.objects.all(), user, ADD)
        fields["responsible_user"].queryset = narrow(get_user_model().objects.all(), user, None)
        return fields


class AssessSerializer(serializers.Serializer):  # type: ignore[type-arg]
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=Decimal(0)
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class PaymentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    receipt_number = serializers.CharField(max_length=50)
    paid_at = serializers.DateTimeField(required=False, allow_null=True)
