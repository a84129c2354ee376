"""REST API of the asset register: cards (list, retrieve, create, update) and categories."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins

from houqin.api.views.base import ReadOnlyScopedViewSet, _integrity, acting
from houqin.assets.choices import CategoryLevel

from ..filters_register import AssetFilter, only_active
from ..models import Asset, AssetCategory
from .serializers_register import AssetCategorySerializer, AssetSerializer


class AssetViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyScopedViewSet):
    """Asset cards of the schools where the user may see the register. Lists show the cards
    still on the register unless ``status`` or ``show=all`` is given; writes go through the
    register service (numbering, value, depreciation, movement ledger, audit)."""

    queryset = Asset.objects.select_related("category", "room__building", "custodian", "department")
    serializer_class = AssetSerializer
    filterset_class = AssetFilter
    search_fields = ("code", "name", "serial_number", "specification", "brand")
    ordering_fields = ("code", "name", "original_value", "purchase_date")
    ordering = ("-code",)
    http_method_names = ["get", "post", "put", "patch", "head"]

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        if self.action == "list":
            queryset = only_active(queryset, self.request.query_params)
        return queryset

    def perform_create(self, serializer: Any) -> None:
        with acting(self.request), _integrity():
            serializer.save()

    def perform_update(self, serializer: Any) -> None:
        with acting(self.request), _integrity():
            serializer.save()


class AssetCategoryFilter(django_filters.FilterSet):
    parent = django_filters.ModelChoiceFilter(
        queryset=AssetCategory.objects.all(), label=_("parent category")
    )
    level = django_filters.ChoiceFilter(choices=CategoryLevel.choices, label=_("level"))

    class Meta:
        model = AssetCategory
        fields = ["parent", "level", "is_active"]


class AssetCategoryViewSet(ReadOnlyScopedViewSet):
    """GB/T 14885 categories, shared by every school: the permission is the whole scope."""

    queryset = AssetCategory.objects.select_related("parent__parent")
    serializer_class = AssetCategorySerializer
    filterset_class = AssetCategoryFilter
    search_fields = ("name", "name_en", "code")
    ordering_fields = ("sort_order", "code", "name", "level")
    ordering = ("sort_order", "code", "name")

    def get_queryset(self) -> QuerySet[Any]:
        return self.base_queryset()


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [
    ("assets", AssetViewSet, "asset"),
    ("asset-categories", AssetCategoryViewSet, "assetcategory"),
]
