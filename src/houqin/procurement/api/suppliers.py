"""``/api/v1/suppliers/``: the suppliers of the user's schools with their qualifications
(read only, nested), order figures and rating; create, change and delete them.
``?qualifications=expiring`` lists those with a qualification expiring or expired."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from houqin.api.views.base import WritableScopedViewSet, acting
from houqin.core.scoping import school_ids

from ..filters_suppliers import SupplierFilter
from ..models import Supplier, SupplierQualification
from ..services.suppliers import supplier_figures, supplier_save
from .serializers_suppliers import SupplierSerializer


class SupplierViewSet(WritableScopedViewSet):
    queryset = Supplier.objects.all()
    serializer_class = SupplierSerializer
    filterset_class = SupplierFilter
    search_fields = ("name", "credit_code", "supplies", "contact_person")
    ordering_fields = ("name", "rating", "order_count", "order_amount", "created_at")
    ordering = ("name",)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "qualifications",
                    queryset=SupplierQualification.objects.order_by("valid_until", "pk"),
                )
            )
        )
        allowed = school_ids(self.request.user, self.required_permission())
        return supplier_figures(queryset, timezone.localdate(), allowed)

    def perform_create(self, serializer: Any) -> None:
        with acting(self.request):
            serializer.save_with(supplier_save, self.request.user)

    def perform_update(self, serializer: Any) -> None:
        with acting(self.request):
            serializer.save_with(supplier_save, self.request.user)

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().create(request, *args, **kwargs)
        return self._fresh(response)

    def update(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().update(request, *args, **kwargs)
        return self._fresh(response)

    def _fresh(self, response: Any) -> Any:
        """Answer with the saved supplier's figures (the annotations of the list)."""
        pk = response.data.get("id")
        fresh = self.get_queryset().filter(pk=pk).first()
        if fresh is not None:
            response.data = self.get_serializer(fresh).data
        return response


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [("suppliers", SupplierViewSet, "supplier")]
