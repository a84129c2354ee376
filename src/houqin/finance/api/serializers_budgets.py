"""Budget lines and budget adjustments in the API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from houqin.core.views.mixins import narrow
from houqin.org.models import Department, SchoolYear

from ..models import BudgetAdjustment, BudgetLine

ADD_LINE = "finance.add_budgetline"
CHANGE_LINE = "finance.change_budgetline"
ADD_ADJUSTMENT = "finance.add_budgetadjustment"


def _unknown(what: Any) -> dict[str, Any]:
    return {"does_not_exist": what, "incorrect_type": what}


class BudgetLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A line with its money: ``available`` = amount − committed − spent. The school is the
    department's; once money has moved on a line its amount changes only by adjustment."""

    school_year = serializers.PrimaryKeyRelatedField(
        queryset=SchoolYear.objects.none(), error_messages=_unknown(_("Unknown school year."))
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.none(), error_messages=_unknown(_("Unknown department."))
    )
    school_year_name = serializers.CharField(source="school_year.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    available = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    used_percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "school",
            "school_year",
            "school_year_name",
            "department",
            "department_name",
            "category",
            "category_display",
            "amount",
            "initial_amount",
            "committed",
            "spent",
            "available",
            "used_percent",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "school",
            "initial_amount",
            "committed",
            "spent",
            "created_at",
            "updated_at",
        ]
        validators: list[Any] = []  # the unique line is checked by the service's full_clean

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        perm = CHANGE_LINE if self.instance is not None else ADD_LINE
        fields["school_year"].queryset = narrow(SchoolYear.objects.all(), user, perm)
        fields["department"].queryset = narrow(Department.objects.all(), user, perm)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = self.instance
        year = attrs.get("school_year", getattr(current, "school_year", None))
        department = attrs.get("department", getattr(current, "department", None))
        if year is not None and department is not None and year.school_id != department.school_id:
            raise serializers.ValidationError(
                {"school_year": [_("Choose a school year of the department's school.")]}
            )
        return attrs


class BudgetAdjustmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An adjustment: ``delta`` positive raises the budget, negative lowers it; it applies once
    approved (``submit`` sends it to the approval chain)."""

    line = serializers.PrimaryKeyRelatedField(
        queryset=BudgetLine.objects.none(), error_messages=_unknown(_("Unknown budget line."))
    )
    line_label = serializers.CharField(source="line", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    requester_name = serializers.CharField(source="requester", read_only=True)

    class Meta:
        model = BudgetAdjustment
        fields = [
            "id",
            "number",
            "school",
            "line",
            "line_label",
            "delta",
            "reason",
            "status",
            "status_display",
            "requester",
            "requester_name",
            "decided_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "number",
            "school",
            "status",
            "requester",
            "decided_at",
            "created_at",
            "updated_at",
        ]

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["line"].queryset = narrow(
            BudgetLine.objects.select_related("school_year", "department"), user, ADD_ADJUSTMENT
        )
        return fields

    def validate_delta(self, value: Any) -> Any:
        if value == 0:
            raise serializers.ValidationError(_("The change cannot be zero."))
        return value


class WithdrawSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
