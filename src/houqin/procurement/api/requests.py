"""``/api/v1/purchase-requests/``: staff see their own requests, department heads their
department's, approvers what they decide, the purchasing office every request of the
school. Members create drafts with their lines and ``submit``, ``withdraw`` or ``cancel``
them through the same services as the web."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.api.views.base import ScopedViewSet, acting
from houqin.approvals.services import ApprovalError
from houqin.core.filters import ScopedFilterSet, YesNoFilter
from houqin.core.workflow import TransitionError
from houqin.finance.models import ExpenseCategory
from houqin.org.models import Department

from ..choices import RequestStatus
from ..models import PurchaseRequest
from ..services import requests as services
from ..services.requests import LineInput, RequestError
from . import serializers_requests as s

VIEW = "procurement.view_purchaserequest"
ADD = "procurement.add_purchaserequest"
REFUSALS: tuple[type[Exception], ...] = (
    RequestError,
    ApprovalError,
    TransitionError,
    DjangoValidationError,
)


class PurchaseRequestRefused(exceptions.ValidationError):
    """A rule of purchasing refused the request (not yours, wrong state, over budget…)."""

    default_code = "purchase_request_refused"


def refused(exc: Exception) -> PurchaseRequestRefused:
    if isinstance(exc, DjangoValidationError):
        return PurchaseRequestRefused(" ".join(exc.messages))
    return PurchaseRequestRefused(str(exc))


class PurchaseRequestFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(
        choices=RequestStatus.choices, label=gettext_lazy("status")
    )
    category = django_filters.ChoiceFilter(
        choices=ExpenseCategory.choices, label=gettext_lazy("category")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=gettext_lazy("department")
    )
    mine = YesNoFilter(label=gettext_lazy("requested by me"), method="filter_mine")

    class Meta:
        model = PurchaseRequest
        fields = ["status", "category", "department", "mine"]

    def filter_mine(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        user_id = getattr(getattr(self.request, "user", None), "pk", None)
        if value == "1":
            return queryset.filter(requester_id=user_id)
        if value == "0":
            return queryset.exclude(requester_id=user_id)
        return queryset


class PurchaseRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = PurchaseRequest.objects.all()
    serializer_class = s.PurchaseRequestSerializer
    filterset_class = PurchaseRequestFilter
    search_fields = ("number", "title")
    ordering_fields = ("created_at", "number", "status", "estimated_total", "needed_by")
    ordering = ("-created_at",)
    http_method_names = ["get", "post", "head"]

    def required_permission(self) -> str:
        return ADD if self.action == "create" else VIEW

    def base_queryset(self) -> QuerySet[Any]:
        return PurchaseRequest.objects.select_related("department", "requester").prefetch_related(
            "lines__order_line__order"
        )

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return s.PurchaseRequestCreateSerializer
        if self.action in ("withdraw", "cancel"):
            return s.PurchaseRequestReasonSerializer
        if self.action == "submit":
            return s.SubmittedSerializer
        return s.PurchaseRequestSerializer

    def _detail(self, pk: int, code: int = status.HTTP_200_OK, warning: str = "") -> Response:
        found = self.base_queryset().get(pk=pk)
        setattr(found, "warning", warning)  # noqa: B010
        serializer = s.SubmittedSerializer if warning else s.PurchaseRequestSerializer
        body = serializer(found, context=self.get_serializer_context())
        return Response(body.data, status=code)

    @extend_schema(
        request=s.PurchaseRequestCreateSerializer, responses={201: s.PurchaseRequestSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A draft request with its lines (a store item fills the name, unit and price)."""
        payload = s.PurchaseRequestCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        draft = PurchaseRequest(
            department=data["department"],
            title=data["title"],
            category=data["category"],
            budget_line=data.get("budget_line"),
            reason=data["reason"],
            needed_by=data.get("needed_by"),
        )
        lines = [
            LineInput(
                item_name=row["item_name"],
                specification=row.get("specification", ""),
                quantity=row["quantity"],
                unit=row["unit"],
                estimated_price=row["estimated_price"],
                stock_item=row.get("stock_item"),
            )
            for row in data["lines"]
        ]
        try:
            with acting(request):
                saved = services.purchase_request_save(
                    actor=request.user, request=draft, lines=lines
                )
        except REFUSALS as exc:
            raise refused(exc) from exc
        return self._detail(saved.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.SubmittedSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Send the request (again) through its approval chain. ``warning`` says when the
        budget is short and the school's policy only warns."""
        found = self.get_object()
        try:
            with acting(request):
                _saved, warning = services.purchase_request_submit(
                    actor=request.user, request=found
                )
        except REFUSALS as exc:
            raise refused(exc) from exc
        return self._detail(found.pk, warning=warning)

    @extend_schema(request=s.PurchaseRequestReasonSerializer, responses=s.PurchaseRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """The requester takes a pending request back from approval."""
        found = self.get_object()
        payload = s.PurchaseRequestReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            with acting(request):
                services.purchase_request_withdraw(
                    actor=request.user, request=found, reason=payload.validated_data["reason"]
                )
        except REFUSALS as exc:
            raise refused(exc) from exc
        return self._detail(found.pk)

    @extend_schema(request=s.PurchaseRequestReasonSerializer, responses=s.PurchaseRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel a draft, returned or withdrawn request (the requester), or an approved one
        nothing of which is ordered (the purchasing office, with a ``reason``)."""
        found = self.get_object()
        payload = s.PurchaseRequestReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            with acting(request):
                services.purchase_request_cancel(
                    actor=request.user, request=found, reason=payload.validated_data["reason"]
                )
        except REFUSALS as exc:
            raise refused(exc) from exc
        return self._detail(found.pk)


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [
    ("purchase-requests", PurchaseRequestViewSet, "purchaserequest")
]
