"""``/api/v1/requisitions/``: staff see their own and their department's requisitions (the
store and the office every one of their schools), create them with lines (a draft, or
submitted at once), and act on them: submit, issue (the store), confirm, cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.api.views.base import ScopedViewSet, acting
from houqin.core.filters import ScopedFilterSet
from houqin.org.models import Department

from ..choices import RequisitionStatus
from ..models import Requisition
from ..services import requisitions as services
from . import serializers_requisitions as s

VIEW = "inventory.view_requisition"
ADD = "inventory.add_requisition"
PERMISSIONS = {"create": ADD, "issue": services.MOVE_STOCK}


class RequisitionFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(
        choices=RequisitionStatus.choices, label=gettext_lazy("status")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=gettext_lazy("department")
    )

    class Meta:
        model = Requisition
        fields = ["status", "department", "needs_approval"]


class RequisitionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    queryset = Requisition.objects.all()
    serializer_class = s.RequisitionSerializer
    filterset_class = RequisitionFilter
    search_fields = ("number", "purpose")
    ordering_fields = ("created_at", "number", "status", "submitted_at")
    ordering = ("-created_at",)
    http_method_names = ["get", "post", "head"]

    def required_permission(self) -> str:
        return PERMISSIONS.get(self.action or "", VIEW)

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("department", "requester")
            .prefetch_related("lines__item")
        )

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return s.RequisitionDetailSerializer
        if self.action == "create":
            return s.RequisitionCreateSerializer
        return s.RequisitionSerializer

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        found = (
            Requisition.objects.select_related("department", "requester")
            .prefetch_related("lines__item")
            .get(pk=pk)
        )
        found.warnings = services.stock_warnings(found)  # type: ignore[attr-defined]
        return Response(s.RequisitionDetailSerializer(found).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(request=s.RequisitionCreateSerializer, responses=s.RequisitionDetailSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A requisition with its lines: a draft, or ``submit`` to send it on at once (to
        approval when over the department's quota or for restricted items)."""
        payload = s.RequisitionCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            with acting(request):
                saved = services.requisition_save(
                    actor=request.user,
                    requisition=Requisition(
                        department=data["department"],
                        purpose=data["purpose"],
                        needed_by=data.get("needed_by"),
                    ),
                    lines=[
                        services.LineInput(row["item"], row["quantity"], row.get("note", ""))
                        for row in data["lines"]
                    ],
                    submit=data.get("submit", False),
                )
        except services.REFUSALS as exc:
            raise exceptions.ValidationError(str(exc)) from exc
        return self._detail(saved.pk, status.HTTP_201_CREATED)

    def _act(self, request: Request, work: Callable[[Requisition], Any]) -> Response:
        requisition = self.get_object()
        try:
            with acting(request):
                work(requisition)
        except services.REFUSALS as exc:
            raise exceptions.ValidationError(str(exc)) from exc
        return self._detail(requisition.pk)

    @extend_schema(request=None, responses=s.RequisitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Send a draft (or a returned requisition) on: to approval or straight to the store."""
        return self._act(
            request, lambda r: services.requisition_submit(actor=request.user, requisition=r)
        )

    @extend_schema(request=s.IssueSerializer, responses=s.RequisitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str | None = None) -> Response:
        """The store issues per line the quantity given (partial issue allowed)."""
        self.get_object()  # another school's requisition is a 404 before the payload is read
        payload = s.IssueSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        quantities = {row["line"]: row["quantity"] for row in payload.validated_data["lines"]}
        return self._act(
            request,
            lambda r: services.requisition_issue(
                actor=request.user, requisition=r, quantities=quantities
            ),
        )

    @extend_schema(request=None, responses=s.RequisitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """The requester confirms receipt of what was issued."""
        return self._act(
            request, lambda r: services.requisition_confirm(actor=request.user, requisition=r)
        )

    @extend_schema(request=s.RequisitionReasonSerializer, responses=s.RequisitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel while nothing has been issued (the requester or the store)."""
        payload = s.RequisitionReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        reason = payload.validated_data.get("reason", "")
        return self._act(
            request,
            lambda r: services.requisition_cancel(actor=request.user, requisition=r, reason=reason),
        )


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [("requisitions", RequisitionViewSet, "requisition")]
