"""REST API of stocktakes: list, retrieve (with the figures), start, and the counting and
reconciling actions (scan, count, finish, apply), each calling one service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.api.views.base import ReadOnlyScopedViewSet, acting
from houqin.core.scoping import school_ids
from houqin.core.workflow import TransitionError

from ..models import Stocktake, StocktakeLine
from ..services import stocktakes as services
from ..services.register import AssetError
from .serializers_stocktakes import (
    ApplyResultSerializer,
    CountSerializer,
    ScanSerializer,
    StocktakeDetailSerializer,
    StocktakeLineSerializer,
    StocktakeSerializer,
    StocktakeStartSerializer,
)

#: Permission of each action beyond the standard ones.
ACTION_PERMS = {
    "scan": "assets.count_stocktake",
    "count": "assets.count_stocktake",
    "finish": "assets.change_stocktake",
    "apply": "assets.change_stocktake",
}


class StocktakeRefused(exceptions.ValidationError):
    """A rule of stocktaking refused the request (not counting, unknown code, applied…)."""

    default_code = "stocktake_refused"


def refused(exc: Exception) -> StocktakeRefused:
    if isinstance(exc, ValidationError):
        return StocktakeRefused(services.validation_message(exc))
    return StocktakeRefused(str(exc))


ERRORS = (AssetError, TransitionError, ValidationError)


class StocktakeViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Stocktakes of the schools where the user may see them; counting needs
    ``assets.count_stocktake``, finishing and applying ``assets.change_stocktake``."""

    queryset = Stocktake.objects.select_related("created_by")
    serializer_class = StocktakeSerializer
    search_fields = ("number", "name")
    ordering_fields = ("number", "created_at")
    ordering = ("-created_at",)
    filterset_fields = ("status", "scope")
    http_method_names = ["get", "post", "head"]

    def required_permission(self) -> str:
        return ACTION_PERMS.get(self.action or "", "") or super().required_permission()

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return StocktakeDetailSerializer
        if self.action == "create":
            return StocktakeStartSerializer
        if self.action == "scan":
            return ScanSerializer
        if self.action == "count":
            return CountSerializer
        return StocktakeSerializer

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if self.action == "create":
            kwargs["school_ids"] = school_ids(self.request.user, self.required_permission())
        return super().get_serializer(*args, **kwargs)

    def _detail(self, stocktake: Stocktake) -> Response:
        fresh = self.base_queryset().get(pk=stocktake.pk)
        return Response(StocktakeDetailSerializer(fresh).data)

    @extend_schema(request=StocktakeStartSerializer, responses=StocktakeDetailSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start a stocktake over a scope; one line per active asset of the scope."""
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            with acting(request):
                stocktake = services.stocktake_start(actor=request.user, **data.validated_data)
        except ERRORS as exc:
            raise refused(exc) from exc
        response = self._detail(stocktake)
        response.status_code = status.HTTP_201_CREATED
        return response

    def _line(self, stocktake: Stocktake, line: StocktakeLine) -> Response:
        fresh = StocktakeLine.objects.select_related("asset").get(pk=line.pk)
        return Response(StocktakeLineSerializer(fresh).data)

    @extend_schema(request=ScanSerializer, responses=StocktakeLineSerializer)
    @action(detail=True, methods=["post"])
    def scan(self, request: Request, pk: str | None = None) -> Response:
        """A label scanned (its URL or bare code) or an asset code typed, in a room."""
        stocktake = self.get_object()
        data = ScanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            with acting(request):
                line = services.stocktake_scan(
                    actor=request.user,
                    stocktake=stocktake,
                    code=data.validated_data["code"],
                    room=data.validated_data["room"],
                )
        except ERRORS as exc:
            raise refused(exc) from exc
        return self._line(stocktake, line)

    @extend_schema(request=CountSerializer, responses=StocktakeLineSerializer)
    @action(detail=True, methods=["post"])
    def count(self, request: Request, pk: str | None = None) -> Response:
        """Record found, damaged, missing, wrong room (with the room) or pending for a line."""
        stocktake = self.get_object()
        data = CountSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = StocktakeLine.objects.filter(
            stocktake=stocktake, pk=data.validated_data["line"]
        ).first()
        if line is None:
            raise exceptions.ValidationError({"line": [_("Not a line of this stocktake.")]})
        try:
            with acting(request):
                line = services.stocktake_count(
                    actor=request.user,
                    line=line,
                    result=data.validated_data["result"],
                    found_room=data.validated_data.get("found_room"),
                    note=data.validated_data.get("note", ""),
                )
        except ERRORS as exc:
            raise refused(exc) from exc
        return self._line(stocktake, line)

    @extend_schema(request=None, responses=StocktakeDetailSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, pk: str | None = None) -> Response:
        """Counting is over: lines still pending become missing."""
        stocktake = self.get_object()
        try:
            with acting(request):
                services.stocktake_finish_counting(actor=request.user, stocktake=stocktake)
        except ERRORS as exc:
            raise refused(exc) from exc
        return self._detail(stocktake)

    @extend_schema(request=None, responses=ApplyResultSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request: Request, pk: str | None = None) -> Response:
        """Correct the register from the result and close the stocktake (once)."""
        stocktake = self.get_object()
        try:
            with acting(request):
                done = services.stocktake_apply(actor=request.user, stocktake=stocktake)
        except ERRORS as exc:
            raise refused(exc) from exc
        return Response(ApplyResultSerializer(done).data)


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [("stocktakes", StocktakeViewSet, "stocktake")]
