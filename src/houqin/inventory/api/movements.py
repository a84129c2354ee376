"""``/api/v1/stock-movements/``: the stock ledger, read only, filtered like the web's list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from houqin.api.views.base import ReadOnlyScopedViewSet
from houqin.core.scoping import school_ids

from ..filters_items import StockMovementFilter
from ..models import StockMovement
from .serializers_items import StockMovementSerializer


class StockMovementViewSet(ReadOnlyScopedViewSet):
    queryset = StockMovement.objects.all()
    serializer_class = StockMovementSerializer
    filterset_class = StockMovementFilter
    search_fields = ("reason", "reference", "item__name", "item__code")
    ordering_fields = ("at", "quantity", "amount")
    ordering = ("-at",)

    def get_queryset(self) -> QuerySet[Any]:
        # Ledger rows carry their school but no scoped manager: narrow by the schools where
        # the user holds ``view_stockmovement``.
        perm = self.required_permission()
        return StockMovement.objects.filter(
            school_id__in=school_ids(self.request.user, perm)
        ).select_related("item")


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [("stock-movements", StockMovementViewSet, "stockmovement")]
