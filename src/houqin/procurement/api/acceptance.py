"""``/api/v1/acceptances/``: list, retrieve, create (a draft acceptance of a placed order)
and confirm (stock, asset cards, budget, requests, order, supplier rating in one go)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.api.views.base import ScopedViewSet, acting
from houqin.core.filters import ScopedFilterSet
from houqin.core.workflow import TransitionError

from ..choices import AcceptanceStatus
from ..forms_orders import school_people
from ..models import Acceptance, PurchaseOrder
from ..services.acceptance import LineInput, acceptance_confirm, acceptance_save
from ..services.orders import OrderError
from . import serializers_orders as s

PERMISSIONS = {
    "create": "procurement.add_acceptance",
    "confirm": "procurement.accept_purchaseorder",
}


class AcceptanceFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(
        choices=AcceptanceStatus.choices, label=gettext_lazy("status")
    )
    order = django_filters.ModelChoiceFilter(
        queryset=PurchaseOrder.objects.all(), label=gettext_lazy("purchase order")
    )

    class Meta:
        model = Acceptance
        fields = ["status", "order"]


class AcceptanceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    queryset = Acceptance.objects.all()
    serializer_class = s.AcceptanceSerializer
    filterset_class = AcceptanceFilter
    search_fields = ("number", "order__number", "delivery_note")
    ordering_fields = ("delivered_on", "number")
    ordering = ("-delivered_on", "-id")
    http_method_names = ["get", "post", "head"]

    def required_permission(self) -> str:
        return PERMISSIONS.get(self.action or "", "procurement.view_acceptance")

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset().select_related("order")
        if self.action == "list":
            return queryset
        return queryset.prefetch_related("lines__order_line", "acceptors")

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return s.AcceptanceDetailSerializer
        if self.action == "create":
            return s.AcceptanceCreateSerializer
        return s.AcceptanceSerializer

    def _detail(self, pk: int, created: bool = False) -> Response:
        found = (
            Acceptance.objects.select_related("order")
            .prefetch_related("lines__order_line", "acceptors")
            .get(pk=pk)
        )
        body = s.AcceptanceDetailSerializer(found, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=s.AcceptanceCreateSerializer, responses=s.AcceptanceDetailSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a delivery of a placed order: per line what was delivered and accepted (all
        of it when ``accepted`` is left out); the rest goes back to the supplier."""
        payload = s.AcceptanceCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        order = data["order"]
        lines = [
            LineInput(
                row["order_line"],
                row["delivered"],
                row["delivered"] if row.get("accepted") is None else row["accepted"],
                row.get("note", ""),
            )
            for row in data["lines"]
        ]
        people = list(
            school_people(order.school_id).filter(pk__in=[p.pk for p in data["acceptors"]])
        )
        if len(people) != len({p.pk for p in data["acceptors"]}):
            raise exceptions.ValidationError({"acceptors": [_("Not a member of this school.")]})
        try:
            with acting(request):
                acceptance = acceptance_save(
                    actor=request.user,
                    order=order,
                    delivered_on=data["delivered_on"],
                    delivery_note=data.get("delivery_note", ""),
                    quality_score=data["quality_score"],
                    notes=data.get("notes", ""),
                    acceptors=people,
                    lines=lines,
                )
        except (OrderError, TransitionError) as exc:
            raise exceptions.ValidationError({"detail": [str(exc)]}) from exc
        return self._detail(acceptance.pk, created=True)

    @extend_schema(request=None, responses=s.AcceptanceDetailSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Confirm: stock in, asset cards, budget spent, order and requests updated."""
        acceptance = self.get_object()
        try:
            with acting(request):
                acceptance_confirm(actor=request.user, acceptance=acceptance)
        except (OrderError, TransitionError) as exc:
            raise exceptions.ValidationError({"detail": [str(exc)]}) from exc
        return self._detail(acceptance.pk)


ROUTES: list[tuple[str, Any, str]] = [("acceptances", AcceptanceViewSet, "acceptance")]
