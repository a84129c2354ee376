"""``/api/v1/repair-categories/``: the repair categories (水/电/木工…) for clients' forms,
read only. They are shared by every school; whoever reports repairs or sees orders reads them."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers

from houqin.api.views.base import ScopedViewSet
from houqin.core.filters import YesNoFilter

from ..models import RepairCategory
from .common import REPORT, VIEW_ORDERS, HoldsAnyPermission


class RepairCategorySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    label = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = RepairCategory
        fields = ["id", "code", "name", "name_en", "label", "icon", "sort_order", "is_active"]
        read_only_fields = fields


class RepairCategoryFilter(django_filters.FilterSet):
    is_active = YesNoFilter(field_name="is_active", label=_("in use"))

    class Meta:
        model = RepairCategory
        fields = ["is_active"]


class RepairCategoryViewSet(mixins.ListModelMixin, ScopedViewSet):
    queryset = RepairCategory.objects.all()
    serializer_class = RepairCategorySerializer
    permission_classes = [HoldsAnyPermission]
    filterset_class = RepairCategoryFilter
    search_fields = ("code", "name", "name_en")
    ordering_fields = ("sort_order", "code", "name")
    ordering = ("sort_order", "code")

    def required_permissions(self) -> tuple[str, ...]:
        return (REPORT, VIEW_ORDERS, "maintenance.view_repaircategory")

    def get_queryset(self) -> QuerySet[Any]:
        return RepairCategory.objects.all()


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [
    ("repair-categories", RepairCategoryViewSet, "repaircategory")
]
