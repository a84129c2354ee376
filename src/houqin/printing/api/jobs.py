"""``/api/v1/print-jobs/``: list, retrieve and create (a draft), and one POST action per
step — submit, start, done (with the sheets), collect, cancel — each calling one service."""

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
from houqin.approvals.services import ApprovalError
from houqin.core.filters import ScopedFilterSet
from houqin.core.workflow import TransitionError
from houqin.inventory.services.stock import StockError
from houqin.org.models import Department

from ..models import PrintJob, PrintStatus, Purpose
from ..services import jobs as services
from . import serializers as s

VIEW = "printing.view_printjob"
ADD = "printing.add_printjob"
OPERATE = PrintJob.OPERATE
#: What each action needs in some school (the services check the rest: whose job it is).
PERMISSIONS = {"create": ADD, "submit": ADD, "start": OPERATE, "done": OPERATE}
ERRORS = (ApprovalError, TransitionError, StockError, services.PrintingError)


class PrintingRefused(exceptions.ValidationError):
    default_code = "printing_refused"


class PrintJobFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=PrintStatus.choices, label=gettext_lazy("status"))
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, label=gettext_lazy("purpose"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=gettext_lazy("department")
    )
    mine = django_filters.BooleanFilter(method="filter_mine", label=gettext_lazy("mine"))
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = PrintJob
        fields = ["status", "purpose", "department", "mine", "created_after", "created_before"]

    def filter_mine(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        user_id = getattr(getattr(self.request, "user", None), "pk", None)
        if value is None or user_id is None:
            return queryset
        return (
            queryset.filter(requester_id=user_id)
            if value
            else queryset.exclude(requester_id=user_id)
        )


class PrintJobViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    queryset = PrintJob.objects.all()
    serializer_class = s.PrintJobSerializer
    filterset_class = PrintJobFilter
    search_fields = ("number", "title")
    ordering_fields = ("created_at", "number", "needed_by", "status")
    ordering = ("-created_at",)
    http_method_names = ["get", "post", "head"]

    def required_permission(self) -> str:
        return PERMISSIONS.get(self.action or "", VIEW)

    def get_queryset(self) -> QuerySet[Any]:
        # Every action looks the job up among those the user may see; the action's own
        # permission was checked by ``HoldsPermission`` and the service checks the rest.
        return PrintJob.objects.visible_to(self.request.user, VIEW).select_related(
            "department", "requester"
        )

    def get_serializer_class(self) -> Any:
        return s.PrintJobCreateSerializer if self.action == "create" else s.PrintJobSerializer

    def _detail(self, pk: int, created: bool = False) -> Response:
        job = self.get_queryset().get(pk=pk)
        body = s.PrintJobSerializer(job, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=s.PrintJobCreateSerializer, responses=s.PrintJobSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A new draft job of the caller (describe the original; submit it next)."""
        payload = s.PrintJobCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        try:
            with acting(request):
                job = services.print_job_save(
                    actor=request.user, job=PrintJob(**payload.validated_data)
                )
        except ERRORS as exc:
            raise PrintingRefused(str(exc)) from exc
        return self._detail(job.pk, created=True)

    def _act(
        self,
        request: Request,
        work: Callable[[PrintJob, dict[str, Any]], Any],
        payload_class: Any = None,
    ) -> Response:
        job = self.get_object()
        data: dict[str, Any] = {}
        if payload_class is not None:
            payload = payload_class(data=request.data)
            payload.is_valid(raise_exception=True)
            data = dict(payload.validated_data)
        try:
            with acting(request):
                work(job, data)
        except ERRORS as exc:
            raise PrintingRefused(str(exc)) from exc
        return self._detail(job.pk)

    @extend_schema(request=None, responses=s.PrintJobSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Submit: to approval when the school's policy says so, else to the queue."""
        return self._act(
            request, lambda job, data: services.print_job_submit(actor=request.user, job=job)
        )

    @extend_schema(request=None, responses=s.PrintJobSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        """The print room starts a queued job."""
        return self._act(
            request, lambda job, data: services.print_job_start(actor=request.user, job=job)
        )

    @extend_schema(request=s.DoneSerializer, responses=s.PrintJobSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str | None = None) -> Response:
        """The print room finished: sheets used (the estimate when left out) and spoiled;
        the paper leaves the stock of the job's size."""
        return self._act(
            request,
            lambda job, data: services.print_job_done(
                actor=request.user,
                job=job,
                sheets_used=data.get("sheets_used"),
                spoiled_sheets=data.get("spoiled_sheets", 0),
            ),
            s.DoneSerializer,
        )

    @extend_schema(request=None, responses=s.PrintJobSerializer)
    @action(detail=True, methods=["post"])
    def collect(self, request: Request, pk: str | None = None) -> Response:
        """The requester collected the printed job."""
        return self._act(
            request, lambda job, data: services.print_job_collect(actor=request.user, job=job)
        )

    @extend_schema(request=s.PrintJobReasonSerializer, responses=s.PrintJobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel: the requester before printing, the print room a queued job (with reason)."""
        return self._act(
            request,
            lambda job, data: services.print_job_cancel(
                actor=request.user, job=job, reason=data.get("reason", "")
            ),
            s.PrintJobReasonSerializer,
        )


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [("print-jobs", PrintJobViewSet, "printjob")]
