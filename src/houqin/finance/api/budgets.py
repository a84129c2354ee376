"""``/api/v1/budgets/`` (budget lines with what is available; list, retrieve, create, change)
and ``/api/v1/budget-adjustments/`` (create, change while a draft, ``submit`` and
``withdraw``). Every write calls one service; a refusal is a 400 with the message."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.api.views.base import ReadOnlyScopedViewSet, _integrity, acting
from houqin.approvals.services import ApprovalError
from houqin.core.filters import ScopedFilterSet
from houqin.core.workflow import TransitionError
from houqin.org.models import SchoolYear

from ..filters_budgets import USAGE, with_usage
from ..models import BudgetAdjustment, BudgetAdjustmentStatus, BudgetLine, ExpenseCategory
from ..services import adjustments as adjustment_services
from ..services.budget_lines import budget_line_save
from ..services.budgets import BudgetError
from .serializers_budgets import (
    BudgetAdjustmentSerializer,
    BudgetLineSerializer,
    WithdrawSerializer,
)

REFUSALS: tuple[type[Exception], ...] = (
    BudgetError,
    ApprovalError,
    TransitionError,
    DjangoValidationError,
)


class BudgetRefused(exceptions.ValidationError):
    default_code = "budget_refused"


def refused(exc: Exception) -> exceptions.ValidationError:
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(serializers.as_serializer_error(exc))
    return BudgetRefused(str(exc))


class BudgetLineApiFilter(ScopedFilterSet):
    year = django_filters.ModelChoiceFilter(
        field_name="school_year", queryset=SchoolYear.objects.all(), label=_("school year")
    )
    category = django_filters.ChoiceFilter(choices=ExpenseCategory.choices, label=_("category"))
    usage = django_filters.ChoiceFilter(choices=USAGE, label=_("usage"), method="filter_usage")

    class Meta:
        model = BudgetLine
        fields = ["year", "department", "category", "usage"]

    def filter_usage(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return with_usage(queryset, value)


class BudgetLineViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyScopedViewSet):
    queryset = BudgetLine.objects.all()
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineApiFilter
    search_fields = ("department__name", "notes")
    ordering_fields = ("amount", "committed", "spent", "category")
    ordering = ("-school_year__start", "department__sort_order", "category")
    http_method_names = ["get", "post", "put", "patch", "head"]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("school_year", "department")

    def _save(self, serializer: Any) -> None:
        line = serializer.instance or BudgetLine()
        for name, value in serializer.validated_data.items():
            setattr(line, name, value)
        try:
            with acting(self.request), _integrity():
                serializer.instance = budget_line_save(actor=self.request.user, line=line)
        except REFUSALS as exc:
            raise refused(exc) from exc

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer)


class AdjustmentApiFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=BudgetAdjustmentStatus.choices, label=_("status"))

    class Meta:
        model = BudgetAdjustment
        fields = ["status", "line"]


class BudgetAdjustmentViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyScopedViewSet
):
    queryset = BudgetAdjustment.objects.all()
    serializer_class = BudgetAdjustmentSerializer
    filterset_class = AdjustmentApiFilter
    search_fields = ("number", "reason")
    ordering_fields = ("created_at", "number", "delta")
    ordering = ("-created_at",)
    http_method_names = ["get", "post", "put", "patch", "head"]

    def required_permission(self) -> str:
        if self.action in ("submit", "withdraw"):
            return "finance.view_budgetadjustment"
        return super().required_permission()

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("line__school_year", "line__department", "requester")
        )

    def get_serializer_class(self) -> Any:
        if self.action == "withdraw":
            return WithdrawSerializer
        return BudgetAdjustmentSerializer

    def _save(self, serializer: Any) -> None:
        adjustment = serializer.instance or BudgetAdjustment()
        for name, value in serializer.validated_data.items():
            setattr(adjustment, name, value)
        try:
            with acting(self.request), _integrity():
                serializer.instance = adjustment_services.adjustment_save(
                    actor=self.request.user, adjustment=adjustment
                )
        except REFUSALS as exc:
            raise refused(exc) from exc

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer)

    def _answer(self, adjustment: BudgetAdjustment) -> Response:
        fresh = self.get_queryset().get(pk=adjustment.pk)
        return Response(
            BudgetAdjustmentSerializer(fresh, context=self.get_serializer_context()).data
        )

    @extend_schema(request=None, responses=BudgetAdjustmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Send the adjustment to its approval chain (or again after a return or withdrawal)."""
        adjustment = self.get_object()
        try:
            with acting(request):
                adjustment_services.adjustment_submit(actor=request.user, adjustment=adjustment)
        except REFUSALS as exc:
            raise refused(exc) from exc
        return self._answer(adjustment)

    @extend_schema(request=WithdrawSerializer, responses=BudgetAdjustmentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Take a pending (or returned) adjustment back."""
        adjustment = self.get_object()
        payload = WithdrawSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            with acting(request):
                adjustment_services.adjustment_withdraw(
                    actor=request.user,
                    adjustment=adjustment,
                    reason=payload.validated_data.get("reason", ""),
                )
        except REFUSALS as exc:
            raise refused(exc) from exc
        return self._answer(adjustment)


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [
    ("budgets", BudgetLineViewSet, "budgetline"),
    ("budget-adjustments", BudgetAdjustmentViewSet, "budgetadjustment"),
]
