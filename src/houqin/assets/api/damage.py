"""``/api/v1/damage-reports/``: list, retrieve and report damage; assess, notify and record
the payment as POST actions, each calling one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.api.views.base import ReadOnlyScopedViewSet, acting
from houqin.core.scoping import school_ids
from houqin.core.workflow import TransitionError

from ..filters_damage import DamageReportFilter
from ..models import DamageReport
from ..services import damage as services
from . import serializers_damage as s

ACTION_PERMISSIONS = {
    "assess": services.ASSESS,
    "notify": services.ASSESS,
    "pay": services.RECORD,
}


def _refused(exc: Exception) -> serializers.ValidationError:
    if isinstance(exc, DjangoValidationError):
        return serializers.ValidationError(serializers.as_serializer_error(exc))
    return serializers.ValidationError({"non_field_errors": [str(exc)]})


class DamageReportViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Members see the reports they made or are responsible for; asset keepers, accountants
    and report readers see all of their schools'."""

    queryset = DamageReport.objects.all()
    serializer_class = s.DamageReportSerializer
    filterset_class = DamageReportFilter
    search_fields = ("number", "item_name", "asset__name", "price_item__name", "responsible_name")
    ordering_fields = ("occurred_at", "number", "assessed_amount", "status")
    ordering = ("-occurred_at",)
    http_method_names = ["get", "post", "head"]

    def required_permission(self) -> str:
        return ACTION_PERMISSIONS.get(self.action or "", "") or super().required_permission()

    def get_queryset(self) -> QuerySet[Any]:
        visible = services.damage_visible_to(self.request.user, self.required_permission())
        return visible.select_related("asset", "price_item", "room__building", "responsible_user")

    def get_serializer_class(self) -> Any:
        if self.action == "assess":
            return s.AssessSerializer
        if self.action == "pay":
            return s.PaymentSerializer
        return s.DamageReportSerializer

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        mark = data.pop("mark_under_repair", False)
        report = DamageReport(**data)
        if not report.school_id and report.asset_id is None:
            allowed = school_ids(self.request.user, services.ADD)
            if len(allowed) != 1:
                raise serializers.ValidationError({"school": ["Choose the school."]})
            report.school_id = allowed[0]
        try:
            with acting(self.request):
                services.damage_report(
                    actor=self.request.user, report=report, mark_under_repair=mark
                )
        except (DjangoValidationError, services.DamageError) as exc:
            raise _refused(exc) from exc
        serializer.instance = report

    def _run(
        self, request: Request, work: Callable[[DamageReport, dict[str, Any]], Any]
    ) -> Response:
        report = self.get_object()
        data: dict[str, Any] = {}
        serializer_class = self.get_serializer_class()
        if serializer_class is not s.DamageReportSerializer:
            payload = serializer_class(data=request.data)
            payload.is_valid(raise_exception=True)
            data = dict(payload.validated_data)
        try:
            with acting(request):
                work(report, data)
        except (DjangoValidationError, services.DamageError, TransitionError) as exc:
            raise _refused(exc) from exc
        fresh = self.get_queryset().model.objects.get(pk=report.pk)
        body = s.DamageReportSerializer(fresh, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_200_OK)

    @extend_schema(request=s.AssessSerializer, responses=s.DamageReportSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request: Request, pk: str | None = None) -> Response:
        """Assess the amount by the school's rule (a different amount needs a reason)."""
        return self._run(
            request,
            lambda report, data: services.damage_assess(
                actor=request.user,
                report=report,
                amount=data.get("amount"),
                reason=data.get("reason", ""),
            ),
        )

    @extend_schema(request=None, responses=s.DamageReportSerializer)
    @action(detail=True, methods=["post"])
    def notify(self, request: Request, pk: str | None = None) -> Response:
        """Issue the compensation notice."""
        return self._run(
            request, lambda report, data: services.damage_notify(actor=request.user, report=report)
        )

    @extend_schema(request=s.PaymentSerializer, responses=s.DamageReportSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str | None = None) -> Response:
        """Record the payment with its receipt number."""
        return self._run(
            request,
            lambda report, data: services.damage_record_payment(
                actor=request.user,
                report=report,
                amount=data["amount"],
                receipt_number=data["receipt_number"],
                paid_at=data.get("paid_at"),
            ),
        )


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [
    ("damage-reports", DamageReportViewSet, "damagereport"),
]
