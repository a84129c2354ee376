"""``/api/v1/stock-items/``: the store's items (list, retrieve, create, change, delete when
never used) with their running totals read only, and ``move``: a manual movement through
the stock ledger (refusals such as "not enough in stock" are 400 with the message)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.api.views.base import WritableScopedViewSet, _integrity, acting

from ..filters_items import StockItemFilter
from ..models import StockItem
from ..services.items import item_save, manual_move
from ..services.stock import StockError
from .serializers_items import MoveResultSerializer, MoveSerializer, StockItemSerializer

MOVE = "inventory.move_stock"


class StockRefused(exceptions.ValidationError):
    """The stock ledger refused the movement (not enough in stock, wrong department…)."""

    default_code = "stock_refused"


class StockItemViewSet(WritableScopedViewSet):
    queryset = StockItem.objects.all()
    serializer_class = StockItemSerializer
    filterset_class = StockItemFilter
    search_fields = ("name", "code", "specification")
    ordering_fields = ("code", "name", "quantity", "value", "category", "shelf")
    ordering = ("code",)

    def required_permission(self) -> str:
        if self.action == "move":
            return MOVE
        return super().required_permission()

    def get_serializer_class(self) -> Any:
        if self.action == "move":
            return MoveSerializer
        return StockItemSerializer

    def _save(self, serializer: Any) -> None:
        instance = serializer.instance or StockItem()
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        try:
            with acting(self.request), _integrity():
                serializer.instance = item_save(actor=self.request.user, item=instance)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer)

    @extend_schema(request=MoveSerializer, responses=MoveResultSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Receive without an order, issue directly, return to the store, or scrap."""
        item = self.get_object()
        payload = MoveSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            with acting(request):
                movement = manual_move(
                    actor=request.user,
                    item=item,
                    kind=data["kind"],
                    quantity=data["quantity"],
                    reason=data["reason"],
                    unit_cost=data.get("unit_cost"),
                    department=data.get("department"),
                    person=data.get("person"),
                    supplier_note=data.get("supplier_note") or "",
                )
        except StockError as exc:
            raise StockRefused(str(exc)) from exc
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        item.refresh_from_db()
        body = MoveResultSerializer(
            {"movement": movement, "item": item}, context=self.get_serializer_context()
        )
        return Response(body.data, status=201)


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [("stock-items", StockItemViewSet, "stockitem")]
