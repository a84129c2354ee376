"""``/api/v1/purchase-orders/``: list (filtered, paged), retrieve (lines and quotes), and the
actions consolidate (open request lines → a draft order), place, cancel and close, each
calling one service of ``services.orders``; a refusal is a 400 with the message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.api.views.base import ScopedViewSet, acting
from houqin.core.filters import ScopedFilterSet
from houqin.core.scoping import school_ids
from houqin.core.workflow import TransitionError

from ..choices import OrderStatus
from ..models import PurchaseOrder, PurchaseRequestLine, Quotation, Supplier
from ..services import orders as services
from ..services.orders import OrderError
from . import serializers_orders as s

VIEW = "procurement.view_purchaseorder"
ADD = "procurement.add_purchaseorder"
CHANGE = "procurement.change_purchaseorder"
PERMISSIONS = {"consolidate": ADD, "place": CHANGE, "cancel": CHANGE, "close": CHANGE}
ERRORS = (OrderError, TransitionError)


def refused(exc: Exception) -> exceptions.ValidationError:
    return exceptions.ValidationError({"detail": [str(exc)]})


class PurchaseOrderFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, label=gettext_lazy("status"))
    supplier = django_filters.ModelChoiceFilter(
        queryset=Supplier.objects.all(), label=gettext_lazy("supplier")
    )
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=gettext_lazy("created from")
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=gettext_lazy("created until")
    )

    class Meta:
        model = PurchaseOrder
        fields = ["status", "supplier", "created_after", "created_before"]


def with_details(queryset: QuerySet[PurchaseOrder]) -> QuerySet[PurchaseOrder]:
    return queryset.select_related("supplier", "purchaser").prefetch_related(
        "lines",
        "evaluators",
        Prefetch(
            "quotations",
            queryset=Quotation.objects.select_related("supplier").prefetch_related("lines"),
        ),
    )


class PurchaseOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = PurchaseOrder.objects.all()
    serializer_class = s.PurchaseOrderSerializer
    filterset_class = PurchaseOrderFilter
    search_fields = ("number", "title", "supplier__name")
    ordering_fields = ("created_at", "number", "total", "status")
    ordering = ("-created_at",)
    http_method_names = ["get", "post", "head"]

    def required_permission(self) -> str:
        return PERMISSIONS.get(self.action or "", VIEW)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset.select_related("supplier", "purchaser")
        return with_details(queryset)

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return s.PurchaseOrderDetailSerializer
        return s.PurchaseOrderSerializer

    def _detail(self, pk: int, created: bool = False) -> Response:
        order = with_details(PurchaseOrder.objects.all()).get(pk=pk)
        body = s.PurchaseOrderDetailSerializer(order, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=s.ConsolidateSerializer, responses=s.PurchaseOrderDetailSerializer)
    @action(detail=False, methods=["post"])
    def consolidate(self, request: Request) -> Response:
        """后勤统一采购: open lines of approved requests (ids) become one draft order; lines
        of the same goods are added together."""
        payload = s.ConsolidateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        lines = list(
            PurchaseRequestLine.objects.filter(
                pk__in=data["lines"], request__school_id__in=school_ids(request.user, ADD)
            )
        )
        if len(lines) != len(set(data["lines"])):
            raise exceptions.ValidationError({"lines": [_("Unknown line.")]})
        try:
            with acting(request):
                order = services.purchase_order_consolidate(
                    actor=request.user,
                    lines=lines,
                    title=data["title"],
                    supplier=data.get("supplier"),
                    expected_on=data.get("expected_on"),
                )
        except ERRORS as exc:
            raise refused(exc) from exc
        return self._detail(order.pk, created=True)

    def _act(self, request: Request, work: Callable[[PurchaseOrder, str], Any]) -> Response:
        order = self.get_object()
        reason = ""
        if self.action in ("cancel", "close"):
            payload = s.PurchaseOrderReasonSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            reason = payload.validated_data["reason"]
        try:
            with acting(request):
                work(order, reason)
        except ERRORS as exc:
            raise refused(exc) from exc
        return self._detail(order.pk)

    @extend_schema(request=None, responses=s.PurchaseOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def place(self, request: Request, pk: str | None = None) -> Response:
        """Place the order with its supplier; refused with everything still missing (quotes,
        evaluators, reason, purchase intention, supplier, prices)."""
        return self._act(
            request,
            lambda order, _r: services.purchase_order_place(actor=request.user, order=order),
        )

    @extend_schema(
        request=s.PurchaseOrderReasonSerializer, responses=s.PurchaseOrderDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel an order nothing was received for: its request lines go back to be ordered."""
        return self._act(
            request,
            lambda order, reason: services.purchase_order_cancel(
                actor=request.user, order=order, reason=reason
            ),
        )

    @extend_schema(
        request=s.PurchaseOrderReasonSerializer, responses=s.PurchaseOrderDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close the order; what was not delivered is cancelled on the requests."""
        return self._act(
            request,
            lambda order, reason: services.purchase_order_close(
                actor=request.user, order=order, reason=reason
            ),
        )


ROUTES: list[tuple[str, Any, str]] = [
    ("purchase-orders", PurchaseOrderViewSet, "purchaseorder"),
]
